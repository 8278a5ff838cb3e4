"""Back-office screens of expense claims: the "to approve" list, the read-only page with the
lines and their receipts (admin-only view), approve / reject / reimburse actions."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from apps.activity.models import ExpenseClaim, ExpenseClaimStatus
from apps.activity.services.expenses import expense_claim_submit
from apps.ledger.models import LedgerEntry, LedgerEntryKind

from .factories import approved_claim, expense_claim, expense_line, fund, receipt_upload

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/activity/expenseclaim/"


def page(claim, action: str = "") -> str:
    return f"{CHANGELIST}{claim.pk}/" + (f"{action}/" if action else "change/")


def login(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def submitted(consultant_user):
    claim = expense_claim(consultant_user.consultant, title="Salon Paris")
    expense_line(claim, receipt=receipt_upload("png"))
    return expense_claim_submit(claim=claim, by=None)


def test_the_to_approve_filter(client, staff_user, consultant_user, submitted):
    draft = expense_claim(consultant_user.consultant, title="Brouillon")
    response = login(client, staff_user).get(CHANGELIST, {"awaiting": "approval"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Salon Paris" in html and "Brouillon" not in html
    assert draft.pk != submitted.pk


def test_the_page_links_receipts_through_the_admin(client, staff_user, submitted):
    line = submitted.lines.get()
    client = login(client, staff_user)
    html = client.get(page(submitted)).content.decode()
    receipt = f"{CHANGELIST}{submitted.pk}/lines/{line.pk}/receipt/"
    assert receipt in html
    assert "/media/" not in html
    response = client.get(receipt)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    # the line's id under another claim is a 404
    other = expense_claim(submitted.consultant)
    assert client.get(f"{CHANGELIST}{other.pk}/lines/{line.pk}/receipt/").status_code == 404


def test_a_consultant_cannot_reach_the_admin_receipt(client, consultant_user, submitted):
    line = submitted.lines.get()
    client.force_login(consultant_user)
    response = client.get(f"{CHANGELIST}{submitted.pk}/lines/{line.pk}/receipt/")
    assert response.status_code == 302  # to the admin login
    assert "/admin/login/" in response.url


def test_approve_from_the_page(client, staff_user, submitted):
    client = login(client, staff_user)
    assert client.get(page(submitted, "approve")).status_code == 200
    response = client.post(page(submitted, "approve"))
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ExpenseClaimStatus.APPROVED
    assert submitted.approved_by == staff_user
    assert any("approved" in message for message in _messages(response))


def test_reject_needs_a_reason(client, staff_user, submitted):
    client = login(client, staff_user)
    response = client.post(page(submitted, "reject"), {"reason": ""})
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == ExpenseClaimStatus.SUBMITTED
    client.post(page(submitted, "reject"), {"reason": "Justificatif manquant"})
    submitted.refresh_from_db()
    assert submitted.status == ExpenseClaimStatus.REJECTED
    assert submitted.rejection_reason == "Justificatif manquant"


def test_finance_cannot_approve(client, finance_user, submitted):
    response = login(client, finance_user).post(page(submitted, "approve"))
    assert response.status_code in (302, 403)
    submitted.refresh_from_db()
    assert submitted.status == ExpenseClaimStatus.SUBMITTED


def test_reimburse_shows_the_balance_and_refuses_beyond_it(
    client, finance_user, staff_user, consultant_user
):
    consultant = consultant_user.consultant
    fund(consultant, "100.00", by=staff_user)
    claim = approved_claim(consultant, approver=staff_user, amounts=("150.00",))
    client = login(client, finance_user)
    response = client.get(page(claim, "reimburse"))
    assert response.status_code == 200
    assert "100.00 €" in response.content.decode()
    today = timezone.localdate().isoformat()
    response = client.post(page(claim, "reimburse"), {"on_date": today})
    assert response.status_code == 200
    assert (
        "The claim is 150.00 € but only 100.00 € is available on the activity account."
        in response.content.decode()
    )
    assert not LedgerEntry.objects.filter(kind=LedgerEntryKind.EXPENSE_REIMBURSED).exists()

    fund(consultant, "50.00", by=staff_user, on=timezone.localdate())
    response = client.post(page(claim, "reimburse"), {"on_date": today})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ExpenseClaimStatus.REIMBURSED
    entry = LedgerEntry.objects.get(kind=LedgerEntryKind.EXPENSE_REIMBURSED)
    assert entry.amount == Decimal("-150.00")


def test_bulk_approve(client, staff_user, consultant_user, submitted):
    other = expense_claim(consultant_user.consultant, title="Autre")
    expense_line(other)
    other = expense_claim_submit(claim=other, by=None)
    draft = expense_claim(consultant_user.consultant, title="Brouillon")
    response = login(client, staff_user).post(
        CHANGELIST,
        {"action": "approve_selected", "_selected_action": [submitted.pk, other.pk, draft.pk]},
    )
    assert response.status_code == 302
    statuses = dict(ExpenseClaim.objects.values_list("pk", "status"))
    assert statuses[submitted.pk] == statuses[other.pk] == ExpenseClaimStatus.APPROVED
    assert statuses[draft.pk] == ExpenseClaimStatus.DRAFT
    messages = _messages(response)
    assert "2 claims approved." in messages
    assert any(message.startswith("Not approved:") for message in messages)


def test_the_page_is_read_only(client, staff_user, submitted):
    client = login(client, staff_user)
    response = client.post(page(submitted), {"title": "Changed"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.title == "Salon Paris"
