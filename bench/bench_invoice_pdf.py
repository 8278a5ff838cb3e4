"""The invoice PDF: one-page invoice from templates/pdf/invoice.html (budget 0.2 s).

Measured on the visual PDF/A-3b (WeasyPrint) and on the whole Factur-X document (render +
CII XML + XSD check + EN 16931 schematron + embedding), built in memory from an unsaved
invoice so the benchmark needs no database rows.
"""

from datetime import date
from decimal import Decimal
from unittest import mock

from apps.invoices.models import DocumentKind, Invoice, InvoiceLine, InvoiceStatus, LineUnit

from .run import Benchmark

SELLER = {
    "legal_name": "Portage Conseil Demo SAS",
    "legal_form": "SAS",
    "share_capital": "50000.00",
    "siren": "732829320",
    "siret": "73282932000074",
    "vat_number": "FR44732829320",
    "rcs_city": "Lyon",
    "naf_code": "7830Z",
    "address_line1": "12 quai Saint-Antoine",
    "address_line2": "",
    "postal_code": "69002",
    "city": "Lyon",
    "country": "FR",
    "email": "facturation@portage.example",
    "phone": "+33 4 00 00 00 00",
    "website": "",
    "iban": "FR7630006000011234567890189",
    "bic": "AGRIFRPP",
    "vat_on_debits": False,
}
CLIENT = {
    "legal_name": "Client Industriel SA",
    "siren": "552100554",
    "siret": "55210055400013",
    "vat_number": "FR40552100554",
    "country": "FR",
    "registration_id": "",
    "billing_address_line1": "10 rue de la Paix",
    "billing_address_line2": "",
    "billing_postal_code": "75002",
    "billing_city": "Paris",
    "billing_country": "FR",
    "delivery_address": "",
    "billing_contact_name": "Claire Martin",
    "billing_contact_email": "compta@client.example",
    "language": "fr",
}


def _invoice() -> tuple[Invoice, list[InvoiceLine]]:
    invoice = Invoice(
        kind=DocumentKind.INVOICE,
        status=InvoiceStatus.ISSUED,
        number="F-2026-000123",
        issue_date=date(2026, 4, 2),
        due_date=date(2026, 5, 2),
        service_period_start=date(2026, 3, 1),
        service_period_end=date(2026, 3, 31),
        purchase_order_reference="PO-4521",
        language="fr",
        total_excl_tax=Decimal("11250.00"),
        total_vat=Decimal("2250.00"),
        total_incl_tax=Decimal("13500.00"),
        vat_breakdown=[
            {
                "rate": "20.00",
                "category": "S",
                "base": "11250.00",
                "vat": "2250.00",
                "exemption_reason": "",
            }
        ],
        late_payment_rate=Decimal("12.15"),
        payment_terms_label="30 jours date de facture",
        seller_snapshot=SELLER,
        client_snapshot=CLIENT,
        contract_snapshot={
            "reference": "CC-2026-0007",
            "purchase_order_reference": "PO-4521",
            "consultant_name": "Claire Durand",
            "description": "Conseil",
            "place_of_work": "Paris",
        },
    )
    lines = [
        InvoiceLine(
            position=1,
            description="Conseil en architecture logicielle — mars 2026",
            quantity=Decimal("20"),
            unit=LineUnit.DAY,
            unit_price_excl_tax=Decimal("550.00"),
            vat_rate=Decimal("20.00"),
            total_excl_tax=Decimal("11000.00"),
            service_date_start=date(2026, 3, 1),
            service_date_end=date(2026, 3, 31),
        ),
        InvoiceLine(
            position=2,
            description="Frais de déplacement refacturés",
            quantity=Decimal("1"),
            unit=LineUnit.UNIT,
            unit_price_excl_tax=Decimal("250.00"),
            vat_rate=Decimal("20.00"),
            total_excl_tax=Decimal("250.00"),
        ),
    ]
    return invoice, lines


INVOICE, LINES = _invoice()


class _Lines(list):
    def order_by(self, *fields):
        return self


from apps.invoices.services import documents  # noqa: E402


def _in_memory(render):
    """Run `render(INVOICE)` with the unsaved invoice reading its lines from memory and no
    logo lookup (no database). Patched per call, so other benchmarks of the same run see
    the real model."""

    def call():
        with (
            mock.patch.object(Invoice, "lines", property(lambda self: _Lines(LINES)), create=True),
            mock.patch.object(documents, "_logo_data_uri", lambda: ""),
        ):
            return render(INVOICE)

    return call


_visual = _in_memory(documents.invoice_visual_pdf)
_facturx = _in_memory(documents.invoice_facturx_pdf)
_visual()  # warm-up: fonts, templates, stylesheets
_facturx()  # warm-up: compiles the schematron once

BENCHMARKS = [
    Benchmark(
        "pdf.invoice_one_page (WeasyPrint PDF/A-3b)",
        _visual,
        repeat=50,
        unit="s",
        budget=0.2,
    ),
    Benchmark(
        "pdf.invoice_facturx (PDF/A-3 + XML + XSD + EN 16931 rules)",
        _facturx,
        repeat=50,
        unit="s",
        budget=0.2,
    ),
]
