"""Issued invoices built directly through the ORM (no dependency on the invoicing service):
what the issue service would have frozen — number, dates, totals, VAT breakdown, snapshots."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from apps.core.money import quantize_eur
from apps.invoices.models import DocumentKind, Invoice, InvoiceStatus
from tests.clients.factories import ClientCompanyFactory
from tests.consultants.factories import ConsultantFactory

_numbers = itertools.count(1)


def issued_invoice(
    *,
    excl_tax: str | Decimal = "10000.00",
    vat_rate: str | Decimal = "20.00",
    client=None,
    consultant=None,
    issue_date: date = date(2026, 3, 2),
    number: int | None = None,
    status: str = InvoiceStatus.ISSUED,
    **fields,
) -> Invoice:
    excl_tax = Decimal(excl_tax)
    vat = quantize_eur(excl_tax * Decimal(vat_rate) / 100)
    client = client or ClientCompanyFactory()
    consultant = consultant or ConsultantFactory()
    sequence = number or next(_numbers)
    return Invoice.objects.create(
        kind=DocumentKind.INVOICE,
        status=status,
        number=f"F-{issue_date.year}-{sequence:06d}",
        series="F",
        sequence_year=issue_date.year,
        sequence_number=sequence,
        client=client,
        consultant=consultant,
        issue_date=issue_date,
        due_date=issue_date + timedelta(days=30),
        service_period_start=issue_date.replace(day=1) - timedelta(days=28),
        service_period_end=issue_date.replace(day=1) - timedelta(days=1),
        total_excl_tax=excl_tax,
        total_vat=vat,
        total_incl_tax=excl_tax + vat,
        vat_breakdown=[
            {
                "rate": str(vat_rate),
                "category": "S" if Decimal(vat_rate) else "G",
                "base": str(excl_tax),
                "vat": str(vat),
                "exemption_reason": "",
            }
        ],
        late_payment_rate=Decimal("12.15"),
        payment_terms_label="30 jours",
        seller_snapshot={"legal_name": "Portage Office SAS", "country": "FR"},
        client_snapshot={"legal_name": client.legal_name, "country": "FR"},
        contract_snapshot={"reference": "", "consultant_name": str(consultant)},
        **fields,
    )


def credit_note(*, invoice: Invoice, excl_tax: str | Decimal, number: int | None = None):
    excl_tax = Decimal(excl_tax)
    vat = quantize_eur(excl_tax * Decimal("0.20"))
    sequence = number or next(_numbers)
    return Invoice.objects.create(
        kind=DocumentKind.CREDIT_NOTE,
        status=InvoiceStatus.ISSUED,
        number=f"AV-2026-{sequence:06d}",
        series="AV",
        sequence_year=2026,
        sequence_number=sequence,
        client=invoice.client,
        consultant=invoice.consultant,
        credited_invoice=invoice,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        total_excl_tax=excl_tax,
        total_vat=vat,
        total_incl_tax=excl_tax + vat,
    )
