"""Helpers for the invoice tests; the documents and payments tests import them too.

Everything goes through the services, as the admin and the API do:
- `invoice_client("fr" | "de" | "ch", **overrides)`: a French client, a German client with
  a VAT number (reverse charge) or a Swiss client (outside the EU); identifiers are
  python-stdnum's documented examples (tests/clients/factories.py).
- `draft_invoice(...)`: a manual draft with lines `(description, quantity, unit price)`.
- `issued_invoice(...)`: the same, issued (F-<year>-NNNNNN); creates the company profile
  when none exists.
- `validated_report(...)`: an activity report submitted, approved (recorded by staff) and
  validated, i.e. ready to invoice.
"""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.activity.services.reports import (
    activity_report_record_approval,
    activity_report_set_days,
    activity_report_submit,
    activity_report_validate,
)
from apps.core.selectors import company_profile_get
from apps.invoices.models import LineUnit
from apps.invoices.services.invoicing import (
    credit_note_create,
    invoice_create,
    invoice_issue,
    invoice_line_add,
)
from tests.activity.factories import MAY_2026, full_days, pdf_bytes, report_create
from tests.clients.factories import (
    ClientCompanyFactory,
    ClientContactFactory,
    german_fields,
    swiss_fields,
)
from tests.company import make_company_profile
from tests.consultants.factories import ConsultantFactory

ISSUE_DATE = date(2026, 3, 16)
DEFAULT_LINES = (("Conseil en organisation — mars 2026", "10", "600.00"),)


def invoice_client(
    kind: str = "fr", *, billing_email: str | None = "compta@client.example", **overrides
):
    """A client company of the given kind, with a primary billing contact when asked."""
    if kind == "fr":
        client = ClientCompanyFactory(**overrides)
    else:
        fields = {"siren": "", "siret": "", "vat_number": ""}
        fields.update(german_fields() if kind == "de" else swiss_fields())
        fields.update(overrides)
        client = ClientCompanyFactory(**fields)
    if billing_email:
        ClientContactFactory(client=client, email=billing_email, is_primary=True)
    return client


def ensure_company_profile():
    return company_profile_get() or make_company_profile()


def draft_invoice(
    *,
    client=None,
    consultant=None,
    commercial_contract=None,
    lines=DEFAULT_LINES,
    created_by=None,
    unit=LineUnit.DAY,
    **fields,
):
    if commercial_contract is not None:
        client = client or commercial_contract.client
        consultant = consultant or commercial_contract.consultant
    invoice = invoice_create(
        client=client or invoice_client(),
        consultant=consultant or ConsultantFactory(),
        commercial_contract=commercial_contract,
        created_by=created_by,
        **fields,
    )
    for description, quantity, price in lines:
        invoice_line_add(
            invoice=invoice,
            description=description,
            quantity=Decimal(quantity),
            unit=unit,
            unit_price_excl_tax=Decimal(price),
        )
    invoice.refresh_from_db()
    return invoice


def issued_invoice(*, issued_by=None, issue_date=ISSUE_DATE, **draft_kwargs):
    """An issued invoice (the render task is scheduled on commit: tests without
    captureOnCommitCallbacks(execute=True) never run it)."""
    ensure_company_profile()
    invoice = draft_invoice(created_by=issued_by, **draft_kwargs)
    return invoice_issue(invoice=invoice, issued_by=issued_by, issue_date=issue_date)


def issued_credit_note(
    invoice, *, issued_by=None, lines=None, reason="Erreur de facturation", issue_date=None
):
    note = credit_note_create(invoice=invoice, created_by=issued_by, lines=lines, reason=reason)
    return invoice_issue(
        invoice=note, issued_by=issued_by, issue_date=issue_date or invoice.issue_date
    )


def validated_report(contract=None, month=MAY_2026, days=None, by=None, **contract_kwargs):
    """A validated report (3 full days in May 2026 by default at the contract's TJM, 600 €)."""
    report = report_create(contract, month, **contract_kwargs)
    days = days or full_days(date(2026, 5, 4), date(2026, 5, 5), date(2026, 5, 6))
    activity_report_set_days(report=report, days=days, by=None)
    report = activity_report_submit(report=report, by=None)
    report = activity_report_record_approval(
        report=report,
        by=by,
        proof_file=SimpleUploadedFile("ok.pdf", pdf_bytes(), content_type="application/pdf"),
        approver_name="Paul Opérations",
    )
    return activity_report_validate(report=report, by=by)
