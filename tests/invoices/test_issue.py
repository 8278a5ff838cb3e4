"""Issuing: gapless numbering per series and year, due dates, frozen snapshots, refusals
with clear messages, and the sources (reports, expenses) marked in the same transaction."""

from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.test import TestCase

from apps.core.errors import DomainError, InvalidTransition
from apps.core.models import DocumentSequence
from apps.invoices.models import InvoiceStatus
from apps.invoices.services.invoicing import invoice_delete_draft, invoice_issue

from .factories import (
    ISSUE_DATE,
    draft_invoice,
    invoice_client,
    issued_credit_note,
    issued_invoice,
)

pytestmark = pytest.mark.django_db


def test_numbers_follow_each_other_per_series_and_year(staff_user):
    first = issued_invoice(issued_by=staff_user)
    second = issued_invoice(issued_by=staff_user)
    note = issued_credit_note(first, issued_by=staff_user, lines=None)
    next_year = issued_invoice(issued_by=staff_user, issue_date=date(2027, 1, 4))
    assert [first.number, second.number] == ["F-2026-000001", "F-2026-000002"]
    assert note.number == "AV-2026-000001"  # its own series
    assert next_year.number == "F-2027-000001"  # one sequence per year
    assert (first.series, first.sequence_year, first.sequence_number) == ("F", 2026, 1)


def test_issue_freezes_dates_terms_and_snapshots(staff_user, company):
    client = invoice_client(payment_terms_kind="end_of_month", payment_terms_days=45)
    invoice = issued_invoice(issued_by=staff_user, client=client, purchase_order_reference="PO-7")
    assert invoice.status == InvoiceStatus.ISSUED
    assert invoice.issue_date == ISSUE_DATE  # 16/03/2026
    # 45 days end of month, read as end of the issue month + 45 days: 31/03 + 45 = 15/05.
    assert invoice.due_date == date(2026, 5, 15)
    assert invoice.late_payment_rate == Decimal("12.15")  # H1 2026: ECB 2.15 % + 10 points
    assert invoice.recovery_indemnity == Decimal("40.00")
    assert invoice.issued_by == staff_user and invoice.issued_at is not None
    assert invoice.seller_snapshot["siren"] == "732829320"
    assert invoice.seller_snapshot["vat_on_debits"] is False
    assert invoice.client_snapshot["siren"] == client.siren
    assert invoice.client_snapshot["billing_contact_email"] == "compta@client.example"
    assert invoice.contract_snapshot["purchase_order_reference"] == "PO-7"
    # The snapshot stays when the client changes afterwards.
    client.legal_name = "Renamed SAS"
    client.save()
    invoice.refresh_from_db()
    assert invoice.client_snapshot["legal_name"] != "Renamed SAS"


def test_net_terms_due_date(staff_user):
    client = invoice_client(payment_terms_kind="net", payment_terms_days=30)
    invoice = issued_invoice(issued_by=staff_user, client=client)
    assert invoice.due_date == date(2026, 4, 15)  # 16/03 + 30 days


def test_late_payment_rate_after_the_known_half_years_falls_back_flagged(staff_user, caplog):
    invoice = issued_invoice(issued_by=staff_user, issue_date=date(2026, 9, 1))
    assert invoice.late_payment_rate == Decimal("12.15")
    assert "verify" in caplog.text


@pytest.mark.parametrize(
    ("setup", "code", "message"),
    [
        ("no_line", "invoice_no_line", "The invoice has no line"),
        ("zero", "invoice_zero_total", "The invoice total is zero"),
        ("no_siren", "client_without_siren", "has no SIREN"),
        ("no_address", "client_without_address", "has no complete billing address"),
    ],
)
def test_refusals_say_why_and_take_no_number(staff_user, setup, code, message):
    client = invoice_client()
    lines = [("Conseil", "1", "100.00")]
    if setup == "no_line":
        lines = []
    elif setup == "zero":
        lines = [("Offert", "1", "0.00")]
    elif setup == "no_siren":
        client.siren = ""
        client.save(update_fields=["siren"])
    elif setup == "no_address":
        client.billing_city = ""
        client.save(update_fields=["billing_city"])
    invoice = draft_invoice(client=client, lines=lines)
    with pytest.raises(DomainError) as error:
        invoice_issue(invoice=invoice, issued_by=staff_user, issue_date=ISSUE_DATE)
    assert error.value.code == code
    assert message in str(error.value)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.DRAFT and invoice.number is None
    assert not DocumentSequence.objects.filter(series="F", last_number__gt=0).exists()


def test_issue_twice_is_refused(staff_user):
    invoice = issued_invoice(issued_by=staff_user)
    with pytest.raises(InvalidTransition) as error:
        invoice_issue(invoice=invoice, issued_by=staff_user)
    assert "F-2026-000001 is Issued" in str(error.value)


def test_a_failure_after_the_number_is_taken_leaves_no_gap(staff_user):
    invoice = draft_invoice()
    with (
        mock.patch(
            "apps.invoices.services.invoicing.issue.contract_snapshot",
            side_effect=RuntimeError("disk full"),
        ),
        pytest.raises(RuntimeError),
    ):
        invoice_issue(invoice=invoice, issued_by=staff_user, issue_date=ISSUE_DATE)
    invoice.refresh_from_db()
    assert invoice.number is None
    # The number taken by the failed issue went back with the rollback.
    assert invoice_issue(invoice=invoice, issued_by=staff_user, issue_date=ISSUE_DATE).number == (
        "F-2026-000001"
    )


def test_deleting_a_draft_never_consumes_a_number(staff_user):
    invoice_delete_draft(invoice=draft_invoice())
    assert issued_invoice(issued_by=staff_user).number == "F-2026-000001"


def test_the_pdf_is_rendered_after_commit_only(staff_user):
    invoice = draft_invoice()
    with mock.patch("apps.invoices.services.invoicing.issue._schedule_render") as render:
        with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
            invoice_issue(invoice=invoice, issued_by=staff_user, issue_date=ISSUE_DATE)
        render.assert_not_called()
        for callback in callbacks:
            callback()
    render.assert_called_once_with(invoice.pk)


def test_company_profile_required(staff_user, company):
    company.delete()
    with pytest.raises(DomainError) as error:
        invoice_issue(invoice=draft_invoice(), issued_by=staff_user, issue_date=ISSUE_DATE)
    assert error.value.code == "company_profile_missing"
