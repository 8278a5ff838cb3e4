"""Back-office screens of activity reports: lists by what they wait for, the read-only page
with its calendar, bulk validation with refusal reasons, rejection with a reason, an
approval recorded with its proof (real PDF only), the proof download."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.activity.models import ActivityReport, ActivityReportStatus
from apps.activity.services.reports import activity_report_record_approval
from tests.activity.factories import pdf_bytes, report_contract, report_create, submitted_report

pytestmark = pytest.mark.django_db

Status = ActivityReportStatus
CHANGELIST = "/admin/activity/activityreport/"


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def page(report, action: str = "") -> str:
    return f"{CHANGELIST}{report.pk}/" + (f"{action}/" if action else "change/")


def _approved():
    report, _token = submitted_report(report_contract())
    return activity_report_record_approval(
        report=report,
        by=None,
        proof_file=SimpleUploadedFile("ok.pdf", pdf_bytes()),
        approver_name="Paul",
    )


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_awaiting_filters(staff_client):
    draft = report_create()
    submitted, _token = submitted_report(report_contract())
    approved = _approved()

    def listed(query):
        html = staff_client.get(f"{CHANGELIST}?{query}").content.decode()
        return {r.pk for r in (draft, submitted, approved) if page(r) in html}

    assert listed("awaiting=client") == {submitted.pk}
    assert listed("awaiting=validation") == {approved.pk}
    assert listed("") == {draft.pk, submitted.pk, approved.pk}


def test_change_page_is_read_only_with_the_calendar(staff_client):
    report, _token = submitted_report()
    response = staff_client.get(page(report))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="admin-report-calendar"' in html
    assert 'data-date="2026-05-04"' in html
    assert 'name="_save"' not in html
    assert staff_client.post(page(report), {}).status_code == 302
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_bulk_validation_action_reports_refusals(staff_client):
    ok = _approved()
    pending, _token = submitted_report(report_contract())
    response = staff_client.post(
        CHANGELIST,
        {"action": "validate_selected", "_selected_action": [ok.pk, pending.pk]},
        follow=True,
    )
    messages = _messages(response)
    assert any("1 report validated." in m for m in messages)
    assert any(
        "Not validated" in m and "only a report approved by the client can be validated" in m
        for m in messages
    )
    assert dict(ActivityReport.objects.values_list("pk", "status")) == {
        ok.pk: Status.VALIDATED,
        pending.pk: Status.SUBMITTED,
    }


def test_bulk_reject_asks_for_a_reason(staff_client):
    report, _token = submitted_report()
    first = staff_client.post(
        CHANGELIST, {"action": "reject_selected", "_selected_action": [report.pk]}
    )
    assert first.status_code == 200
    assert 'data-testid="bulk-reject-form"' in first.content.decode()
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    staff_client.post(
        CHANGELIST,
        {
            "action": "reject_selected",
            "_selected_action": [report.pk],
            "apply": "1",
            "reason": "The client is wrong.",
        },
    )
    report.refresh_from_db()
    assert report.status == Status.DRAFT
    assert report.rejection_reason == "The client is wrong."


def test_record_approval_page_needs_a_real_pdf_or_image(staff_client):
    report, _token = submitted_report()
    fake = SimpleUploadedFile("mail.pdf", b"<!doctype html><p>OK</p>", "application/pdf")
    refused = staff_client.post(
        page(report, "record-approval"), {"approver_name": "Paul", "proof_file": fake}
    )
    assert refused.status_code == 200
    assert "PDF, PNG or JPEG" in refused.content.decode()
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    accepted = staff_client.post(
        page(report, "record-approval"),
        {"approver_name": "Paul", "proof_file": SimpleUploadedFile("mail.pdf", pdf_bytes())},
    )
    assert accepted.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.CLIENT_APPROVED
    download = staff_client.get(f"{CHANGELIST}{report.pk}/download/proof/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_detail_actions_follow_the_status(staff_client, staff_user):
    report, _token = submitted_report()
    # Not approved yet: validation is not offered (the action page refuses).
    assert staff_client.get(page(report, "validate")).status_code in {302, 403}
    report = _approved()
    assert staff_client.get(page(report, "validate")).status_code == 200
    assert staff_client.post(page(report, "validate"), {}).status_code == 302
    report.refresh_from_db()
    assert report.status == Status.VALIDATED and report.validated_by == staff_user
    rejected = staff_client.post(page(report, "reject"), {"reason": "Wrong rate."})
    assert rejected.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.DRAFT


def test_finance_sees_but_cannot_act(client, finance_user):
    report = _approved()
    client.force_login(finance_user)
    assert client.get(page(report)).status_code == 200
    client.post(CHANGELIST, {"action": "validate_selected", "_selected_action": [report.pk]})
    report.refresh_from_db()
    assert report.status == Status.CLIENT_APPROVED


def test_a_forged_post_to_the_change_page_changes_nothing(staff_client):
    report, _token = submitted_report()
    response = staff_client.post(page(report), {"status": "validated", "days_total": "20"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    assert "Activity reports change through the actions only." in _messages(response)
    assert staff_client.get(f"{CHANGELIST}add/").status_code == 403
