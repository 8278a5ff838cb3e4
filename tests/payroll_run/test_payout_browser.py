"""The pay-out page in a real browser (Playwright on Debian chromium), desktop and a 390 px
phone: preview an amount, save it, see it. Screenshots: test-artifacts/screenshots/portal-payout*.png."""

from datetime import date
from decimal import Decimal

import pytest

from apps.accounts.roles import Role
from apps.payroll.models import PayoutRequest
from tests.browser import login
from tests.company import make_company_profile
from tests.conftest import PASSWORD
from tests.consultants.factories import ConsultantFactory

from .conftest import fund, make_contract

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE_WIDTH = 390


@pytest.fixture
def consultant_user(make_user):
    make_company_profile(headcount=20)
    user = make_user(Role.CONSULTANT, email="payout@example.test", language="en")
    consultant = ConsultantFactory(user=user, email=user.email)
    make_contract(consultant=consultant)
    fund(consultant, "9400.00", day=date(2026, 1, 15))
    return user


def test_preview_then_save_a_request(live_server, page_factory, screenshot, consultant_user):
    page = page_factory(locale="en-GB")
    login(page, live_server.url, consultant_user.email, PASSWORD)
    page.goto(f"{live_server.url}/portal/payout/")
    assert page.locator("[data-testid=payout-available]").inner_text() == "9,400.00 €"
    assert page.locator("[data-testid=payout-requested]").inner_text() == "Everything available"

    page.fill("#id_amount", "5000")
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state("networkidle")
    remainder = page.locator("[data-testid=payout-remainder]").inner_text()
    # 9 400 − (at most) 5 000 taken: at least 4 400 € stay on the account.
    assert Decimal(remainder.replace(",", "").replace(" €", "")) >= Decimal("4400.00")
    assert not PayoutRequest.objects.exists()

    page.get_by_role("button", name="Save my request").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=payout-requested]").inner_text() == "5,000.00 €"
    assert PayoutRequest.objects.get().amount == Decimal("5000.00")
    screenshot(page, "portal-payout")

    phone = page_factory(locale="fr-FR", width=PHONE_WIDTH, height=844)
    login(phone, live_server.url, consultant_user.email, PASSWORD)
    phone.goto(f"{live_server.url}/portal/payout/")
    phone.fill("#id_amount", "99999")
    phone.locator("button[value=save]").click()
    phone.wait_for_load_state("networkidle")
    assert "9400.00" in phone.locator("[data-testid=payout-error]").inner_text()
    # The request saved above still stands, and the preview shows it.
    assert phone.locator("[data-testid=payout-requested]").inner_text() == "5\u00a0000,00 €"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    screenshot(phone, "portal-payout-phone")
