"""The portal payslips page in a real browser (Playwright on Debian chromium): desktop and
a 390 px phone; screenshots in test-artifacts/screenshots/ for a person to look at."""

from datetime import date

import pytest

from apps.accounts.roles import Role
from tests.browser import login
from tests.conftest import PASSWORD
from tests.consultants.factories import ConsultantFactory
from tests.employment_contracts.factories import cdi_create

from .factories import make_payslip

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


@pytest.fixture
def consultant_with_payslips(make_user):
    user = make_user(Role.CONSULTANT, email="bulletins@example.test", language="en")
    ConsultantFactory(user=user, email=user.email, first_name="Claire", last_name="Martin")
    contract = cdi_create(consultant=user.consultant)
    payslips = [
        make_payslip(contract=contract, period=date(2025, 12, 1)),
        make_payslip(contract=contract, period=date(2026, 1, 1)),
        make_payslip(contract=contract, period=date(2026, 2, 1)),
    ]
    return user, payslips


def test_portal_payslips_page(live_server, page_factory, screenshot, consultant_with_payslips):
    user, payslips = consultant_with_payslips
    page = page_factory(locale="en-GB")
    login(page, live_server.url, user.email, PASSWORD)

    page.goto(f"{live_server.url}/portal/payslips/")
    assert page.locator("h1").inner_text() == "My payslips"
    assert page.locator("table.data.stack").count() == 2  # 2026 and 2025
    for payslip in payslips:
        assert page.get_by_text(payslip.number).is_visible()
    screenshot(page, "portal-payslips")

    href = page.locator("a", has_text="PDF").first.get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    phone = page_factory(locale="fr-FR", width=PHONE_WIDTH, height=844)
    login(phone, live_server.url, user.email, PASSWORD)
    phone.goto(f"{live_server.url}/portal/payslips/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    screenshot(phone, "portal-payslips-phone")
