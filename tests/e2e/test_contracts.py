"""Contracts through a real browser: the consultant's contract pages and the staff's contract
page with its compliance findings."""

from apps.commercial_contracts.models import CommercialContract
from tests.browser import login


def test_consultant_sees_own_contracts_and_downloads_a_pdf(
    live_server, demo_data, page_factory, screenshot
):
    page = page_factory(locale="fr-FR")
    login(page, live_server.url, "consultant@demo.portage.test", demo_data)
    page.click("nav a[href='/portal/contracts/']")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Mes contrats"
    mine = CommercialContract.objects.filter(consultant__user__email="consultant@demo.portage.test")
    assert mine.exists()
    for contract in mine:
        assert contract.reference in page.content()
    others = CommercialContract.objects.exclude(
        consultant__user__email="consultant@demo.portage.test"
    )
    for contract in others:
        assert contract.reference not in page.content()
    screenshot(page, "portal-contracts")

    link = page.locator("a:has-text('PDF')").first
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_staff_sees_a_contract_with_its_findings(live_server, demo_data, page_factory, screenshot):
    page = page_factory()
    login(page, live_server.url, "staff@demo.portage.test", demo_data)
    contract = CommercialContract.objects.filter(status="draft").order_by("pk").first()
    page.goto(
        f"{live_server.url}/admin/commercial_contracts/commercialcontract/{contract.pk}/change/"
    )
    assert contract.reference in page.content()
    screenshot(page, "admin-commercial-contract")
    page.goto(f"{live_server.url}/admin/commercial_contracts/commercialcontract/")
    assert page.locator("#result_list tbody tr").count() == CommercialContract.objects.count()
    screenshot(page, "admin-commercial-contracts")
    page.goto(f"{live_server.url}/admin/")
    screenshot(page, "admin-dashboard-with-alerts")
