"""The foundation seen through a real browser: logins, roles, portal, language switch, invite."""

import re

from django.core import mail

from apps.consultants.models import Consultant
from apps.consultants.services import consultant_invite
from tests.browser import login


def test_consultant_logs_in_sees_own_profile_and_switches_language(
    live_server, demo_data, page_factory, screenshot
):
    page = page_factory(locale="fr-FR")
    login(page, live_server.url, "consultant@demo.portage.test", demo_data)
    assert page.url.endswith("/portal/")
    assert page.locator("h1").inner_text().startswith("Bonjour")
    assert "consultant@demo.portage.test" in page.content()
    screenshot(page, "portal-dashboard-fr")

    page.click("button[name=language][value=en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("Hello")
    assert page.get_by_role("heading", name="My profile").is_visible()
    screenshot(page, "portal-dashboard-en")

    # Someone else's pages are not reachable: the admin sends a consultant back to login.
    page.goto(f"{live_server.url}/admin/")
    assert "/admin/login/" in page.url


def test_portal_works_on_a_phone(live_server, demo_data, page_factory, screenshot):
    page = page_factory(width=390, height=844)
    login(page, live_server.url, "consultant@demo.portage.test", demo_data)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the portal must not scroll sideways on a phone"
    screenshot(page, "portal-dashboard-phone")


def test_staff_sees_the_back_office_with_demo_data(
    live_server, demo_data, page_factory, screenshot
):
    page = page_factory()
    login(page, live_server.url, "staff@demo.portage.test", demo_data)
    assert page.url.endswith("/admin/")
    assert page.locator("[data-testid=dashboard-kpis]").is_visible()
    screenshot(page, "admin-dashboard")
    page.goto(f"{live_server.url}/admin/consultants/consultant/")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == Consultant.objects.count()
    screenshot(page, "admin-consultants")
    page.goto(f"{live_server.url}/admin/clients/clientcompany/")
    screenshot(page, "admin-clients")


def test_invited_consultant_sets_a_password_and_logs_in(
    live_server, demo_data, page_factory, screenshot, settings
):
    settings.SITE_URL = live_server.url
    prospect = Consultant.objects.filter(user__isnull=True).order_by("pk").first()
    mail.outbox.clear()
    consultant_invite(consultant=prospect, invited_by=None)
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/activate/\S+/", mail.outbox[0].body).group(0)

    page = page_factory()
    page.goto(link)
    page.wait_for_load_state("networkidle")
    password = "Nouveau-mot-de-passe-2026"
    page.fill("input[name=new_password1]", password)
    page.fill("input[name=new_password2]", password)
    screenshot(page, "invitation-set-password")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/accounts/password/set/done/" in page.url

    login(page, live_server.url, prospect.email, password)
    assert page.url.endswith("/portal/")
    assert prospect.first_name in page.locator("h1").inner_text()
