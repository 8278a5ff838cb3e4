"""What people see: the portal "My invoices" page in a real browser, and the invoice PDF
itself as an image (test-artifacts/screenshots/), so a person can look at both."""

import shutil
import subprocess

import pytest

from apps.invoices.services.documents import invoice_document_render
from tests.browser import SCREENSHOTS, login
from tests.conftest import PASSWORD

from .factories import make_issued_credit_note, make_issued_invoice


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_portal_invoices_page(live_server, page_factory, screenshot, consultant_user):
    invoice = make_issued_invoice(consultant=consultant_user.consultant, language="en")
    make_issued_credit_note(invoice)
    page = page_factory(locale="en-GB")
    login(page, live_server.url, consultant_user.email, PASSWORD)
    page.goto(f"{live_server.url}/portal/invoices/")
    assert page.locator("h1").inner_text() == "My invoices"
    assert page.get_by_text(invoice.number).count() >= 1
    screenshot(page, "portal-invoices")
    with page.expect_download() as download_info:
        page.locator("a", has_text="PDF").first.click()
    assert download_info.value.suggested_filename.endswith(".pdf")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_invoice_pdf_as_image(invoice):
    invoice = invoice_document_render(invoice=invoice)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / "invoice-pdf"
    subprocess.run(  # noqa: S603
        ["pdftoppm", "-r", "80", "-png", "-singlefile", invoice.pdf_file.path, str(target)],  # noqa: S607
        check=True,
        timeout=60,
    )
    assert (SCREENSHOTS / "invoice-pdf.png").stat().st_size > 10_000


def test_lean_user_agent_sheet_draws_the_same_invoice(invoice, tmp_path):
    """Invoices render with templates/pdf/ua.css instead of WeasyPrint's full user-agent
    sheet (apps/core/pdf.py): the page must be pixel-identical."""
    from unittest import mock

    import weasyprint

    from apps.core import pdf
    from apps.invoices.services.documents import invoice_visual_pdf
    from tests.pdf_images import pdf_page_png

    lean = pdf_page_png(invoice_visual_pdf(invoice), tmp_path, "lean")
    with mock.patch.object(pdf, "_lean_html_class", lambda: weasyprint.HTML):
        full = pdf_page_png(invoice_visual_pdf(invoice), tmp_path, "full")
    assert lean == full
