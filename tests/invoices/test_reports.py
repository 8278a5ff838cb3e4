"""Drafts from validated activity reports: lines days × TJM per month and rate, rebilled
expenses at cost excl. VAT, reports and expenses marked when the invoice is issued."""

from datetime import date
from decimal import Decimal

import pytest

from apps.activity.models import ActivityReportStatus
from apps.core.errors import DomainError
from apps.invoices.models import LineUnit
from apps.invoices.services.invoicing import (
    invoice_create_from_reports,
    invoice_delete_draft,
    invoice_issue,
)
from tests.activity.factories import (
    amendment,
    approved_claim,
    full_days,
    report_contract,
    report_create,
)

from .factories import ISSUE_DATE, validated_report

pytestmark = pytest.mark.django_db


def test_one_draft_per_contract_with_one_line_per_month(staff_user):
    contract = report_contract(daily_rate=Decimal("612.50"))
    may = validated_report(contract, by=staff_user)  # 3 days in May
    june = validated_report(
        contract,
        month=date(2026, 6, 1),
        days={date(2026, 6, 1): Decimal("1"), date(2026, 6, 2): Decimal("0.5")},
        by=staff_user,
    )
    other = validated_report(by=staff_user)  # another contract, 3 days at 600
    drafts = invoice_create_from_reports(reports=[june, other, may], created_by=staff_user)
    assert len(drafts) == 2
    mine = next(d for d in drafts if d.commercial_contract_id == contract.pk)
    lines = list(mine.lines.order_by("position"))
    consultant = contract.consultant
    assert [line.description for line in lines] == [
        f"Prestation de {consultant} — mai 2026 : 3 jours × 612,50 €",
        f"Prestation de {consultant} — juin 2026 : 1,5 jours × 612,50 €",
    ]
    assert [(line.quantity, line.unit) for line in lines] == [
        (Decimal("3.00"), LineUnit.DAY),
        (Decimal("1.50"), LineUnit.DAY),
    ]
    # 3 × 612.50 = 1837.50; 1.5 × 612.50 = 918.75; HT 2756.25; VAT 551.25; TTC 3307.50
    assert [line.total_excl_tax for line in lines] == [Decimal("1837.50"), Decimal("918.75")]
    assert mine.total_excl_tax == Decimal("2756.25")
    assert mine.total_vat == Decimal("551.25")
    assert mine.total_incl_tax == Decimal("3307.50")
    assert (mine.service_period_start, mine.service_period_end) == (
        date(2026, 5, 1),
        date(2026, 6, 30),
    )
    assert [line.activity_report_id for line in lines] == [may.pk, june.pk]


def test_english_client_gets_english_lines(staff_user):
    contract = report_contract()
    contract.client.document_language = "en"
    contract.client.save(update_fields=["document_language"])
    [draft] = invoice_create_from_reports(
        reports=[validated_report(contract, by=staff_user)], created_by=staff_user
    )
    assert draft.lines.get().description == (
        f"Services of {contract.consultant} — May 2026: 3 days × €600.00"
    )


def test_two_rates_in_a_month_make_two_lines(staff_user):
    contract = report_contract(daily_rate=Decimal("600.00"))
    amendment(contract, effective_from=date(2026, 5, 6), daily_rate=Decimal("650.00"))
    report = validated_report(contract, by=staff_user)  # 4 and 5 May at 600, 6 May at 650
    [draft] = invoice_create_from_reports(reports=[report], created_by=staff_user)
    lines = list(draft.lines.order_by("position"))
    assert [(line.quantity, line.unit_price_excl_tax) for line in lines] == [
        (Decimal("2.00"), Decimal("600.00")),
        (Decimal("1.00"), Decimal("650.00")),
    ]
    assert draft.total_excl_tax == Decimal("1850.00")  # 1200 + 650
    # The report is linked once (the first line): invoiced once, DB constraint.
    assert [line.activity_report_id for line in lines] == [report.pk, None]


def test_rebillable_expenses_of_the_contract_up_to_the_month_end(staff_user):
    contract = report_contract(rebill_expenses=True)
    approved_claim(
        contract.consultant,
        approver=staff_user,
        amounts=("84.00",),
        contract=contract,
        day=date(2026, 5, 20),
        rebill_to_client=True,
        description="Train Paris-Lyon",
    )
    approved_claim(  # after the month: for the next invoice
        contract.consultant,
        approver=staff_user,
        amounts=("50.00",),
        contract=contract,
        day=date(2026, 6, 2),
        rebill_to_client=True,
    )
    report = validated_report(contract, by=staff_user)
    [draft] = invoice_create_from_reports(reports=[report], created_by=staff_user)
    expense = draft.lines.get(expense_line__isnull=False)
    assert expense.description == "Frais refacturés — 20/05/2026 : Train Paris-Lyon"
    assert (expense.quantity, expense.unit, expense.unit_price_excl_tax, expense.vat_rate) == (
        Decimal("1.00"),
        LineUnit.UNIT,
        Decimal("84.00"),  # at cost excl. VAT (this receipt has no VAT)
        Decimal("20.00"),
    )
    # 1800 + 84 = 1884 HT; VAT 376.80; TTC 2260.80
    assert draft.total_incl_tax == Decimal("2260.80")
    invoice = invoice_issue(invoice=draft, issued_by=staff_user, issue_date=ISSUE_DATE)
    report.refresh_from_db()
    expense.expense_line.refresh_from_db()
    assert report.status == ActivityReportStatus.INVOICED
    assert report.invoice_reference == invoice.number
    assert expense.expense_line.rebilled_invoice_reference == invoice.number


def test_refused_reports_write_nothing(staff_user):
    ok = validated_report(by=staff_user)
    not_validated = report_create(report_contract())
    with pytest.raises(DomainError) as error:
        invoice_create_from_reports(reports=[ok, not_validated], created_by=staff_user)
    assert "only validated reports can be invoiced" in str(error.value)
    assert not ok.invoice_lines.exists()


def test_a_report_already_on_a_draft_is_refused_until_the_draft_is_deleted(staff_user):
    report = validated_report(by=staff_user)
    [draft] = invoice_create_from_reports(reports=[report], created_by=staff_user)
    with pytest.raises(DomainError) as error:
        invoice_create_from_reports(reports=[report], created_by=staff_user)
    assert f"is already on invoice #{draft.pk}" in str(error.value)
    invoice_delete_draft(invoice=draft)
    assert invoice_create_from_reports(reports=[report], created_by=staff_user)


def test_days_set_but_fixed_price_only_is_refused(staff_user):
    contract = report_contract()
    amendment(contract, effective_from=date(2026, 5, 1), fixed_price=Decimal("5000.00"))
    report = validated_report(contract, days=full_days(date(2026, 5, 4)), by=staff_user)
    with pytest.raises(DomainError) as error:
        invoice_create_from_reports(reports=[report], created_by=staff_user)
    assert "invoice the fixed price by hand" in str(error.value)
