"""The portal calendar in a real browser (Playwright on Debian chromium) at a phone's width:
nothing overflows at 390 px, the days are filled with the keyboard, the live total follows,
and the report is submitted."""

from datetime import date

import pytest

from apps.accounts.roles import Role
from apps.activity.models import ActivityReport, ActivityReportStatus
from tests.activity.factories import PASSWORD, report_contract, report_create
from tests.browser import login
from tests.consultants.factories import ConsultantFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


@pytest.fixture
def phone_report(make_user):
    user = make_user(Role.CONSULTANT, email="phone@example.test", language="en")
    ConsultantFactory(user=user, email=user.email)
    contract = report_contract(consultant=user.consultant)
    return user, report_create(contract, month=date(2026, 5, 1))


def test_calendar_fits_a_390px_phone_and_works_with_the_keyboard(
    live_server, page_factory, screenshot, phone_report
):
    user, report = phone_report
    page = page_factory(locale="en-GB", width=PHONE_WIDTH, height=844)
    login(page, live_server.url, user.email, PASSWORD)
    page.goto(f"{live_server.url}/portal/activity-reports/{report.pk}/")
    page.wait_for_load_state("networkidle")

    # No horizontal scrolling: the page and the 7-column grid stay within the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    box = page.locator("[data-testid=report-calendar]").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH
    for cell in page.locator("[data-testid=report-calendar] select").all():
        cell_box = cell.bounding_box()
        assert cell_box["x"] + cell_box["width"] <= PHONE_WIDTH
    screenshot(page, "portal-activity-report-390px")

    # Keyboard: each select has a label with the full date; typing picks the value.
    select = page.get_by_label("Monday 4 May 2026")
    select.focus()
    page.keyboard.press("1")
    page.keyboard.press("Tab")  # to Tuesday 5 May
    focused = page.evaluate("document.activeElement.id")
    assert focused == "day-2026-05-05"
    page.keyboard.press("ArrowDown")  # "—" -> "½"
    assert page.locator("#day-2026-05-04").input_value() == "1"
    assert page.locator("#day-2026-05-05").input_value() == "0.5"
    assert page.locator("[data-testid=report-days-total]").inner_text() == "1.5"
    assert page.locator("[data-testid=report-amount]").inner_text().startswith("900.00")

    page.locator("[data-testid=report-submit]").click()
    page.wait_for_load_state("networkidle")
    report = ActivityReport.objects.get(pk=report.pk)
    assert report.status == ActivityReportStatus.SUBMITTED
    assert report.days_total == 1.5
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    screenshot(page, "portal-activity-report-submitted-390px")


def test_client_approves_through_the_emailed_link(
    live_server, page_factory, screenshot, mailoutbox
):
    from tests.activity.factories import submitted_report, token_from_email

    contract = report_contract()
    contract.client.document_language = "en"
    contract.client.save()
    report, token = submitted_report(contract)
    assert token_from_email(mailoutbox[-1]) == token
    page = page_factory(locale="en-GB")
    page.goto(f"{live_server.url}/activity/approval/{token}/")
    assert page.locator("h1").inner_text() == "Activity report — May 2026"
    screenshot(page, "public-activity-report-approval")
    page.get_by_label("Your name").first.fill("Paul Opérations")
    page.locator("[data-testid=approve-form] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=approval-closed]").get_attribute("data-state") == "used"
    assert "Report approved" in page.content()
    screenshot(page, "public-activity-report-approved")
    report.refresh_from_db()
    assert report.status == ActivityReportStatus.CLIENT_APPROVED
    assert report.client_approver_name == "Paul Opérations"


def test_approval_page_fits_a_phone(live_server, page_factory, screenshot):
    from tests.activity.factories import submitted_report

    _report, token = submitted_report()
    page = page_factory(locale="fr-FR", width=PHONE_WIDTH, height=844)
    page.goto(f"{live_server.url}/activity/approval/{token}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    screenshot(page, "public-activity-report-approval-390px")


def test_staff_see_the_calendar_in_the_admin(live_server, page_factory, screenshot, staff_user):
    from tests.activity.factories import submitted_report

    report, _token = submitted_report()
    page = page_factory(locale="en-GB")
    login(page, live_server.url, staff_user.email, PASSWORD)
    page.goto(f"{live_server.url}/admin/activity/activityreport/?awaiting=client")
    assert page.locator("#result_list tbody tr").count() == 1
    page.goto(f"{live_server.url}/admin/activity/activityreport/{report.pk}/change/")
    assert page.locator("[data-testid=admin-report-calendar]").is_visible()
    screenshot(page, "admin-activity-report")
