"""Issue 5, "Done when": one journey through a real browser (Playwright on Debian chromium)
on the demo data set, in French (the default language).

1. staff create a draft invoice from a validated activity report in the admin ("Invoice
   validated reports"), open the draft and issue it: it gets its F-YYYY-NNNNNN number;
2. the Factur-X PDF is rendered and e-mailed to the client's billing contact (Celery is eager
   in tests: the render and the sending run after each commit of the live server);
3. finance record the client's bank transfer for the full amount incl. VAT and match it to
   the invoice: the invoice is paid, the consultant's compte d'activité is credited with the
   turnover (excl. VAT) and debited with the management fee, both from the allocation;
4. the consultant sees the invoice in "Mes factures", downloads its PDF, and sees the
   turnover collected on "Mon compte d'activité".
"""

import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.template.defaultfilters import floatformat
from django.utils import timezone, translation
from pypdf import PdfReader

from apps.accounts.models import User
from apps.activity.models import ActivityReport, ActivityReportStatus
from apps.activity.services.reports import (
    activity_report_record_approval,
    activity_report_validate,
)
from apps.commercial_contracts.models import CommercialContract
from apps.core.money import quantize_eur
from apps.invoices.models import Invoice, InvoiceStatus, Payment, PaymentAllocation
from apps.invoices.selectors.invoices import activity_reports_to_invoice
from apps.invoices.services.payments import consultant_fee_rate
from apps.invoices.services.sending import invoice_billing_recipients
from apps.ledger.models import LedgerEntry, LedgerEntryKind
from tests.activity.factories import pdf_bytes
from tests.browser import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CONSULTANT = "consultant@demo.portage.test"
STAFF = "staff@demo.portage.test"
FINANCE = "finance@demo.portage.test"
NUMBER = re.compile(r"^F-\d{4}-\d{6}$")
BANK_REFERENCE = "VIR SEPA PARCOURS-FACTURE 2026"


def click_and_wait(page, selector: str) -> None:
    """Click what posts a form or follows a link, and wait for the next page to load."""
    with page.expect_navigation(wait_until="load"):
        page.locator(selector).first.click()


def spaces(text: str) -> str:
    """French numbers use (narrow) no-break spaces as thousands separators."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def eur(amount: Decimal) -> str:
    """An amount as the French pages print it (`floatformat:"2g"`), e.g. "12 345,60"."""
    with translation.override("fr"):
        return spaces(floatformat(amount, "2g"))


def validated_report_of_the_portal_consultant() -> ActivityReport:
    """seed_invoices invoices every validated report, so none is left to invoice on fresh
    demo data. The demo leaves last month's report of DEMO-CC-04 (the portal consultant's
    mission) submitted to the client: staff record the client's approval received by e-mail
    and validate it, through the activity services, as they would in the admin."""
    contract = CommercialContract.objects.select_related("consultant__user").get(
        purchase_order_reference="DEMO-CC-04"
    )
    assert contract.consultant.user.email == CONSULTANT
    report = (
        ActivityReport.objects.filter(
            commercial_contract=contract, status=ActivityReportStatus.SUBMITTED
        )
        .order_by("-month")
        .first()
    )
    assert report is not None, "the demo should leave a submitted report on DEMO-CC-04"
    staff = User.objects.get(email=STAFF)
    report = activity_report_record_approval(
        report=report,
        by=staff,
        proof_file=pdf_bytes(),
        approver_name="Claire Opérations",
        comment="Validation reçue par e-mail.",
    )
    report = activity_report_validate(report=report, by=staff)
    assert report.status == ActivityReportStatus.VALIDATED
    assert report.amount and report.amount > 0
    return report


def test_invoice_issue_payment_and_portal_journey_on_demo_data(
    live_server, demo_data, page_factory, screenshot
):
    base = live_server.url
    today = timezone.localdate()
    report = validated_report_of_the_portal_consultant()
    assert report in activity_reports_to_invoice()
    consultant = report.consultant

    # --- 1. Staff create the draft from the validated report and issue it -------------------
    staff_page = page_factory(locale="fr-FR")
    login(staff_page, base, STAFF, demo_data)
    staff_page.goto(f"{base}/admin/invoices/invoice/")
    click_and_wait(staff_page, "a[href$='/admin/invoices/invoice/from-reports/']")
    assert staff_page.url.endswith("/admin/invoices/invoice/from-reports/")
    checkbox = staff_page.locator(f"input[name=reports][value='{report.pk}']")
    assert checkbox.count() == 1
    checkbox.check()
    screenshot(staff_page, "invoice-journey-01-admin-from-reports")
    click_and_wait(staff_page, "[data-testid=invoice-action-form] button[type=submit]")

    invoice = Invoice.objects.filter(lines__activity_report=report).distinct().get()
    assert invoice.status == InvoiceStatus.DRAFT
    assert invoice.number in ("", None)
    assert invoice.consultant == consultant
    # Days x daily rate of the report, plus the approved expenses the contract rebills.
    report_lines = invoice.lines.filter(activity_report=report)
    assert sum(line.total_excl_tax for line in report_lines) == report.amount
    rebilled = invoice.lines.filter(expense_line__isnull=False)
    assert invoice.total_excl_tax == report.amount + sum(line.total_excl_tax for line in rebilled)
    assert staff_page.url.endswith(f"/admin/invoices/invoice/{invoice.pk}/change/")
    assert "Factures créées en brouillon" in staff_page.content()
    screenshot(staff_page, "invoice-journey-02-admin-draft")

    click_and_wait(staff_page, f"a[href$='/admin/invoices/invoice/{invoice.pk}/issue/']")
    summary = staff_page.locator("[data-testid=invoice-summary]")
    assert eur(invoice.total_incl_tax).replace(" ", "") in spaces(summary.inner_text()).replace(
        " ", ""
    ).replace(".", ",")
    screenshot(staff_page, "invoice-journey-03-admin-issue")
    sent_before = len(mail.outbox)
    click_and_wait(staff_page, "[data-testid=invoice-action-form] button[type=submit]")

    invoice.refresh_from_db()
    assert NUMBER.match(invoice.number), invoice.number
    assert invoice.number.startswith(f"F-{invoice.issue_date.year}-")
    assert invoice.issue_date == today
    assert staff_page.url.endswith(f"/admin/invoices/invoice/{invoice.pk}/change/")
    assert invoice.number in staff_page.content()
    # Issued, then rendered and e-mailed after commit (eager Celery): the status is "sent".
    assert invoice.status == InvoiceStatus.SENT
    assert invoice.sendings.filter(status="sent").count() == 1
    report.refresh_from_db()
    assert report.status == ActivityReportStatus.INVOICED
    screenshot(staff_page, "invoice-journey-04-admin-issued")

    # --- 2. The Factur-X PDF, e-mailed to the client's billing contact ----------------------
    assert invoice.pdf_file
    recipients = invoice_billing_recipients(invoice)
    assert recipients
    messages = [
        message
        for message in mail.outbox[sent_before:]
        if any(attachment[0] == f"{invoice.number}.pdf" for attachment in message.attachments)
    ]
    assert len(messages) == 1, [message.subject for message in mail.outbox[sent_before:]]
    message = messages[0]
    assert recipients[0] in [address.lower() for address in message.to]
    assert invoice.number in message.subject
    name, content, mimetype = message.attachments[0][:3]
    assert (name, mimetype) == (f"{invoice.number}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    assert "factur-x.xml" in PdfReader(io.BytesIO(content)).attachments

    # --- 3. Finance record the transfer and match it to the invoice ---------------------------
    amount = invoice.total_incl_tax
    finance_page = page_factory(locale="fr-FR")
    login(finance_page, base, FINANCE, demo_data)
    finance_page.goto(f"{base}/admin/invoices/payment/")
    click_and_wait(finance_page, "a[href$='/admin/invoices/payment/add/']")
    finance_page.fill("#id_received_on", today.strftime("%d/%m/%Y"))
    finance_page.fill("#id_amount", str(amount))
    finance_page.fill("#id_payer_name", invoice.client.legal_name)
    finance_page.fill("#id_bank_reference", f"{BANK_REFERENCE} {invoice.number}")
    finance_page.select_option("#id_client", str(invoice.client_id))
    screenshot(finance_page, "invoice-journey-05-admin-payment-add")
    click_and_wait(finance_page, "button[name=_save]")
    payment = Payment.objects.get(bank_reference=f"{BANK_REFERENCE} {invoice.number}")
    assert payment.amount == amount
    assert payment.received_on == today
    assert payment.client_id == invoice.client_id
    assert payment.created_by.email == FINANCE
    assert not payment.allocations.exists()

    finance_page.goto(f"{base}/admin/invoices/payment/{payment.pk}/change/")
    click_and_wait(finance_page, f"a[href$='/admin/invoices/payment/{payment.pk}/match/']")
    field = finance_page.locator(
        f"[data-testid=payment-match-form] input[name=amount_{invoice.pk}]"
    )
    assert field.count() == 1
    field.fill(eur(amount).replace(" ", ""))
    screenshot(finance_page, "invoice-journey-06-admin-payment-match")
    click_and_wait(finance_page, "[data-testid=payment-match-form] button[type=submit]")
    assert finance_page.url.endswith(f"/admin/invoices/payment/{payment.pk}/change/")
    assert "1 affectation(s) enregistrée(s)." in finance_page.content()
    screenshot(finance_page, "invoice-journey-07-admin-payment-matched")

    allocation = PaymentAllocation.objects.get(payment=payment)
    assert (allocation.invoice_id, allocation.amount) == (invoice.pk, amount)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID
    turnover = LedgerEntry.objects.get(
        consultant=consultant,
        kind=LedgerEntryKind.TURNOVER_COLLECTED,
        source_object_id=allocation.pk,
    )
    assert turnover.source == allocation
    assert turnover.amount == invoice.total_excl_tax
    assert turnover.entry_date == today
    assert invoice.number in turnover.label
    fee = LedgerEntry.objects.get(
        consultant=consultant,
        kind=LedgerEntryKind.MANAGEMENT_FEE,
        source_object_id=allocation.pk,
    )
    assert fee.source == allocation
    assert fee.amount < 0
    rate = consultant_fee_rate(invoice)
    # The fee is on the services; expenses rebilled at cost bear none (docs/payments.md).
    services = sum(
        (line.total_excl_tax for line in invoice.lines.all() if line.expense_line_id is None),
        Decimal("0"),
    )
    assert fee.amount == -quantize_eur(services * rate / 100)
    assert invoice.number in fee.label

    # --- 4. The consultant sees the invoice, its PDF and the credited account ---------------
    page = page_factory(locale="fr-FR")
    login(page, base, CONSULTANT, demo_data)
    click_and_wait(page, "nav a[href='/portal/invoices/']")
    assert page.locator("h1").inner_text() == "Mes factures"
    row = page.locator("tr", has=page.locator(f"a[href='/portal/invoices/{invoice.pk}/pdf/']"))
    assert row.count() == 1
    row_text = spaces(row.inner_text())
    assert invoice.number in row_text
    assert invoice.client.legal_name in row_text
    assert f"{eur(invoice.total_incl_tax)} €" in row_text
    assert "Payée" in row_text
    screenshot(page, "invoice-journey-08-portal-invoices")

    with page.expect_download() as download_info:
        row.locator(f"a[href='/portal/invoices/{invoice.pk}/pdf/']").click()
    download = download_info.value
    assert download.suggested_filename == f"{invoice.number}.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"
    response = page.request.get(f"{base}/portal/invoices/{invoice.pk}/pdf/")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    click_and_wait(page, "nav a[href='/portal/ledger/']")
    assert page.locator("h1").inner_text() == "Mon compte d’activité"
    movements = page.locator("[data-testid=ledger-movements]")
    credited = movements.locator("tbody tr", has_text=f"Paiement reçu pour {invoice.number}")
    assert credited.count() == 1
    assert f"+{eur(turnover.amount)} €" in spaces(credited.inner_text())
    debited = movements.locator("tbody tr", has_text=f"Frais de gestion sur {invoice.number}")
    assert debited.count() == 1
    assert f"{eur(fee.amount)} €" in spaces(debited.inner_text())
    screenshot(page, "invoice-journey-09-portal-ledger")
