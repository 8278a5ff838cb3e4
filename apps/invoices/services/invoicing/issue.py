"""Issuing: the moment an invoice or a credit note becomes a legal document.

In one transaction (DESIGN §3.2, §3.4, §3.5): lock the draft, check it can be issued, take
the next number of its series for the year (gapless: a failure anywhere below rolls the
number back), write the dates, the payment terms and the snapshots of the parties, mark the
activity reports invoiced and the expenses rebilled, then render the PDF after commit.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from apps.activity.services.expenses import expense_lines_mark_rebilled
from apps.activity.services.reports import activity_report_mark_invoiced
from apps.clients.models import ContactKind
from apps.clients.selectors import client_due_date, client_primary_contact
from apps.core.errors import DomainError
from apps.core.selectors import company_profile_get
from apps.core.sequences import format_number, sequence_next

from ...data import late_payment_rate_on
from ...models import DocumentKind, Invoice, InvoiceStatus
from ..settlement import invoice_settlement_refresh
from .credit_notes import credit_note_check_limit
from .drafts import frozen_error
from .vat import invoice_totals_recompute

SERIES = {DocumentKind.INVOICE: "F", DocumentKind.CREDIT_NOTE: "AV"}


def _refuse(message, code: str) -> DomainError:
    return DomainError(message, code=code)


def _check_issuable(invoice: Invoice) -> None:
    if invoice.status != InvoiceStatus.DRAFT:
        raise frozen_error(invoice)
    if not invoice.lines.exists():
        raise _refuse(_("The invoice has no line: add at least one line."), "invoice_no_line")
    if invoice.total_incl_tax <= 0:
        raise _refuse(_("The invoice total is zero: nothing to invoice."), "invoice_zero_total")
    client = invoice.client
    if client.is_french and not client.siren:
        raise _refuse(
            _("The client “%(client)s” has no SIREN: complete the client before issuing.")
            % {"client": client},
            "client_without_siren",
        )
    if not (client.billing_address_line1 and client.billing_postal_code and client.billing_city):
        raise _refuse(
            _(
                "The client “%(client)s” has no complete billing address: complete the"
                " client before issuing."
            )
            % {"client": client},
            "client_without_address",
        )


def seller_snapshot() -> dict:
    profile = company_profile_get()
    if profile is None or not (profile.siren and profile.address_line1):
        raise _refuse(
            _("Complete the company profile (legal name, SIREN, address) before issuing."),
            "company_profile_missing",
        )
    return {
        "legal_name": profile.legal_name,
        "legal_form": profile.legal_form,
        "share_capital": str(profile.share_capital or ""),
        "siren": profile.siren,
        "siret": profile.siret,
        "vat_number": profile.vat_number,
        "rcs_city": profile.rcs_city,
        "naf_code": profile.naf_code,
        "address_line1": profile.address_line1,
        "address_line2": profile.address_line2,
        "postal_code": profile.postal_code,
        "city": profile.city,
        "country": "FR",
        "email": profile.email,
        "phone": profile.phone,
        "website": profile.website,
        "iban": profile.iban,
        "bic": profile.bic,
        "vat_on_debits": bool(getattr(profile, "vat_on_debits", False)),
    }


def client_snapshot(invoice: Invoice) -> dict:
    client = invoice.client
    delivery = ""
    if client.delivery_address_line1:
        parts = [
            client.delivery_address_line1,
            client.delivery_address_line2,
            f"{client.delivery_postal_code} {client.delivery_city}".strip(),
            client.delivery_country,
        ]
        delivery = ", ".join(part for part in parts if part)
    contact = client_primary_contact(client=client, kind=ContactKind.BILLING)
    return {
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
        "delivery_address": delivery,
        "billing_contact_name": f"{contact.first_name} {contact.last_name}".strip()
        if contact
        else "",
        "billing_contact_email": contact.email if contact else "",
        "language": invoice.language,
    }


def contract_snapshot(invoice: Invoice) -> dict:
    contract = invoice.commercial_contract
    return {
        "reference": contract.reference if contract else "",
        "purchase_order_reference": invoice.purchase_order_reference
        or (contract.purchase_order_reference if contract else ""),
        "consultant_name": str(invoice.consultant),
        "description": contract.description if contract else "",
        "place_of_work": contract.place_of_work if contract else "",
    }


def _payment_terms_label(invoice: Invoice) -> str:
    client = invoice.client
    with translation.override(invoice.language):
        return str(client.payment_terms_label)


def _mark_sources(invoice: Invoice, issued_by) -> None:
    lines = list(invoice.lines.all())
    for line in lines:
        if line.activity_report_id:
            activity_report_mark_invoiced(
                report=line.activity_report, invoice_reference=invoice.number, by=issued_by
            )
    expenses = [line.expense_line_id for line in lines if line.expense_line_id]
    if expenses:
        expense_lines_mark_rebilled(lines=expenses, invoice_reference=invoice.number)


def _schedule_render(invoice_id: int) -> None:
    # Imported here: the documents part owns tasks.py, and this module must import without it.
    from apps.invoices.tasks import invoice_document_render

    invoice_document_render.delay(invoice_id)


def invoice_issue(*, invoice: Invoice, issued_by, issue_date: date | None = None) -> Invoice:
    """Issue a draft invoice or credit note: number, dates, totals and snapshots, frozen."""
    with transaction.atomic():
        invoice = (
            Invoice.objects.select_for_update(of=("self",))
            .select_related("client", "consultant", "commercial_contract")
            .get(pk=invoice.pk)
        )
        if invoice.status == InvoiceStatus.DRAFT:
            invoice_totals_recompute(invoice=invoice)
        _check_issuable(invoice)
        issue_date = issue_date or timezone.localdate()
        original = None
        if invoice.kind == DocumentKind.CREDIT_NOTE:
            original = Invoice.objects.select_for_update().get(pk=invoice.credited_invoice_id)
            credit_note_check_limit(
                original=original, amount=invoice.total_incl_tax, exclude=invoice
            )
        series = SERIES[invoice.kind]
        number = sequence_next(series=series, year=issue_date.year)
        invoice.series = series
        invoice.sequence_year = issue_date.year
        invoice.sequence_number = number
        invoice.number = format_number(prefix=series, year=issue_date.year, number=number)
        invoice.issue_date = issue_date
        if invoice.kind == DocumentKind.CREDIT_NOTE:
            invoice.due_date = issue_date  # nothing is due on a credit note
        else:
            invoice.due_date = client_due_date(client=invoice.client, issue_date=issue_date)
        penalty = late_payment_rate_on(issue_date)
        invoice.late_payment_rate = penalty.rate
        invoice.recovery_indemnity = Decimal("40.00")  # D441-5
        invoice.payment_terms_label = _payment_terms_label(invoice)
        invoice.seller_snapshot = seller_snapshot()
        invoice.client_snapshot = client_snapshot(invoice)
        invoice.contract_snapshot = contract_snapshot(invoice)
        invoice.status = InvoiceStatus.ISSUED
        invoice.issued_at = timezone.now()
        invoice.issued_by = issued_by
        invoice.save()
        if original is not None:
            invoice_settlement_refresh(invoice=original)
        else:
            _mark_sources(invoice, issued_by)
        # robust: the invoice is issued once this commits; a failure to queue (or, with eager
        # Celery, to render) is logged and the render retried later, never raised at the caller.
        transaction.on_commit(lambda: _schedule_render(invoice.pk), robust=True)
    return invoice
