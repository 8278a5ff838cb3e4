"""The consultant's expense claims in the portal: list, new claim, lines with a receipt, the
mileage form computed on the server, removal, submission, the rejection reason, and 404 on
someone else's claim or receipt."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.activity.models import ExpenseClaim, ExpenseClaimStatus, ExpenseLine
from apps.activity.services.expenses import expense_claim_reject, expense_claim_submit

from .factories import expense_claim, expense_line, receipt_upload, report_contract

pytestmark = pytest.mark.django_db

LIST = "/portal/expenses/"


@pytest.fixture
def portal(client, consultant_user):
    client.force_login(consultant_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def edit_url(claim) -> str:
    return reverse("portal:expense_claim_edit", args=[claim.pk])


def test_urls_are_named_in_the_portal_namespace():
    assert reverse("portal:expense_claims") == LIST
    assert reverse("portal:expense_claim_edit", args=[3]) == "/portal/expenses/3/"
    assert reverse("portal:expense_receipt", args=[4]) == "/portal/expenses/lines/4/receipt/"


def test_list_shows_my_claims_with_status_and_totals(
    portal, consultant_user, other_consultant_user
):
    mine = expense_claim(consultant_user.consultant, title="Atelier Lyon")
    expense_line(mine, amount="86.40", vat="7.85")
    others = expense_claim(other_consultant_user.consultant, title="Pas à moi")
    response = portal.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="viewport"' in html
    assert edit_url(mine) in html and "Atelier Lyon" in html
    assert "86.40 €" in html and "7.85 €" in html and "Draft" in html
    assert edit_url(others) not in html and "Pas à moi" not in html


def test_create_a_claim(portal, consultant_user):
    contract = report_contract(consultant=consultant_user.consultant)
    response = portal.post(LIST, {"title": "Salon Paris", "commercial_contract": contract.pk})
    claim = ExpenseClaim.objects.get()
    assert response.status_code == 302 and response.url == edit_url(claim)
    assert claim.consultant == consultant_user.consultant
    assert claim.commercial_contract == contract


def test_someone_elses_mission_is_not_offered(portal, other_consultant_user):
    contract = report_contract(consultant=other_consultant_user.consultant)
    assert contract.reference not in portal.get(LIST).content.decode()
    response = portal.post(LIST, {"title": "x", "commercial_contract": contract.pk})
    assert response.status_code == 200
    assert not ExpenseClaim.objects.exists()


def test_the_edit_page_has_a_file_input_restricted_to_receipts(portal, consultant_user):
    claim = expense_claim(consultant_user.consultant)
    html = portal.get(edit_url(claim)).content.decode()
    assert re.search(
        r'<input type="file" name="line-receipt"[^>]*accept=".pdf,.jpg,.jpeg,.png"', html
    )
    assert 'enctype="multipart/form-data"' in html


def line_form(**overrides) -> dict:
    data = {
        "action": "add_line",
        "line-date": "2026-03-10",
        "line-category": "meals",
        "line-description": "Dîner client",
        "line-amount_ttc": "32.50",
        "line-vat_amount": "2.95",
        "line-receipt": receipt_upload("jpg", name="ticket.jpg"),
    }
    data.update(overrides)
    return data


def test_add_a_line_with_its_receipt_then_download_it(portal, consultant_user):
    claim = expense_claim(consultant_user.consultant)
    response = portal.post(edit_url(claim), line_form())
    assert response.status_code == 302
    line = ExpenseLine.objects.get()
    assert line.amount_ttc == Decimal("32.50") and line.receipt_content_type == "image/jpeg"
    html = portal.get(edit_url(claim)).content.decode()
    receipt_url = reverse("portal:expense_receipt", args=[line.pk])
    assert receipt_url in html and "32.50 €" in html
    response = portal.get(receipt_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_bad_lines_show_the_message_next_to_the_field(portal, consultant_user):
    claim = expense_claim(consultant_user.consultant)
    html_as_pdf = receipt_upload("pdf", name="facture.pdf", content=b"<html>hello</html>")
    response = portal.post(edit_url(claim), line_form(**{"line-receipt": html_as_pdf}))
    assert response.status_code == 200
    assert "is not a PDF, JPEG or PNG file" in response.content.decode()
    response = portal.post(
        edit_url(claim), line_form(**{"line-amount_ttc": "-5.00", "line-vat_amount": "0"})
    )
    assert "The amount must be greater than zero." in response.content.decode()
    assert not ExpenseLine.objects.exists()


def mileage_form(action: str) -> dict:
    return {
        "action": action,
        "mileage-date": "2026-03-12",
        "mileage-description": "Lyon - Grenoble",
        "mileage-vehicle_type": "car",
        "mileage-fiscal_horsepower": "5",
        "mileage-distance_km": "300",
        "mileage-yearly_distance_km": "12000",
    }


def test_mileage_is_computed_on_the_server_then_added(portal, consultant_user):
    claim = expense_claim(consultant_user.consultant)
    response = portal.post(edit_url(claim), mileage_form("preview_mileage"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Allowance: 141.98 €" in html and "0.47325 €/km" in html
    assert "not confirmed yet" in html  # the 2026 barème is flagged unconfirmed
    assert not ExpenseLine.objects.exists()

    response = portal.post(edit_url(claim), mileage_form("add_mileage"))
    assert response.status_code == 302
    line = ExpenseLine.objects.get()
    assert line.amount_ttc == Decimal("141.98") and not line.receipt


def test_remove_a_line_and_submit(portal, consultant_user):
    claim = expense_claim(consultant_user.consultant)
    first = expense_line(claim)
    expense_line(claim, amount="10.00", vat="0")
    remove = reverse("portal:expense_line_remove", args=[claim.pk, first.pk])
    assert portal.post(remove).status_code == 302
    assert list(claim.lines.values_list("amount_ttc", flat=True)) == [Decimal("10.00")]
    response = portal.post(reverse("portal:expense_claim_submit", args=[claim.pk]))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ExpenseClaimStatus.SUBMITTED
    html = portal.get(edit_url(claim)).content.decode()
    assert "can no longer be changed" in html
    assert 'name="action" value="add_line"' not in html


def test_the_rejection_reason_is_shown_and_the_claim_can_be_reopened(
    portal, consultant_user, staff_user
):
    claim = expense_claim(consultant_user.consultant)
    expense_line(claim)
    claim = expense_claim_submit(claim=claim, by=None)
    expense_claim_reject(claim=claim, by=staff_user, reason="Le ticket est illisible.")
    html = portal.get(edit_url(claim)).content.decode()
    assert "Le ticket est illisible." in html
    portal.post(reverse("portal:expense_claim_reopen", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.status == ExpenseClaimStatus.DRAFT


def test_someone_elses_claim_and_receipt_are_404(portal, other_consultant_user):
    claim = expense_claim(other_consultant_user.consultant)
    line = expense_line(claim)
    assert portal.get(edit_url(claim)).status_code == 404
    assert portal.post(edit_url(claim), line_form()).status_code == 404
    assert portal.get(reverse("portal:expense_receipt", args=[line.pk])).status_code == 404
    remove = reverse("portal:expense_line_remove", args=[claim.pk, line.pk])
    assert portal.post(remove).status_code == 404
    assert portal.post(reverse("portal:expense_claim_submit", args=[claim.pk])).status_code == 404
    assert ExpenseLine.objects.filter(pk=line.pk).exists()


def test_staff_without_a_consultant_profile_get_a_404(client, staff_user):
    client.force_login(staff_user)
    assert client.get(LIST).status_code == 404
