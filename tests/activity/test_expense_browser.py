"""An expense claim in a real browser (Playwright on Debian chromium): the consultant fills
it on a 390 px phone (receipt upload, mileage computed on the server), submits it; staff
approve it and finance reimburse it in the admin; the activity account shows the movement."""

from decimal import Decimal

import pytest

from apps.accounts.roles import Role
from apps.activity.models import ExpenseClaim, ExpenseClaimStatus
from apps.ledger.models import LedgerEntry, LedgerEntryKind
from tests.activity.factories import PASSWORD, fund, pdf_bytes, report_contract
from tests.browser import login
from tests.consultants.factories import ConsultantFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


@pytest.fixture
def people(make_user):
    consultant_user = make_user(Role.CONSULTANT, email="notes@example.test", language="en")
    ConsultantFactory(user=consultant_user, email=consultant_user.email)
    staff = make_user(Role.STAFF, email="gestion@example.test", language="en")
    finance = make_user(Role.FINANCE, email="compta@example.test", language="en")
    report_contract(consultant=consultant_user.consultant, rebill_expenses=True)
    fund(consultant_user.consultant, "1000.00", by=staff)
    return consultant_user, staff, finance


def test_an_expense_claim_from_the_phone_to_the_activity_account(
    live_server, page_factory, screenshot, people
):
    consultant_user, staff, finance = people
    page = page_factory(locale="en-GB", width=PHONE_WIDTH, height=844)
    login(page, live_server.url, consultant_user.email, PASSWORD)

    # New claim on the phone.
    page.goto(f"{live_server.url}/portal/expenses/")
    assert fits(page)
    page.fill("#id_title", "Workshop in Lyon")
    page.locator("[data-testid=expense-claim-new] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    claim = ExpenseClaim.objects.get()
    assert page.url.endswith(f"/portal/expenses/{claim.pk}/")
    assert fits(page)

    # An expense with its receipt (a real PDF picked by the file input).
    page.fill("#id_line-date", "2026-03-10")
    page.select_option("#id_line-category", "lodging")
    page.fill("#id_line-description", "Hotel, one night")
    page.fill("#id_line-amount_ttc", "118.00")
    page.fill("#id_line-vat_amount", "10.73")
    page.set_input_files(
        "#id_line-receipt",
        files=[{"name": "hotel.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}],
    )
    page.locator("[data-testid=expense-line-form] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "118.00 €" in page.locator("[data-testid=expense-lines]").inner_text()

    # A mileage allowance: computed by the server before it is added.
    page.fill("#id_mileage-date", "2026-03-12")
    page.fill("#id_mileage-description", "Lyon - Grenoble")
    page.select_option("#id_mileage-vehicle_type", "car")
    page.fill("#id_mileage-fiscal_horsepower", "5")
    page.fill("#id_mileage-distance_km", "300")
    page.fill("#id_mileage-yearly_distance_km", "12000")
    page.locator("button[value=preview_mileage]").click()
    page.wait_for_load_state("networkidle")
    assert "141.98 €" in page.locator("[data-testid=expense-mileage-preview]").inner_text()
    page.locator("button[value=add_mileage]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=expense-claim-total]").inner_text() == "259.98 €"
    assert fits(page)
    screenshot(page, "portal-expense-claim-390px")

    page.locator("[data-testid=expense-claim-submit]").click()
    page.wait_for_load_state("networkidle")
    assert "Submitted" in page.locator("[data-testid=expense-claim-status]").inner_text()

    # Staff approve in the admin, the receipt opens through the admin.
    admin = page_factory(locale="en-GB")
    login(admin, live_server.url, staff.email, PASSWORD)
    admin.goto(f"{live_server.url}/admin/activity/expenseclaim/?awaiting=approval")
    assert "Workshop in Lyon" in admin.content()
    admin.goto(f"{live_server.url}/admin/activity/expenseclaim/{claim.pk}/approve/")
    screenshot(admin, "admin-expense-claim-approve")
    admin.locator("[data-testid=expense-action-form] button[type=submit]").click()
    admin.wait_for_load_state("networkidle")
    claim.refresh_from_db()
    assert claim.status == ExpenseClaimStatus.APPROVED

    # Finance reimburse it from the activity account.
    money = page_factory(locale="en-GB")
    login(money, live_server.url, finance.email, PASSWORD)
    money.goto(f"{live_server.url}/admin/activity/expenseclaim/{claim.pk}/reimburse/")
    assert "1,000.00 €" in money.locator("[data-testid=expense-available]").inner_text()
    money.locator("[data-testid=expense-action-form] button[type=submit]").click()
    money.wait_for_load_state("networkidle")
    claim.refresh_from_db()
    assert claim.status == ExpenseClaimStatus.REIMBURSED
    entry = LedgerEntry.objects.get(kind=LedgerEntryKind.EXPENSE_REIMBURSED)
    assert entry.amount == Decimal("-259.98")

    # The consultant sees it on their activity account, linked to the claim.
    page.goto(f"{live_server.url}/portal/ledger/")
    movements = page.locator("[data-testid=ledger-movements]").inner_text()
    assert "-259.98 €" in movements and "Workshop in Lyon" in movements
    assert page.locator(f"a[href='/portal/expenses/{claim.pk}/']").count() == 1
    screenshot(page, "portal-ledger-expense-390px")
