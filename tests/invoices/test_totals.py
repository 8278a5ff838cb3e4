"""Totals and VAT against hand calculations; the VAT regime chosen from the client."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.invoices.models import LineUnit, VatRegime
from apps.invoices.services.invoicing import (
    invoice_line_add,
    invoice_line_remove,
    invoice_update,
)

from .factories import draft_invoice, invoice_client

pytestmark = pytest.mark.django_db


def test_line_totals_round_half_up_and_vat_is_computed_on_the_sum_per_rate():
    invoice = draft_invoice(
        lines=[
            ("Audit", "2.50", "333.33"),  # 833.325 -> 833.33 (half-up; half-even: 833.32)
            ("Frais de dossier", "0.50", "0.05"),  # 0.025 -> 0.03
            ("Timbre", "1", "0.03"),  # 0.03
        ]
    )
    assert [line.total_excl_tax for line in invoice.lines.all()] == [
        Decimal("833.33"),
        Decimal("0.03"),
        Decimal("0.03"),
    ]
    # Base 833.39; VAT 833.39 × 20 % = 166.678 -> 166.68. Line by line it would be
    # 166.67 + 0.01 + 0.01 = 166.69: EN 16931 BR-CO-17 wants the rate applied to the sum.
    assert invoice.total_excl_tax == Decimal("833.39")
    assert invoice.total_vat == Decimal("166.68")
    assert invoice.total_incl_tax == Decimal("1000.07")
    assert invoice.vat_breakdown == [
        {
            "rate": "20.00",
            "category": "S",
            "base": "833.39",
            "vat": "166.68",
            "exemption_reason": "",
            "exemption_reason_code": "",
        }
    ]


def test_one_breakdown_row_per_rate_and_removal_recomputes():
    invoice = draft_invoice(lines=[("Conseil", "3", "615.55")])  # 1846.65
    line = invoice_line_add(
        invoice=invoice,
        description="Formation",
        quantity=Decimal("1"),
        unit=LineUnit.LUMP_SUM,
        unit_price_excl_tax=Decimal("99.99"),
        vat_rate=Decimal("10.00"),
    )
    invoice.refresh_from_db()
    # 20 %: 1846.65 × 0.2 = 369.33; 10 %: 99.99 × 0.1 = 9.999 -> 10.00
    assert [(r["rate"], r["base"], r["vat"]) for r in invoice.vat_breakdown] == [
        ("20.00", "1846.65", "369.33"),
        ("10.00", "99.99", "10.00"),
    ]
    assert invoice.total_excl_tax == Decimal("1946.64")
    assert invoice.total_vat == Decimal("379.33")
    assert invoice.total_incl_tax == Decimal("2325.97")
    invoice_line_remove(line=line)
    invoice.refresh_from_db()
    assert invoice.total_incl_tax == Decimal("2215.98")  # 1846.65 + 369.33


@pytest.mark.parametrize(
    ("kind", "regime", "category", "reason_start"),
    [
        ("fr", VatRegime.DOMESTIC, "S", ""),
        ("de", VatRegime.EU_REVERSE_CHARGE, "AE", "Autoliquidation — article 283-2 du CGI"),
        ("ch", VatRegime.EXPORT, "G", "Exonération de TVA — article 259-1 du CGI"),
    ],
)
def test_vat_regime_follows_the_client(kind, regime, category, reason_start):
    invoice = draft_invoice(client=invoice_client(kind), lines=[("Conseil", "2", "500.00")])
    assert invoice.vat_regime == regime
    [row] = invoice.vat_breakdown
    assert row["category"] == category
    assert row["exemption_reason"].startswith(reason_start)
    expected_vat = Decimal("200.00") if kind == "fr" else Decimal("0.00")  # 1000 × 20 % or 0
    assert invoice.total_vat == expected_vat
    assert invoice.total_incl_tax == Decimal("1000.00") + expected_vat


def test_eu_client_without_vat_number_pays_french_vat():
    invoice = draft_invoice(client=invoice_client("de", vat_number=""))
    assert invoice.vat_regime == VatRegime.DOMESTIC


def test_no_vat_rate_on_reverse_charge_lines():
    invoice = draft_invoice(client=invoice_client("de"), lines=[])
    with pytest.raises(ValidationError) as error:
        invoice_line_add(
            invoice=invoice,
            description="Conseil",
            quantity=Decimal("1"),
            unit=LineUnit.DAY,
            unit_price_excl_tax=Decimal("100.00"),
            vat_rate=Decimal("20.00"),
        )
    assert "the VAT rate must be 0" in str(error.value.message_dict["vat_rate"])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("quantity", Decimal("0"), "The quantity must be positive"),
        ("quantity", Decimal("1.234"), "at most 2 decimals"),
        ("unit_price_excl_tax", Decimal("-1.00"), "zero or positive"),
        ("unit_price_excl_tax", "abc", "Enter a number."),
        ("unit", "week", "Choose a unit among"),
        ("description", "  ", "Describe the service."),
    ],
)
def test_bad_line_input_is_refused_and_nothing_written(field, value, message):
    invoice = draft_invoice(lines=[])
    values = {
        "description": "Conseil",
        "quantity": Decimal("1"),
        "unit": LineUnit.DAY,
        "unit_price_excl_tax": Decimal("100.00"),
        field: value,
    }
    with pytest.raises(ValidationError) as error:
        invoice_line_add(invoice=invoice, **values)
    assert message in " ".join(error.value.message_dict[field])
    assert invoice.lines.count() == 0


def test_header_update_refuses_unknown_fields_and_bad_period():
    invoice = draft_invoice()
    with pytest.raises(ValidationError) as error:
        invoice_update(invoice=invoice, total_incl_tax=Decimal("1"))
    assert "total_incl_tax" in error.value.message_dict
    from datetime import date

    with pytest.raises(ValidationError) as error:
        invoice_update(
            invoice=invoice,
            service_period_start=date(2026, 3, 31),
            service_period_end=date(2026, 3, 1),
        )
    assert error.value.message_dict["service_period_end"] == [
        "The service period ends before it starts."
    ]
