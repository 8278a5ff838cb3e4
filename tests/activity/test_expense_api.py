"""Expense claims through HTTP: multipart upload, the role x endpoint matrix (someone else's
claim, line or receipt is a 404; a consultant cannot approve), reimbursement, query counts."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.activity.models import ExpenseClaim, ExpenseClaimStatus, ExpenseLine
from apps.activity.services.expenses import expense_claim_submit
from apps.ledger.models import LedgerEntry, LedgerEntryKind

from .factories import (
    approved_claim,
    expense_claim,
    expense_line,
    fund,
    pdf_bytes,
    png_bytes,
    receipt_upload,
    report_contract,
)

pytestmark = pytest.mark.django_db

CLAIMS = "/api/v1/expense-claims/"


def claim_url(claim, action: str = "") -> str:
    return f"{CLAIMS}{claim.pk}/" + (f"{action}/" if action else "")


def line_url(line, action: str = "") -> str:
    return f"/api/v1/expense-lines/{line.pk}/" + (f"{action}/" if action else "")


def line_payload(**overrides) -> dict:
    payload = {
        "date": "2026-03-10",
        "category": "meals",
        "description": "Dîner client",
        "amount_ttc": "120.00",
        "vat_amount": "10.91",
        "receipt": receipt_upload("pdf"),
    }
    payload.update(overrides)
    return payload


@pytest.fixture
def api_as(api_as):
    """API clients asking for English messages (the default language is French)."""

    def _as(user):
        client = api_as(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return _as


@pytest.fixture
def me(consultant_user, api_as):
    return api_as(consultant_user)


@pytest.fixture
def mine(consultant_user):
    claim = expense_claim(consultant_user.consultant)
    expense_line(claim)
    return claim


@pytest.fixture
def theirs(other_consultant_user):
    claim = expense_claim(other_consultant_user.consultant, title="Autre consultant")
    expense_line(claim)
    return claim


# --- the consultant's path --------------------------------------------------------------------
def test_a_consultant_creates_fills_and_submits_a_claim(me, consultant_user):
    response = me.post(CLAIMS, {"title": "Atelier client Lyon"}, format="json")
    assert response.status_code == 201, response.data
    claim_id = response.data["id"]
    assert response.data["consultant"] == consultant_user.consultant.pk
    assert response.data["status"] == "draft"

    response = me.post(f"{CLAIMS}{claim_id}/lines/", line_payload(), format="multipart")
    assert response.status_code == 201, response.data
    assert response.data["amount_ttc"] == "120.00"
    assert response.data["receipt_content_type"] == "application/pdf"
    assert response.data["receipt_url"] == f"/api/v1/expense-lines/{response.data['id']}/receipt/"

    mileage = {
        "date": "2026-03-12",
        "category": "mileage",
        "description": "Lyon - Grenoble",
        "vehicle_type": "car",
        "fiscal_horsepower": 5,
        "distance_km": "300",
        "yearly_distance_km": 12000,
    }
    response = me.post(f"{CLAIMS}{claim_id}/lines/", mileage, format="json")
    assert response.status_code == 201, response.data
    assert response.data["amount_ttc"] == "141.98"
    assert response.data["has_receipt"] is False

    response = me.post(f"{CLAIMS}{claim_id}/submit/")
    assert response.status_code == 200, response.data
    assert response.data["status"] == "submitted"
    assert response.data["total_ttc"] == "261.98"
    assert len(response.data["lines"]) == 2


def test_the_receipt_is_served_with_its_sniffed_type(me, consultant_user):
    claim = expense_claim(consultant_user.consultant)
    line = expense_line(claim, receipt=receipt_upload("png", name="photo.png"))
    response = me.get(line_url(line, "receipt"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == line.receipt.open("rb").read()
    assert "photo" not in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"amount_ttc": "-12.00", "vat_amount": "0"},
            "amount_ttc",
            "The amount must be greater than zero.",
        ),
        (
            {"amount_ttc": "50.00", "vat_amount": "60.00"},
            "vat_amount",
            "The VAT (60.00 €) cannot exceed the amount including VAT (50.00 €).",
        ),
        (
            {"receipt": SimpleUploadedFile("facture.pdf", b"<html><body>hi</body></html>")},
            "receipt",
            "“facture.pdf” is not a PDF, JPEG or PNG file (its content was checked, not its name).",
        ),
    ],
)
def test_bad_lines_are_refused_with_the_field_and_nothing_written(
    me, consultant_user, overrides, field, message
):
    claim = expense_claim(consultant_user.consultant)
    response = me.post(claim_url(claim, "lines"), line_payload(**overrides), format="multipart")
    assert response.status_code == 400
    assert response.data["code"] == "invalid"
    assert response.data["fields"][field] == [message]
    assert not ExpenseLine.objects.exists()


def test_a_png_named_pdf_is_refused(me, consultant_user):
    claim = expense_claim(consultant_user.consultant)
    upload = SimpleUploadedFile("facture.pdf", png_bytes(), content_type="application/pdf")
    response = me.post(claim_url(claim, "lines"), line_payload(receipt=upload), format="multipart")
    assert response.status_code == 400
    assert "content is a PNG image" in response.data["fields"]["receipt"][0]


def test_a_submitted_claim_cannot_change(me, mine):
    expense_claim_submit(claim=mine, by=None)
    line = mine.lines.get()
    for response in (
        me.patch(claim_url(mine), {"title": "Autre"}, format="json"),
        me.post(claim_url(mine, "lines"), line_payload(), format="multipart"),
        me.patch(line_url(line), {"amount_ttc": "1.00"}, format="json"),
        me.delete(line_url(line)),
    ):
        assert response.status_code == 409
        assert response.data["code"] == "expense_claim_not_editable"
    line.refresh_from_db()
    assert line.amount_ttc == Decimal("120.00")


def test_patch_and_delete_a_line_of_a_draft(me, mine):
    line = mine.lines.get()
    response = me.patch(
        line_url(line), {"amount_ttc": "99.90", "vat_amount": "9.08"}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["amount_ttc"] == "99.90"
    assert me.get(claim_url(mine)).data["total_ttc"] == "99.90"
    assert me.delete(line_url(line)).status_code == 204
    assert me.get(claim_url(mine)).data["total_ttc"] == "0.00"


def test_the_mission_must_be_the_consultants_own(me, other_consultant_user):
    contract = report_contract(consultant=other_consultant_user.consultant)
    response = me.post(CLAIMS, {"title": "x", "commercial_contract": contract.pk}, format="json")
    assert response.status_code == 400
    assert "commercial_contract" in response.data["fields"]


def test_rebilling_needs_a_contract_that_provides_it(me, consultant_user):
    contract = report_contract(consultant=consultant_user.consultant, rebill_expenses=False)
    response = me.post(CLAIMS, {"title": "x", "commercial_contract": contract.pk}, format="json")
    claim = ExpenseClaim.objects.get(pk=response.data["id"])
    response = me.post(
        claim_url(claim, "lines"), line_payload(rebill_to_client="true"), format="multipart"
    )
    assert response.status_code == 400
    assert "rebill_to_client" in response.data["fields"]


# --- someone else's: 404 -------------------------------------------------------------------
def test_someone_elses_claim_line_and_receipt_are_404(me, theirs):
    line = theirs.lines.get()
    assert me.get(claim_url(theirs)).status_code == 404
    assert me.patch(claim_url(theirs), {"title": "x"}, format="json").status_code == 404
    assert (
        me.post(claim_url(theirs, "lines"), line_payload(), format="multipart").status_code == 404
    )
    assert me.post(claim_url(theirs, "submit")).status_code == 404
    assert me.get(line_url(line)).status_code == 404
    assert me.get(line_url(line, "receipt")).status_code == 404
    assert me.patch(line_url(line), {"description": "x"}, format="json").status_code == 404
    assert me.delete(line_url(line)).status_code == 404
    ids = [row["id"] for row in me.get(CLAIMS).data["results"]]
    assert theirs.pk not in ids
    theirs.refresh_from_db()
    assert theirs.status == ExpenseClaimStatus.DRAFT and theirs.lines.count() == 1


# --- the role matrix --------------------------------------------------------------------------
def test_a_consultant_cannot_approve_reject_nor_reimburse_even_their_own(me, mine):
    expense_claim_submit(claim=mine, by=None)
    assert me.post(claim_url(mine, "approve")).status_code == 403
    assert me.post(claim_url(mine, "reject"), {"reason": "x"}, format="json").status_code == 403
    assert me.post(claim_url(mine, "reimburse")).status_code == 403
    mine.refresh_from_db()
    assert mine.status == ExpenseClaimStatus.SUBMITTED


@pytest.mark.parametrize(
    ("role", "expected"),
    [("staff_user", 200), ("finance_user", 403)],
)
def test_staff_approve_finance_cannot(request, api_as, mine, role, expected):
    expense_claim_submit(claim=mine, by=None)
    client = api_as(request.getfixturevalue(role))
    assert client.post(claim_url(mine, "approve")).status_code == expected
    mine.refresh_from_db()
    assert (mine.status == ExpenseClaimStatus.APPROVED) is (expected == 200)


def test_staff_reject_with_a_reason(api_as, staff_user, mine):
    expense_claim_submit(claim=mine, by=None)
    client = api_as(staff_user)
    response = client.post(claim_url(mine, "reject"), {}, format="json")
    assert response.status_code == 400 and "reason" in response.data["fields"]
    response = client.post(claim_url(mine, "reject"), {"reason": "Ticket illisible"}, format="json")
    assert response.status_code == 200
    assert response.data["rejection_reason"] == "Ticket illisible"


@pytest.mark.parametrize("role", ["staff_user", "finance_user"])
def test_staff_and_finance_reimburse(request, api_as, consultant_user, staff_user, role):
    consultant = consultant_user.consultant
    fund(consultant, "500.00", by=staff_user)
    claim = approved_claim(consultant, approver=staff_user, amounts=("120.00",))
    client = api_as(request.getfixturevalue(role))
    response = client.post(claim_url(claim, "reimburse"), {}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["status"] == "reimbursed"
    assert response.data["reimbursement_date"] == timezone.localdate().isoformat()
    # twice: refused, still one ledger entry
    response = client.post(claim_url(claim, "reimburse"), {}, format="json")
    assert response.status_code == 409 and response.data["code"] == "invalid_transition"
    entries = LedgerEntry.objects.filter(kind=LedgerEntryKind.EXPENSE_REIMBURSED)
    assert list(entries.values_list("amount", flat=True)) == [Decimal("-120.00")]


def test_reimbursement_beyond_the_balance_is_a_409_with_both_figures(
    api_as, consultant_user, staff_user, finance_user
):
    consultant = consultant_user.consultant
    fund(consultant, "380.00", by=staff_user)
    claim = approved_claim(consultant, approver=staff_user, amounts=("400.00", "12.50"))
    response = api_as(finance_user).post(claim_url(claim, "reimburse"), {}, format="json")
    assert response.status_code == 409
    assert response.data == {
        "code": "insufficient_balance",
        "message": "The claim is 412.50 € but only 380.00 € is available on the activity account.",
        "fields": {"amount": ["412.50"], "available": ["380.00"]},
    }
    claim.refresh_from_db()
    assert claim.status == ExpenseClaimStatus.APPROVED
    assert not LedgerEntry.objects.filter(kind=LedgerEntryKind.EXPENSE_REIMBURSED).exists()


def test_finance_reads_but_cannot_create_nor_edit(api_as, finance_user, consultant_user, mine):
    client = api_as(finance_user)
    assert client.get(CLAIMS).status_code == 200
    assert client.get(claim_url(mine)).status_code == 200
    response = client.post(
        CLAIMS, {"title": "x", "consultant": consultant_user.consultant.pk}, format="json"
    )
    assert response.status_code == 403
    assert (
        client.post(claim_url(mine, "lines"), line_payload(), format="multipart").status_code == 403
    )
    assert client.post(claim_url(mine, "submit")).status_code == 403


def test_staff_create_a_claim_for_a_consultant(api_as, staff_user, consultant_user):
    client = api_as(staff_user)
    response = client.post(CLAIMS, {"title": "Pour le consultant"}, format="json")
    assert response.status_code == 400 and "consultant" in response.data["fields"]
    response = client.post(
        CLAIMS,
        {"title": "Pour le consultant", "consultant": consultant_user.consultant.pk},
        format="json",
    )
    assert response.status_code == 201
    assert response.data["consultant"] == consultant_user.consultant.pk


def test_anonymous_and_roleless_users_get_nothing(api_client, api_as, mine):
    assert api_client.get(CLAIMS).status_code in (401, 403)
    nobody = get_user_model().objects.create_user("nobody@example.test", "S3cure-pass-for-tests!")
    assert api_as(nobody).get(CLAIMS).status_code == 403


def test_a_consultant_role_without_profile_cannot_create(api_as, consultant_role_user):
    response = api_as(consultant_role_user).post(CLAIMS, {"title": "x"}, format="json")
    assert response.status_code == 403


def test_filter_by_status(api_as, staff_user, mine, theirs):
    expense_claim_submit(claim=theirs, by=None)
    response = api_as(staff_user).get(CLAIMS, {"status": "submitted"})
    assert [row["id"] for row in response.data["results"]] == [theirs.pk]


# --- query counts -----------------------------------------------------------------------------
def _claims(consultant, count, contract=None):
    for index in range(count):
        claim = expense_claim(consultant, title=f"Claim {index}", contract=contract)
        expense_line(claim, receipt=receipt_upload("pdf", content=pdf_bytes()))


@pytest.mark.parametrize("role", ["consultant_user", "staff_user"])
def test_list_query_count_does_not_grow(
    request, api_as, consultant_user, django_assert_num_queries, role
):
    user = request.getfixturevalue(role)
    client = api_as(user)
    consultant = consultant_user.consultant
    contract = report_contract(consultant=consultant)
    _claims(consultant, 1, contract)
    client.get(CLAIMS)  # warm the per-user permission caches of this client
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(CLAIMS).data["results"]) == 1
    _claims(consultant, 6, contract)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get(CLAIMS).data["results"]) == 7
    assert len(one.captured_queries) <= 3  # the page, its count, nothing per row
