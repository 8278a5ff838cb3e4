"""Demo invoices for `seed_demo` (called after seed_expense_claims): every VAT case issued,
so `export_invoices` and the portal have something to show on a fresh `make run`.

- the validated activity reports not yet invoiced become drafts (one per contract), issued;
- a manual invoice to the German demo client (EU reverse charge, no French VAT) and one to
  the Swiss demo client (outside the EU), issued;
- one partial credit note on the first French invoice, issued.

Idempotent: the manual invoices are found again by their purchase-order reference, the
credit note by its reason, and reports already on an invoice are not invoiced twice.
Everything goes through the services; the PDFs are rendered after each commit.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from apps.clients.models import ClientCompany
from apps.commercial_contracts.models import CommercialContract
from apps.consultants.models import Consultant

from .models import DocumentKind, Invoice, InvoiceStatus, LineUnit
from .selectors.invoices import activity_reports_to_invoice
from .services import invoicing as services

DEMO_STAFF_EMAIL = "staff@demo.portage.test"
CREDIT_REASON = "Démo : journée facturée par erreur"
FOREIGN_INVOICES = [
    # (client country, purchase order, line description, days, daily rate)
    ("DE", "DEMO-PO-DE-001", "Architecture review — data platform", "4", "750.00"),
    ("CH", "DEMO-PO-CH-001", "Cloud migration workshop", "2.5", "820.00"),
]


def _staff_user():
    User = get_user_model()
    return (
        User.objects.filter(email=DEMO_STAFF_EMAIL).first()
        or User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    )


def _consultant_for(client: ClientCompany) -> Consultant | None:
    contract = CommercialContract.objects.filter(client=client).order_by("pk").first()
    if contract is not None:
        return contract.consultant
    return Consultant.objects.order_by("pk").first()


def _foreign_invoices(user) -> list[Invoice]:
    issued = []
    for country, reference, description, days, rate in FOREIGN_INVOICES:
        if Invoice.objects.filter(purchase_order_reference=reference).exists():
            continue
        client = ClientCompany.objects.filter(country=country).order_by("pk").first()
        consultant = _consultant_for(client) if client else None
        if client is None or consultant is None:
            continue
        with transaction.atomic():
            invoice = services.invoice_create(
                client=client,
                consultant=consultant,
                created_by=user,
                purchase_order_reference=reference,
            )
            services.invoice_line_add(
                invoice=invoice,
                description=description,
                quantity=Decimal(days),
                unit=LineUnit.DAY,
                unit_price_excl_tax=Decimal(rate),
            )
            issued.append(services.invoice_issue(invoice=invoice, issued_by=user))
    return issued


def _credit_note(user) -> Invoice | None:
    if Invoice.objects.filter(kind=DocumentKind.CREDIT_NOTE, credit_reason=CREDIT_REASON).exists():
        return None
    original = (
        Invoice.objects.filter(
            kind=DocumentKind.INVOICE,
            status__in=[InvoiceStatus.ISSUED, InvoiceStatus.SENT],
            vat_regime="domestic",
            lines__unit=LineUnit.DAY,
        )
        .order_by("issue_date", "pk")
        .first()
    )
    if original is None:
        return None
    line = original.lines.filter(unit=LineUnit.DAY).order_by("position").first()
    with transaction.atomic():
        note = services.credit_note_create(
            invoice=original,
            created_by=user,
            lines=[{"line": line, "quantity": min(Decimal("1"), line.quantity)}],
            reason=CREDIT_REASON,
        )
        return services.invoice_issue(invoice=note, issued_by=user)


def seed_invoices() -> dict:
    """Issue the demo invoices and the credit note; returns what was created."""
    user = _staff_user()
    from_reports = []
    reports = list(activity_reports_to_invoice())
    if reports:
        with transaction.atomic():
            drafts = services.invoice_create_from_reports(reports=reports, created_by=user)
        for draft in drafts:
            from_reports.append(services.invoice_issue(invoice=draft, issued_by=user))
    foreign = _foreign_invoices(user)
    note = _credit_note(user)
    return {
        "from_reports": from_reports,
        "foreign": foreign,
        "credit_notes": [note] if note else [],
    }
