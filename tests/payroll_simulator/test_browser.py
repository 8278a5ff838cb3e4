"""The portal simulator in a real browser (Playwright on Debian chromium), on a desktop and
on a 390 px phone: screenshots in test-artifacts/screenshots/portal-simulator*.png."""

from decimal import Decimal

import pytest

from apps.accounts.roles import Role
from tests.browser import login
from tests.company import make_company_profile
from tests.conftest import PASSWORD
from tests.consultants.factories import ConsultantFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]
PHONE_WIDTH = 390


@pytest.fixture
def consultant_user(make_user):
    make_company_profile()
    user = make_user(Role.CONSULTANT, email="simu@example.test", language="en")
    ConsultantFactory(user=user, email=user.email, management_fee_rate=Decimal("7.00"))
    return user


def simulate(page, base_url):
    page.goto(f"{base_url}/portal/simulator/")
    page.fill("#id_daily_rate", "600")
    page.fill("#id_days_per_month", "18")
    page.fill("#id_management_fee_rate", "7")
    page.fill("#id_expenses", "150")
    page.locator("[data-testid=simulator-form] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    page.locator("[data-testid=simulator-lines] summary").click()


def test_simulator_on_desktop_and_phone(live_server, page_factory, screenshot, consultant_user):
    page = page_factory(locale="en-GB")
    login(page, live_server.url, consultant_user.email, PASSWORD)
    simulate(page, live_server.url)
    # 600 × 18 = 10 800; 7 % = 756; 150 expenses: 10 800 − 756 − 150 = 9 894 available.
    assert page.locator("[data-testid=chain-turnover]").inner_text() == "10,800.00 €"
    assert page.locator("[data-testid=chain-available]").inner_text() == "9,894.00 €"
    assert page.locator("[data-testid=simulator-lines] tbody tr").first.is_visible()
    screenshot(page, "portal-simulator")

    phone = page_factory(locale="fr-FR", width=PHONE_WIDTH, height=844)
    login(phone, live_server.url, consultant_user.email, PASSWORD)
    simulate(phone, live_server.url)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    screenshot(phone, "portal-simulator-phone")


def test_staff_simulator_page(live_server, page_factory, screenshot, staff_user):
    make_company_profile()
    page = page_factory(locale="en-GB")
    page.goto(f"{live_server.url}/admin/login/?next=/payroll/simulator/")
    page.fill("input[name=username]", staff_user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(
        f"{live_server.url}/payroll/simulator/?daily_rate=450&days_per_month=20"
        "&management_fee_rate=8&expenses=0&status=non-cadre&contract_type=CDI&headcount=20"
        "&period=2026-01&classification_level=1&pas_rate="
    )
    # 450 × 20 = 9 000.00.
    assert page.locator("[data-testid=chain-turnover]").inner_text() == "9,000.00 €"
    screenshot(page, "payroll-staff-simulator")
