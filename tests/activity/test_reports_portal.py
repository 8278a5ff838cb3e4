"""The consultant's activity report pages in the portal: list, creation, the month calendar
(form controls with labels), saving, submitting, and 404 on someone else's report."""

from datetime import date

import pytest
from django.urls import reverse

from apps.activity.models import ActivityReport, ActivityReportStatus
from apps.activity.services.reports import activity_report_reject
from tests.activity.factories import PASSWORD, report_contract, report_create, submitted_report

pytestmark = pytest.mark.django_db

Status = ActivityReportStatus
LIST = "/portal/activity-reports/"


@pytest.fixture
def portal(client, consultant_user):
    client.login(username=consultant_user.email, password=PASSWORD)
    return client


@pytest.fixture
def own_contract(consultant_user):
    return report_contract(consultant=consultant_user.consultant)


def edit_url(report) -> str:
    return reverse("portal:activity_report_edit", args=[report.pk])


def test_urls_are_named_in_the_portal_namespace():
    assert reverse("portal:activity_reports") == LIST
    assert reverse("portal:activity_report_create") == "/portal/activity-reports/new/"


def test_list_shows_my_reports_only(portal, own_contract, other_consultant_user):
    mine = report_create(own_contract)
    others = report_create(report_contract(consultant=other_consultant_user.consultant))
    response = portal.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert edit_url(mine) in html
    assert edit_url(others) not in html
    assert own_contract.reference in html  # offered in the "new report" form


def test_someone_elses_report_is_a_404(portal, other_consultant_user):
    others = report_create(report_contract(consultant=other_consultant_user.consultant))
    assert portal.get(edit_url(others)).status_code == 404
    response = portal.post(edit_url(others), {"action": "save", "day-2026-05-04": "1"})
    assert response.status_code == 404
    assert others.days.count() == 0


def test_staff_and_anonymous_do_not_reach_the_portal_pages(client, staff_user):
    report = report_create()
    assert client.get(LIST).status_code == 302  # to the login page
    client.login(username=staff_user.email, password=PASSWORD)
    assert client.get(LIST).status_code == 404
    assert client.get(edit_url(report)).status_code == 404


def test_create_a_report_then_land_on_its_calendar(portal, own_contract):
    response = portal.post(
        reverse("portal:activity_report_create"),
        {"commercial_contract": own_contract.pk, "month": "2026-05"},
    )
    report = ActivityReport.objects.get()
    assert response.status_code == 302 and response["Location"] == edit_url(report)
    assert (
        report.month == date(2026, 5, 1) and report.created_by.consultant == own_contract.consultant
    )


def test_second_report_for_the_month_is_refused_with_a_message(portal, own_contract):
    report_create(own_contract)
    response = portal.post(
        reverse("portal:activity_report_create"),
        {"commercial_contract": own_contract.pk, "month": "2026-05"},
    )
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert ActivityReport.objects.count() == 1


def test_someone_elses_contract_cannot_be_chosen(portal, other_consultant_user):
    foreign = report_contract(consultant=other_consultant_user.consultant)
    response = portal.post(
        reverse("portal:activity_report_create"),
        {"commercial_contract": foreign.pk, "month": "2026-05"},
    )
    assert response.status_code == 400
    assert not ActivityReport.objects.exists()


def test_calendar_has_one_labelled_select_per_working_day(portal, own_contract):
    report = report_create(own_contract)
    html = portal.get(edit_url(report)).content.decode()
    # 17 working days in May 2026 (see test_calendar.py): one select each, nothing else.
    assert html.count("<select ") == 17
    assert '<label for="day-2026-05-04">' in html and 'id="day-2026-05-04"' in html
    assert 'id="day-2026-05-01"' not in html  # 1 May, public holiday
    assert 'id="day-2026-05-02"' not in html  # Saturday
    assert 'data-testid="report-working-days">17<' in html
    assert 'class="cal-legend"' in html


def test_days_outside_the_contract_are_not_selectable(portal, consultant_user):
    contract = report_contract(consultant=consultant_user.consultant, start=date(2026, 5, 18))
    report = report_create(contract)
    html = portal.get(edit_url(report)).content.decode()
    # 18 to 31 May: weekdays 18-22, 25-29 = 10, minus Pentecost Monday (25) = 9.
    assert html.count("<select ") == 9
    assert 'data-date="2026-05-15"' in html and 'class="cal--outside' in html


def test_save_a_draft(portal, own_contract):
    report = report_create(own_contract)
    response = portal.post(
        edit_url(report), {"action": "save", "day-2026-05-04": "1", "day-2026-05-05": "0.5"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.days_total == 1.5 and report.status == Status.DRAFT
    page = portal.get(edit_url(report)).content.decode()
    assert '<option value="0.5" selected>' in page


def test_forged_holiday_value_is_refused_and_nothing_saved(portal, own_contract):
    report = report_create(own_contract)
    response = portal.post(
        edit_url(report), {"action": "save", "day-2026-05-04": "1", "day-2026-05-14": "0.5"}
    )
    assert response.status_code == 400
    assert "public holiday" in response.content.decode()
    assert report.days.count() == 0


def test_submit_from_the_calendar_emails_the_client(
    portal, own_contract, mailoutbox, django_capture_on_commit_callbacks
):
    report = report_create(own_contract)
    with django_capture_on_commit_callbacks(execute=True):
        response = portal.post(edit_url(report), {"action": "submit", "day-2026-05-04": "1"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    assert len(mailoutbox) == 1
    page = portal.get(edit_url(report)).content.decode()
    assert "<select " not in page  # read-only once submitted
    assert 'data-testid="report-status"' in page


def test_submitting_an_empty_report_keeps_the_draft_with_a_message(portal, own_contract):
    report = report_create(own_contract)
    response = portal.post(edit_url(report), {"action": "submit"}, follow=True)
    assert "was not submitted" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.DRAFT


def test_submitted_report_cannot_be_changed_from_the_portal(portal, own_contract):
    report, _token = submitted_report(own_contract)
    response = portal.post(edit_url(report), {"action": "save", "day-2026-05-07": "1"})
    assert response.status_code == 302
    assert report.days.count() == 3


def test_rejection_reason_is_shown(portal, own_contract, staff_user):
    report, _token = submitted_report(own_contract)
    activity_report_reject(report=report, by=staff_user, reason="The 5th was a day off.")
    html = portal.get(edit_url(report)).content.decode()
    assert 'data-testid="report-rejection"' in html
    assert "The 5th was a day off." in html
    assert html.count("<select ") == 17  # editable again
