"""Reads on expense claims, scoped to who asks (DESIGN.md §3.10): the back office sees every
claim, a consultant only their own (someone else's id is a 404), anyone else nothing."""

from datetime import date

from django.db.models import Count, QuerySet

from apps.accounts.roles import user_is_back_office, user_is_consultant

from ..models.expenses import ExpenseClaim, ExpenseClaimStatus, ExpenseLine

__all__ = [
    "expense_claim_list",
    "expense_claims_awaiting_approval",
    "expense_claims_awaiting_reimbursement",
    "expense_claims_for_user",
    "expense_lines_for_user",
    "expense_lines_to_rebill",
]


def expense_claim_list() -> QuerySet[ExpenseClaim]:
    """Every claim with what lists show joined and its number of lines annotated: a list
    costs one query whatever its length."""
    return ExpenseClaim.objects.select_related(
        "consultant",
        "commercial_contract",
        "commercial_contract__client",
        "approved_by",
        "rejected_by",
        "reimbursed_by",
    ).annotate(line_count=Count("lines"))


def expense_claims_for_user(user) -> QuerySet[ExpenseClaim]:
    """Back office: every claim; a consultant: those of their own profile; others: none."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ExpenseClaim.objects.none()
    if user_is_back_office(user):
        return expense_claim_list()
    if user_is_consultant(user):
        return expense_claim_list().filter(consultant__user=user)
    return ExpenseClaim.objects.none()


def expense_claims_awaiting_approval() -> QuerySet[ExpenseClaim]:
    """Submitted claims, oldest submission first (the staff's work queue)."""
    return (
        expense_claim_list()
        .filter(status=ExpenseClaimStatus.SUBMITTED)
        .order_by("submitted_at", "pk")
    )


def expense_claims_awaiting_reimbursement() -> QuerySet[ExpenseClaim]:
    """Approved claims not yet paid, oldest approval first (finance's work queue)."""
    return (
        expense_claim_list()
        .filter(status=ExpenseClaimStatus.APPROVED)
        .order_by("approved_at", "pk")
    )


def expense_lines_for_user(user) -> QuerySet[ExpenseLine]:
    """The lines of the claims `user` may see."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ExpenseLine.objects.none()
    lines = ExpenseLine.objects.select_related(
        "claim", "claim__consultant", "claim__commercial_contract"
    )
    if user_is_back_office(user):
        return lines
    if user_is_consultant(user):
        return lines.filter(claim__consultant__user=user)
    return ExpenseLine.objects.none()


def expense_lines_to_rebill(*, commercial_contract, up_to: date) -> QuerySet[ExpenseLine]:
    """The lines the next invoice of `commercial_contract` must rebill to the client: marked
    for rebilling, of an approved (or already reimbursed) claim of that mission, dated on or
    before `up_to`, not yet rebilled. Oldest first."""
    return (
        ExpenseLine.objects.select_related("claim")
        .filter(
            claim__commercial_contract=commercial_contract,
            claim__status__in=sorted(ExpenseClaim.REBILLABLE),
            rebill_to_client=True,
            rebilled_invoice_reference="",
            date__lte=up_to,
        )
        .order_by("date", "pk")
    )
