"""Issued invoices and credit notes built directly through the ORM, with full snapshots
(what the issuing service of CORE writes), so the document tests do not depend on it."""

import itertools
from datetime import date
from decimal import Decimal

from apps.clients.models import ClientContact, ContactKind
from apps.invoices.models import DocumentKind, Invoice, InvoiceLine, InvoiceStatus, LineUnit
from tests.clients.factories import ClientCompanyFactory
from tests.consultants.factories import ConsultantFactory

_numbers = itertools.count(1)

SELLER = {
    "legal_name": "Portage Exemple SAS",
    "legal_form": "SAS",
    "share_capital": "10000.00",
    "siren": "732829320",
    "siret": "73282932000074",
    "vat_number": "FR44732829320",
    "rcs_city": "Paris",
    "naf_code": "7830Z",
    "address_line1": "1 rue de Rivoli",
    "address_line2": "",
    "postal_code": "75001",
    "city": "Paris",
    "country": "FR",
    "email": "contact@example.test",
    "phone": "+33 1 23 45 67 89",
    "website": "",
    "iban": "FR7630006000011234567890189",
    "bic": "AGRIFRPP",
    "vat_on_debits": False,
}

EXEMPTIONS = {
    "AE": "Autoliquidation (art. 283-2 du CGI, art. 196 de la directive 2006/112/CE)",
    "G": "TVA non applicable, art. 259-1 du CGI",
}


def client_snapshot(client, *, contact=None, **overrides) -> dict:
    snapshot = {
        "legal_name": client.legal_name,
        "siren": client.siren,
        "siret": client.siret,
        "vat_number": client.vat_number,
        "country": client.country,
        "registration_id": client.registration_id,
        "billing_address_line1": client.billing_address_line1,
        "billing_address_line2": client.billing_address_line2,
        "billing_postal_code": client.billing_postal_code,
        "billing_city": client.billing_city,
        "billing_country": client.billing_country,
        "delivery_address": "",
        "billing_contact_name": f"{contact.first_name} {contact.last_name}" if contact else "",
        "billing_contact_email": contact.email if contact else "",
        "language": client.document_language,
    }
    snapshot.update(overrides)
    return snapshot


def make_issued_invoice(
    *,
    client=None,
    consultant=None,
    category: str = "S",
    days: Decimal = Decimal("20"),
    daily_rate: Decimal = Decimal("550.00"),
    language: str = "fr",
    with_contact: bool = True,
    seller_overrides: dict | None = None,
    **fields,
) -> Invoice:
    """A one-line issued invoice: 20 days × 550.00 = 11,000.00 HT; at 20 %: VAT 2,200.00,
    TTC 13,200.00. Categories AE / G: rate 0, VAT 0, with the exemption wording."""
    client = client or ClientCompanyFactory(document_language=language)
    consultant = consultant or ConsultantFactory()
    contact = None
    if with_contact and not client.contacts.filter(kind=ContactKind.BILLING).exists():
        contact = ClientContact.objects.create(
            client=client,
            kind=ContactKind.BILLING,
            first_name="Claire",
            last_name="Facture",
            email=f"billing{client.pk}@client.example",
            is_primary=True,
        )
    rate = Decimal("20.00") if category == "S" else Decimal("0.00")
    base = (days * daily_rate).quantize(Decimal("0.01"))
    vat = (base * rate / 100).quantize(Decimal("0.01"))
    n = next(_numbers)
    values = {
        "kind": DocumentKind.INVOICE,
        "status": InvoiceStatus.ISSUED,
        "number": f"F-2026-{n:06d}",
        "series": "F",
        "sequence_year": 2026,
        "sequence_number": n,
        "client": client,
        "consultant": consultant,
        "issue_date": date(2026, 4, 2),
        "due_date": date(2026, 5, 2),
        "service_period_start": date(2026, 3, 1),
        "service_period_end": date(2026, 3, 31),
        "purchase_order_reference": "PO-4521",
        "language": language,
        "total_excl_tax": base,
        "total_vat": vat,
        "total_incl_tax": base + vat,
        "vat_breakdown": [
            {
                "rate": f"{rate:.2f}",
                "category": category,
                "base": f"{base:.2f}",
                "vat": f"{vat:.2f}",
                "exemption_reason": EXEMPTIONS.get(category, ""),
            }
        ],
        "late_payment_rate": Decimal("12.15"),
        "recovery_indemnity": Decimal("40.00"),
        "payment_terms_label": "30 jours date de facture",
        "seller_snapshot": {**SELLER, **(seller_overrides or {})},
        "client_snapshot": client_snapshot(client, contact=contact),
        "contract_snapshot": {
            "reference": "CC-2026-0007",
            "purchase_order_reference": "PO-4521",
            "consultant_name": f"{consultant.first_name} {consultant.last_name}",
            "description": "Conseil en architecture logicielle",
            "place_of_work": "Paris",
        },
    }
    values.update(fields)
    invoice = Invoice.objects.create(**values)
    InvoiceLine.objects.create(
        invoice=invoice,
        position=1,
        description="Conseil en architecture logicielle — mars 2026",
        quantity=days,
        unit=LineUnit.DAY,
        unit_price_excl_tax=daily_rate,
        vat_rate=rate,
        total_excl_tax=base,
        service_date_start=date(2026, 3, 1),
        service_date_end=date(2026, 3, 31),
    )
    return invoice


def make_issued_credit_note(invoice: Invoice, **fields) -> Invoice:
    """A full credit note of `invoice` (same amounts, type 381)."""
    n = next(_numbers)
    values = {
        "kind": DocumentKind.CREDIT_NOTE,
        "status": InvoiceStatus.ISSUED,
        "number": f"AV-2026-{n:06d}",
        "series": "AV",
        "sequence_year": 2026,
        "sequence_number": n,
        "client": invoice.client,
        "consultant": invoice.consultant,
        "credited_invoice": invoice,
        "credit_reason": "Erreur sur le nombre de jours",
        "issue_date": date(2026, 4, 10),
        "due_date": date(2026, 4, 10),
        "service_period_start": invoice.service_period_start,
        "service_period_end": invoice.service_period_end,
        "purchase_order_reference": invoice.purchase_order_reference,
        "language": invoice.language,
        "total_excl_tax": invoice.total_excl_tax,
        "total_vat": invoice.total_vat,
        "total_incl_tax": invoice.total_incl_tax,
        "vat_breakdown": invoice.vat_breakdown,
        "late_payment_rate": invoice.late_payment_rate,
        "recovery_indemnity": invoice.recovery_indemnity,
        "payment_terms_label": invoice.payment_terms_label,
        "seller_snapshot": invoice.seller_snapshot,
        "client_snapshot": invoice.client_snapshot,
        "contract_snapshot": invoice.contract_snapshot,
    }
    values.update(fields)
    credit_note = Invoice.objects.create(**values)
    for line in invoice.lines.all():
        InvoiceLine.objects.create(
            invoice=credit_note,
            position=line.position,
            description=line.description,
            quantity=line.quantity,
            unit=line.unit,
            unit_price_excl_tax=line.unit_price_excl_tax,
            vat_rate=line.vat_rate,
            total_excl_tax=line.total_excl_tax,
            credited_line=line,
        )
    return credit_note
