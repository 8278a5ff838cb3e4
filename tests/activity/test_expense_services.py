"""Expense claim services: drafts and lines, the status map, reimbursement from the activity
account (never beyond the available balance, one ledger entry), rebilling."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.activity.models import ExpenseCategory, ExpenseClaim, ExpenseClaimStatus, ExpenseLine
from apps.activity.selectors.expenses import (
    expense_claims_awaiting_approval,
    expense_claims_for_user,
    expense_lines_to_rebill,
)
from apps.activity.services.expenses import (
    ClaimNotEditable,
    InsufficientBalance,
    SelfApproval,
    expense_claim_approve,
    expense_claim_reimburse,
    expense_claim_reject,
    expense_claim_reopen,
    expense_claim_submit,
    expense_claim_update,
    expense_line_add,
    expense_line_remove,
    expense_line_update,
    expense_lines_mark_rebilled,
)
from apps.core.errors import DomainError, InvalidTransition
from apps.ledger.models import LedgerEntry, LedgerEntryKind
from apps.ledger.selectors import ledger_available
from tests.consultants.factories import ConsultantFactory

from .factories import (
    approved_claim,
    expense_claim,
    expense_line,
    fund,
    receipt_upload,
    report_contract,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant(consultant_user):
    return consultant_user.consultant


def mileage_line(claim, **overrides):
    fields = {
        "claim": claim,
        "date": date(2026, 3, 12),
        "category": ExpenseCategory.MILEAGE,
        "description": "Lyon - Grenoble aller-retour",
        "vehicle_type": "car",
        "fiscal_horsepower": 5,
        "distance_km": Decimal("300"),
        "yearly_distance_km": 12000,
    }
    fields.update(overrides)
    return expense_line_add(**fields)


def expense_entries(consultant):
    return LedgerEntry.objects.filter(
        consultant=consultant, kind=LedgerEntryKind.EXPENSE_REIMBURSED
    )


# --- drafts and lines ---------------------------------------------------------------------
def test_lines_update_the_totals(consultant):
    claim = expense_claim(consultant)
    expense_line(claim, amount="120.00", vat="20.00")
    expense_line(claim, amount="35.50", vat="3.23", category=ExpenseCategory.TRANSPORT)
    claim.refresh_from_db()
    assert (claim.total_ttc, claim.total_vat) == (Decimal("155.50"), Decimal("23.23"))
    assert claim.total_ht == Decimal("132.27")
    assert claim.status == ExpenseClaimStatus.DRAFT


@pytest.mark.parametrize("amount", ["-12.00", "0", "0.00"])
def test_a_negative_or_zero_amount_is_refused(consultant, amount):
    claim = expense_claim(consultant)
    with pytest.raises(ValidationError) as error:
        expense_line(claim, amount=amount, vat="0")
    assert error.value.message_dict["amount_ttc"] == ["The amount must be greater than zero."]
    assert not ExpenseLine.objects.exists()


def test_vat_over_the_amount_is_refused(consultant):
    claim = expense_claim(consultant)
    with pytest.raises(ValidationError) as error:
        expense_line(claim, amount="50.00", vat="60.00")
    assert error.value.message_dict["vat_amount"] == [
        "The VAT (60.00 €) cannot exceed the amount including VAT (50.00 €)."
    ]


def test_negative_vat_is_refused(consultant):
    with pytest.raises(ValidationError) as error:
        expense_line(expense_claim(consultant), amount="50.00", vat="-1.00")
    assert "vat_amount" in error.value.message_dict


def test_more_than_two_decimals_is_refused(consultant):
    with pytest.raises(ValidationError) as error:
        expense_line(expense_claim(consultant), amount="10.005", vat="0")
    assert "amount_ttc" in error.value.message_dict


def test_a_receipt_is_required_except_for_mileage(consultant):
    claim = expense_claim(consultant)
    with pytest.raises(ValidationError) as error:
        expense_line(claim, receipt=None)
    assert error.value.message_dict["receipt"] == ["Attach the receipt (PDF, JPEG or PNG)."]
    line = mileage_line(claim)
    assert not line.receipt


def test_a_mileage_line_is_computed_from_the_barème(consultant):
    claim = expense_claim(consultant)
    line = mileage_line(claim, amount_ttc="999.00", vat_amount="10.00")
    assert line.amount_ttc == Decimal("141.98")  # 300 km x (12 000 x 0,357 + 1 395) / 12 000
    assert line.vat_amount == Decimal("0.00")
    assert line.mileage_scale == "2026"
    assert line.mileage_rate_per_km == Decimal("0.47325")
    claim.refresh_from_db()
    assert claim.total_ttc == Decimal("141.98")


def test_mileage_errors_name_the_field(consultant):
    claim = expense_claim(consultant)
    with pytest.raises(ValidationError) as error:
        mileage_line(claim, fiscal_horsepower=None)
    assert "fiscal_horsepower" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        mileage_line(claim, distance_km=Decimal("13000"))
    assert "distance_km" in error.value.message_dict


def test_a_future_date_is_refused(consultant):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        expense_line(expense_claim(consultant), day=tomorrow)
    assert error.value.message_dict["date"] == ["The date of an expense cannot be in the future."]


def test_update_replaces_the_receipt_and_deletes_the_old_file(
    consultant, django_capture_on_commit_callbacks
):
    claim = expense_claim(consultant)
    line = expense_line(claim)
    old_name, storage = line.receipt.name, line.receipt.storage
    with django_capture_on_commit_callbacks(execute=True):
        line = expense_line_update(
            line=line, receipt=receipt_upload("png"), amount_ttc="80.00", vat_amount="0"
        )
    assert line.receipt_content_type == "image/png"
    assert line.receipt.name.endswith(".png")
    assert not storage.exists(old_name)
    claim.refresh_from_db()
    assert claim.total_ttc == Decimal("80.00")


def test_changing_a_mileage_line_into_a_meal_clears_the_vehicle(consultant):
    claim = expense_claim(consultant)
    line = mileage_line(claim)
    line = expense_line_update(
        line=line,
        category=ExpenseCategory.MEALS,
        amount_ttc="25.00",
        vat_amount="2.27",
        receipt=receipt_upload("jpg"),
    )
    assert (line.vehicle_type, line.distance_km, line.mileage_scale) == ("", None, "")


def test_remove_deletes_the_line_and_its_file(consultant, django_capture_on_commit_callbacks):
    claim = expense_claim(consultant)
    line = expense_line(claim)
    name, storage = line.receipt.name, line.receipt.storage
    with django_capture_on_commit_callbacks(execute=True):
        expense_line_remove(line=line)
    assert not ExpenseLine.objects.exists()
    assert not storage.exists(name)
    claim.refresh_from_db()
    assert claim.total_ttc == Decimal("0.00")


def test_the_contract_must_be_the_consultants_own(consultant):
    someone_else = report_contract(consultant=ConsultantFactory())
    with pytest.raises(ValidationError) as error:
        expense_claim(consultant, contract=someone_else)
    assert "commercial_contract" in error.value.message_dict


# --- status map ---------------------------------------------------------------------------
def test_submit_needs_a_line_and_freezes_the_claim(consultant):
    claim = expense_claim(consultant)
    with pytest.raises(ValidationError) as error:
        expense_claim_submit(claim=claim, by=None)
    assert "lines" in error.value.message_dict
    line = expense_line(claim, amount="42.00", vat="0")
    claim = expense_claim_submit(claim=claim, by=consultant.user)
    assert claim.status == ExpenseClaimStatus.SUBMITTED
    assert claim.submitted_at is not None and claim.submitted_by == consultant.user
    assert claim.total_ttc == Decimal("42.00")

    with pytest.raises(ClaimNotEditable):
        expense_line(claim)
    with pytest.raises(ClaimNotEditable):
        expense_line_update(line=line, amount_ttc="1000.00")
    with pytest.raises(ClaimNotEditable):
        expense_line_remove(line=line)
    with pytest.raises(ClaimNotEditable):
        expense_claim_update(claim=claim, title="Autre")
    line.refresh_from_db()
    assert line.amount_ttc == Decimal("42.00")


def test_approve_reject_and_reopen(consultant, staff_user):
    claim = expense_claim(consultant)
    expense_line(claim)
    claim = expense_claim_submit(claim=claim, by=None)
    assert list(expense_claims_awaiting_approval()) == [claim]

    with pytest.raises(ValidationError) as error:
        expense_claim_reject(claim=claim, by=staff_user, reason="  ")
    assert "reason" in error.value.message_dict
    claim = expense_claim_reject(claim=claim, by=staff_user, reason="Ticket illisible.")
    assert (claim.status, claim.rejection_reason, claim.rejected_by) == (
        ExpenseClaimStatus.REJECTED,
        "Ticket illisible.",
        staff_user,
    )
    with pytest.raises(InvalidTransition):
        expense_claim_approve(claim=claim, by=staff_user)

    claim = expense_claim_reopen(claim=claim, by=consultant.user)
    assert claim.status == ExpenseClaimStatus.DRAFT
    claim = expense_claim_submit(claim=claim, by=None)
    claim = expense_claim_approve(claim=claim, by=staff_user)
    assert claim.status == ExpenseClaimStatus.APPROVED and claim.approved_by == staff_user
    with pytest.raises(InvalidTransition) as error:
        expense_claim_approve(claim=claim, by=staff_user)
    assert str(error.value) == (
        "An expense claim cannot go from “Approved, awaiting reimbursement” to “Approved,"
        " awaiting reimbursement”."
    )


def test_a_draft_cannot_be_approved_nor_reimbursed(consultant, staff_user):
    claim = expense_claim(consultant)
    with pytest.raises(InvalidTransition):
        expense_claim_approve(claim=claim, by=staff_user)
    with pytest.raises(InvalidTransition):
        expense_claim_reimburse(claim=claim, by=staff_user)


def test_nobody_approves_their_own_claim(consultant, staff_user):
    claim = expense_claim(consultant)
    expense_line(claim)
    claim = expense_claim_submit(claim=claim, by=None)
    with pytest.raises(SelfApproval):
        expense_claim_approve(claim=claim, by=consultant.user)
    claim.refresh_from_db()
    assert claim.status == ExpenseClaimStatus.SUBMITTED


def test_the_history_records_each_step(consultant, staff_user):
    claim = expense_claim(consultant, by=consultant.user)
    expense_line(claim)
    claim = expense_claim_submit(claim=claim, by=consultant.user)
    expense_claim_approve(claim=claim, by=staff_user)
    statuses = list(claim.history.order_by("history_date").values_list("status", flat=True))
    assert statuses[0] == "draft" and statuses[-2:] == ["submitted", "approved"]
    assert claim.history.latest().history_user == staff_user


# --- reimbursement ------------------------------------------------------------------------
def test_reimbursement_beyond_the_balance_is_refused_with_both_figures(consultant, staff_user):
    fund(consultant, "380.00", by=staff_user)
    claim = approved_claim(consultant, approver=staff_user, amounts=("400.00", "12.50"))
    with pytest.raises(InsufficientBalance) as error:
        expense_claim_reimburse(claim=claim, by=staff_user)
    assert str(error.value) == (
        "The claim is 412.50 € but only 380.00 € is available on the activity account."
    )
    assert error.value.status_code == 409
    claim.refresh_from_db()
    assert claim.status == ExpenseClaimStatus.APPROVED
    assert claim.reimbursed_at is None and claim.reimbursement_date is None
    assert not expense_entries(consultant).exists()
    assert ledger_available(consultant) == Decimal("380.00")


def test_reimbursement_posts_exactly_one_ledger_entry(consultant, staff_user, finance_user):
    fund(consultant, "1000.00", by=staff_user)
    claim = approved_claim(consultant, approver=staff_user, amounts=("400.00", "12.50"))
    today = timezone.localdate()
    claim = expense_claim_reimburse(claim=claim, by=finance_user, on_date=today)
    assert claim.status == ExpenseClaimStatus.REIMBURSED
    assert claim.reimbursed_by == finance_user
    assert claim.reimbursement_date == today

    with pytest.raises(InvalidTransition):
        expense_claim_reimburse(claim=claim, by=finance_user)

    entry = expense_entries(consultant).get()
    assert entry.amount == Decimal("-412.50")
    assert entry.entry_date == today
    assert entry.source == claim
    assert entry.created_by == finance_user
    assert entry.label == f"Expense claim #{claim.pk} reimbursed: {claim.title}"
    assert ledger_available(consultant) == Decimal("587.50")


def test_the_whole_balance_can_be_reimbursed(consultant, staff_user):
    fund(consultant, "120.00", by=staff_user)
    claim = approved_claim(consultant, approver=staff_user, amounts=("120.00",))
    expense_claim_reimburse(claim=claim, by=staff_user)
    assert ledger_available(consultant) == Decimal("0.00")


def test_a_second_claim_sees_the_first_reimbursement(consultant, staff_user):
    fund(consultant, "200.00", by=staff_user)
    first = approved_claim(consultant, approver=staff_user, amounts=("150.00",))
    second = approved_claim(consultant, approver=staff_user, amounts=("80.00",))
    expense_claim_reimburse(claim=first, by=staff_user)
    with pytest.raises(InsufficientBalance, match="80.00 € but only 50.00 €"):
        expense_claim_reimburse(claim=second, by=staff_user)


def test_reimbursement_cannot_be_dated_before_the_approval(consultant, staff_user):
    fund(consultant, "500.00", by=staff_user)
    claim = approved_claim(consultant, approver=staff_user)
    with pytest.raises(ValidationError) as error:
        expense_claim_reimburse(
            claim=claim, by=staff_user, on_date=timezone.localdate() - timedelta(days=1)
        )
    assert "on_date" in error.value.message_dict
    assert not expense_entries(consultant).exists()


# --- rebilling ----------------------------------------------------------------------------
def test_rebilling_needs_a_contract_that_allows_it(consultant):
    plain = report_contract(consultant=consultant, rebill_expenses=False)
    claim = expense_claim(consultant, contract=plain)
    with pytest.raises(ValidationError) as error:
        expense_line(claim, rebill_to_client=True)
    assert error.value.message_dict["rebill_to_client"] == [
        f"The contract {plain.reference} does not provide for rebilling expenses to the client."
    ]
    with pytest.raises(ValidationError) as error:
        expense_line(expense_claim(consultant), rebill_to_client=True)
    assert "rebill_to_client" in error.value.message_dict

    rebilled = report_contract(consultant=consultant, rebill_expenses=True)
    claim = expense_claim(consultant, contract=rebilled)
    assert expense_line(claim, rebill_to_client=True).rebill_to_client
    with pytest.raises(ValidationError) as error:
        expense_claim_update(claim=claim, commercial_contract=plain)
    assert "commercial_contract" in error.value.message_dict


def test_rebillable_lines_are_found_then_marked(consultant, staff_user):
    contract = report_contract(consultant=consultant, rebill_expenses=True)
    claim = approved_claim(
        consultant,
        approver=staff_user,
        contract=contract,
        amounts=("100.00", "60.00"),
        rebill_to_client=True,
    )
    draft = expense_claim(consultant, contract=contract)
    expense_line(draft, rebill_to_client=True)  # not approved: not rebilled
    not_rebilled = approved_claim(consultant, approver=staff_user, contract=contract)

    lines = list(expense_lines_to_rebill(commercial_contract=contract, up_to=date(2026, 3, 31)))
    assert {line.claim_id for line in lines} == {claim.pk}
    assert len(lines) == 2
    assert not expense_lines_to_rebill(commercial_contract=contract, up_to=date(2026, 3, 9))
    assert not_rebilled.lines.get().rebill_to_client is False

    assert expense_lines_mark_rebilled(lines=lines, invoice_reference="F-2026-000123") == 2
    assert not expense_lines_to_rebill(commercial_contract=contract, up_to=date(2026, 3, 31))
    assert set(claim.lines.values_list("rebilled_invoice_reference", flat=True)) == {
        "F-2026-000123"
    }
    # a retried invoice job changes nothing; another invoice is refused
    assert expense_lines_mark_rebilled(lines=lines, invoice_reference="F-2026-000123") == 0
    with pytest.raises(DomainError, match="already rebilled on invoice F-2026-000123"):
        expense_lines_mark_rebilled(lines=lines, invoice_reference="F-2026-000124")


def test_only_lines_marked_for_rebilling_can_be_marked(consultant, staff_user):
    claim = approved_claim(consultant, approver=staff_user)
    with pytest.raises(DomainError, match="not marked for rebilling"):
        expense_lines_mark_rebilled(lines=list(claim.lines.all()), invoice_reference="F-1")


# --- selectors ----------------------------------------------------------------------------
def test_consultants_see_only_their_claims(consultant_user, other_consultant_user, finance_user):
    mine = expense_claim(consultant_user.consultant)
    theirs = expense_claim(other_consultant_user.consultant)
    assert list(expense_claims_for_user(consultant_user)) == [mine]
    assert set(expense_claims_for_user(finance_user)) == {mine, theirs}
    assert ExpenseClaim.objects.count() == 2
