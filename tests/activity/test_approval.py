"""The client's approval link: valid, expired, reused, tampered, another report's, replaced;
through the public page and the services. On every failure nothing changes."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.activity.models import (
    ActivityReportStatus,
    ApprovalChannel,
    ApprovalToken,
    ApprovalTokenUse,
    RejectedByKind,
)
from apps.activity.services.reports import (
    ApprovalLinkError,
    activity_report_client_approve,
    activity_report_client_reject,
    activity_report_reject,
    activity_report_set_days,
    activity_report_submit,
)
from tests.activity.factories import full_days, report_contract, submitted_report

pytestmark = pytest.mark.django_db

Status = ActivityReportStatus


def url(token: str) -> str:
    return reverse("activity_report_approval", args=[token])


def _state(report):
    report.refresh_from_db()
    tokens = list(ApprovalToken.objects.filter(report=report).values_list("used_at", "used_action"))
    return report.status, report.client_approved_at, report.rejected_at, tokens


def _expire(report):
    ApprovalToken.objects.filter(report=report).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )


def tampered(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


# --- the page ---------------------------------------------------------------------------------
def test_valid_link_shows_the_report_in_the_client_language(client):
    contract = report_contract(daily_rate="600.00")
    contract.client.document_language = "en"
    contract.client.save()
    report, token = submitted_report(contract)
    response = client.get(url(token))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="en"' in html
    assert report.consultant.full_name in html
    assert contract.client.legal_name in html
    assert "Activity report — May 2026" in html
    assert 'data-testid="approval-amount">1,800.00 €' in html
    assert 'data-date="2026-05-14"' in html and "Ascension Day" in html
    assert 'data-testid="approve-form"' in html and 'data-testid="reject-form"' in html
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_page_speaks_french_for_a_french_client(client):
    contract = report_contract()
    assert contract.client.document_language == "fr"
    _report, token = submitted_report(contract)
    html = client.get(url(token)).content.decode()
    assert 'lang="fr"' in html
    assert "Fête du Travail" in html  # the holiday names too


def test_approve_through_the_page_then_the_link_is_used_up(client):
    report, token = submitted_report()
    response = client.post(
        url(token),
        {"action": "approve", "approve-approver_name": "Paul Opérations", "approve-comment": "OK"},
    )
    assert response.status_code == 302 and response["Location"] == url(token)
    report.refresh_from_db()
    assert report.status == Status.CLIENT_APPROVED
    assert report.client_approver_name == "Paul Opérations"
    assert report.client_approval_comment == "OK"
    assert report.client_approval_channel == ApprovalChannel.LINK
    token_row = ApprovalToken.objects.get(report=report)
    assert token_row.used_action == ApprovalTokenUse.APPROVED and token_row.used_at

    page = client.get(url(token))
    assert page.status_code == 200
    assert 'data-state="used"' in page.content.decode()
    assert "approve-form" not in page.content.decode()


def test_reused_link_changes_nothing(client):
    report, token = submitted_report()
    client.post(url(token), {"action": "approve", "approve-approver_name": "Paul"})
    before = _state(report)
    response = client.post(
        url(token), {"action": "reject", "reject-approver_name": "Eve", "reject-reason": "No"}
    )
    assert response.status_code == 200
    assert 'data-state="used"' in response.content.decode()
    assert _state(report) == before


def test_expired_link_shows_an_explanation_and_changes_nothing(client):
    report, token = submitted_report()
    _expire(report)
    before = _state(report)
    page = client.get(url(token))
    assert page.status_code == 200
    assert 'data-state="expired"' in page.content.decode()
    response = client.post(url(token), {"action": "approve", "approve-approver_name": "Paul"})
    assert response.status_code == 200
    assert 'data-state="expired"' in response.content.decode()
    assert _state(report) == before
    assert before[0] == Status.SUBMITTED


def test_tampered_link_is_a_404_and_changes_nothing(client):
    report, token = submitted_report()
    before = _state(report)
    assert client.get(url(tampered(token))).status_code == 404
    response = client.post(
        url(tampered(token)), {"action": "approve", "approve-approver_name": "Paul"}
    )
    assert response.status_code == 404
    assert 'data-testid="approval-invalid"' in response.content.decode()
    assert _state(report) == before


def test_unknown_link_is_a_404(client):
    assert client.get(url("not-a-real-token")).status_code == 404


def test_link_replaced_by_a_new_submission_no_longer_works(client, staff_user):
    report, old = submitted_report()
    activity_report_reject(report=report, by=staff_user, reason="Add the 7th.")
    activity_report_set_days(report=report, days=full_days(date(2026, 5, 7)), by=None)
    activity_report_submit(report=report, by=None)
    before = _state(report)
    page = client.post(url(old), {"action": "approve", "approve-approver_name": "Paul"})
    assert page.status_code == 200
    assert 'data-state="invalidated"' in page.content.decode()
    assert _state(report) == before


def test_missing_name_shows_the_form_again_and_keeps_the_link(client):
    report, token = submitted_report()
    response = client.post(url(token), {"action": "approve", "approve-approver_name": " "})
    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    assert ApprovalToken.objects.get(report=report).used_at is None


def test_reject_through_the_page_needs_a_reason(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    report, token = submitted_report()
    response = client.post(url(token), {"action": "reject", "reject-approver_name": "Paul"})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(token),
            {
                "action": "reject",
                "reject-approver_name": "Paul",
                "reject-reason": "The 6th was not worked.",
            },
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.DRAFT
    assert report.rejected_by_kind == RejectedByKind.CLIENT
    assert report.rejected_by_name == "Paul"
    assert report.rejection_reason == "The 6th was not worked."
    assert [m.to for m in mailoutbox] == [[report.consultant.email]]


# --- the services -----------------------------------------------------------------------------
def test_service_refuses_another_reports_token_and_changes_neither():
    report_a, token_a = submitted_report()
    report_b, _token_b = submitted_report(report_contract())
    before = (_state(report_a), _state(report_b))
    with pytest.raises(ApprovalLinkError) as error:
        activity_report_client_approve(token=token_a, approver_name="Paul", report=report_b)
    assert error.value.reason == "other_report"
    assert error.value.code == "approval_link_other_report"
    assert (_state(report_a), _state(report_b)) == before


def test_service_refuses_an_expired_token():
    report, token = submitted_report()
    _expire(report)
    with pytest.raises(ApprovalLinkError) as error:
        activity_report_client_reject(token=token, approver_name="Paul", reason="No")
    assert error.value.reason == "expired"
    assert "expired on" in str(error.value)
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_service_refuses_a_used_token():
    _report, token = submitted_report()
    activity_report_client_approve(token=token, approver_name="Paul")
    with pytest.raises(ApprovalLinkError) as error:
        activity_report_client_approve(token=token, approver_name="Paul")
    assert error.value.reason == "used"
    assert "already used" in str(error.value)


def test_service_refuses_a_tampered_token_with_404_code():
    _report, token = submitted_report()
    with pytest.raises(ApprovalLinkError) as error:
        activity_report_client_approve(token=tampered(token), approver_name="Paul")
    assert error.value.reason == "invalid" and error.value.status_code == 404


def test_client_rejection_needs_a_reason_before_touching_the_token():
    report, token = submitted_report()
    with pytest.raises(ValidationError) as error:
        activity_report_client_reject(token=token, approver_name="Paul", reason="")
    assert "reason" in error.value.message_dict
    assert ApprovalToken.objects.get(report=report).used_at is None


def test_link_lifetime_follows_the_setting(settings):
    settings.ACTIVITY_APPROVAL_LINK_DAYS = 3
    report, _token = submitted_report()
    token = ApprovalToken.objects.get(report=report)
    assert token.expires_at - token.created_at < timedelta(days=3, minutes=1)
    assert token.expires_at - token.created_at > timedelta(days=2, hours=23)
