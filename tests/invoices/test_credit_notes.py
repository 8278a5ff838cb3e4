"""Credit notes: full or partial, never beyond what is left to credit, own series, and the
credited invoice's status follows."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.core.errors import DomainError, InvalidTransition
from apps.invoices.models import DocumentKind, InvoiceStatus
from apps.invoices.services.invoicing import credit_note_create, invoice_issue, invoice_line_add
from apps.invoices.services.settlement import invoice_open_amount

from .factories import draft_invoice, issued_credit_note, issued_invoice

pytestmark = pytest.mark.django_db

LINES = [("Conseil", "10", "600.00"), ("Formation", "1", "450.00")]  # 6000 + 450 HT


def test_full_credit_note_cancels_the_invoice(staff_user):
    invoice = issued_invoice(issued_by=staff_user, lines=LINES)
    assert invoice.total_incl_tax == Decimal("7740.00")  # 6450 + 20 %
    note = credit_note_create(invoice=invoice, created_by=staff_user, reason="Mission annulée")
    assert note.kind == DocumentKind.CREDIT_NOTE and note.status == InvoiceStatus.DRAFT
    assert note.credited_invoice == invoice
    assert note.total_incl_tax == Decimal("7740.00")
    assert [line.credited_line_id for line in note.lines.all()] == [
        line.pk for line in invoice.lines.all()
    ]
    note = invoice_issue(invoice=note, issued_by=staff_user, issue_date=invoice.issue_date)
    assert note.number == "AV-2026-000001"
    assert note.due_date == note.issue_date
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CANCELLED
    assert invoice_open_amount(invoice) == Decimal("0.00")


def test_partial_credit_notes_by_quantity_and_amount(staff_user):
    invoice = issued_invoice(issued_by=staff_user, lines=LINES)
    conseil, formation = invoice.lines.order_by("position")
    note = issued_credit_note(
        invoice,
        issued_by=staff_user,
        lines=[{"line": conseil, "quantity": "2"}, {"line": formation.pk, "amount": "50.00"}],
    )
    # 2 × 600 + 50 = 1250 HT, VAT 250, TTC 1500
    assert note.total_incl_tax == Decimal("1500.00")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED
    assert invoice_open_amount(invoice) == Decimal("6240.00")  # 7740 − 1500


def test_a_credit_note_never_exceeds_what_is_left(staff_user):
    invoice = issued_invoice(issued_by=staff_user, lines=[("Conseil", "10", "600.00")])
    conseil = invoice.lines.get()
    credit_note_create(  # a draft counts: 8 days credited, 2 left
        invoice=invoice,
        created_by=staff_user,
        lines=[{"line": conseil, "quantity": "8"}],
        reason="Jours non effectués",
    )
    with pytest.raises(DomainError) as error:
        credit_note_create(
            invoice=invoice,
            created_by=staff_user,
            lines=[{"line": conseil, "quantity": "3"}],
            reason="Encore",
        )
    assert str(error.value) == (
        "Line “Conseil”: 1800.00 € excl. VAT exceeds what is left to credit on it"
        " (6000.00 € − 4800.00 € already credited = 1200.00 €)."
    )
    assert invoice.credit_notes.count() == 1


def test_the_invoice_total_limit_is_checked_again_at_issue(staff_user):
    invoice = issued_invoice(issued_by=staff_user, lines=[("Conseil", "10", "600.00")])
    first = credit_note_create(invoice=invoice, created_by=staff_user, reason="Tout")
    # A line changed behind the service's back (as a concurrent write could): the issue
    # recomputes the totals and checks the limit again under the invoice's lock.
    first.lines.update(quantity=Decimal("11"), total_excl_tax=Decimal("6600.00"))
    with pytest.raises(DomainError) as error:
        invoice_issue(invoice=first, issued_by=staff_user)
    assert error.value.code == "credit_note_exceeds_invoice"
    # 11 × 600 = 6600 HT + 1320 VAT = 7920 > 7200
    assert "7920.00 € incl. VAT" in str(error.value)
    assert "= 7200.00 €" in str(error.value)


def test_draft_or_credit_note_cannot_be_credited(staff_user):
    with pytest.raises(DomainError) as error:
        credit_note_create(invoice=draft_invoice(), created_by=staff_user, reason="x")
    assert error.value.code == "invoice_not_creditable"
    invoice = issued_invoice(issued_by=staff_user)
    note = issued_credit_note(invoice, issued_by=staff_user)
    with pytest.raises(DomainError):
        credit_note_create(invoice=note, created_by=staff_user, reason="x")


def test_bad_credit_input(staff_user):
    invoice = issued_invoice(issued_by=staff_user)
    line = invoice.lines.get()
    with pytest.raises(ValidationError) as error:
        credit_note_create(invoice=invoice, created_by=staff_user, reason="  ")
    assert error.value.message_dict["reason"] == ["Give the reason for the credit note."]
    with pytest.raises(ValidationError) as error:
        credit_note_create(
            invoice=invoice,
            created_by=staff_user,
            lines=[{"line": line, "quantity": "1", "amount": "5"}],
            reason="x",
        )
    assert "Give either a quantity or an amount" in str(error.value)
    other = issued_invoice(issued_by=staff_user).lines.get()
    with pytest.raises(ValidationError) as error:
        credit_note_create(
            invoice=invoice,
            created_by=staff_user,
            lines=[{"line": other, "quantity": "1"}],
            reason="x",
        )
    assert f"Line #{other.pk} is not a line of {invoice.number}." in str(error.value)
    assert not invoice.credit_notes.exists()


def test_lines_of_a_credit_note_are_not_typed_by_hand(staff_user):
    invoice = issued_invoice(issued_by=staff_user)
    note = credit_note_create(invoice=invoice, created_by=staff_user, reason="x")
    with pytest.raises(InvalidTransition):
        invoice_line_add(
            invoice=note, description="x", quantity=1, unit="day", unit_price_excl_tax=1
        )
