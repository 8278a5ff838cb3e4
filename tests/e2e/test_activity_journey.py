"""Issue 4, "Done when": one journey through a real browser (Playwright on Debian chromium)
on the demo data set, in French (the portal's default language).

1. the demo consultant creates the activity report of the current month of their mission
   DEMO-CC-04 (left free by apps/activity/demo_reports.py), fills days on the calendar with
   the keyboard and the select, saves the draft and submits it to the client;
2. the client opens the e-mailed approval link in a fresh browser (no account) and approves
   with a comment;
3. staff validate the report in the admin;
4. the consultant files an expense claim with a PDF receipt and submits it; staff approve it
   and finance reimburse it in the admin, from the consultant's activity account;
5. the consultant sees the reimbursement, linked to the claim, on "Mon compte d'activité".
"""

import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone, translation

from apps.accounts.models import User
from apps.activity.models import (
    ActivityReport,
    ActivityReportStatus,
    ExpenseClaim,
    ExpenseClaimStatus,
)
from apps.activity.selectors.reports import activity_report_recipient
from apps.commercial_contracts.models import CommercialContract
from apps.ledger.models import LedgerEntry, LedgerEntryKind
from apps.ledger.selectors import ledger_available
from apps.ledger.services import ledger_adjust
from tests.activity.factories import pdf_bytes
from tests.browser import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CONSULTANT = "consultant@demo.portage.test"
STAFF = "staff@demo.portage.test"
FINANCE = "finance@demo.portage.test"
APPROVAL_LINK = re.compile(r"https?://[^\s\"'<>]+/activity/approval/[A-Za-z0-9_\-]+/")
CLAIM_TITLE = "Atelier de cadrage chez le client"
CLAIM_AMOUNT = Decimal("86.40")


def click_and_wait(page, selector: str) -> None:
    """Click what posts a form or follows a link, and wait for the next page to load."""
    with page.expect_navigation(wait_until="load"):
        page.locator(selector).first.click()


def french(value) -> str:
    with translation.override("fr"):
        return str(value)


def test_activity_report_and_expense_claim_journey_on_demo_data(
    live_server, demo_data, page_factory, screenshot
):
    base = live_server.url
    today = timezone.localdate()
    month = today.replace(day=1)
    contract = CommercialContract.objects.select_related("consultant__user").get(
        purchase_order_reference="DEMO-CC-04"
    )
    consultant = contract.consultant
    assert consultant.user.email == CONSULTANT
    # The demo leaves the current month of DEMO-CC-04 free for the consultant to fill.
    assert not ActivityReport.objects.filter(commercial_contract=contract, month=month).exists()

    # --- 1. The consultant fills and submits the report of the month ------------------------
    page = page_factory(locale="fr-FR")
    login(page, base, CONSULTANT, demo_data)
    click_and_wait(page, "nav a[href='/portal/activity-reports/']")
    assert page.locator("h1").inner_text() == "Mes comptes rendus d’activité"
    page.select_option("#id_commercial_contract", str(contract.pk))
    page.fill("#id_month", month.strftime("%Y-%m"))
    screenshot(page, "journey-01-portal-reports")
    click_and_wait(page, "[data-testid=new-report-form] button[type=submit]")
    report = ActivityReport.objects.get(commercial_contract=contract, month=month)
    assert report.status == ActivityReportStatus.DRAFT
    assert page.url.endswith(f"/portal/activity-reports/{report.pk}/")
    assert "Compte rendu créé" in page.content()

    selects = page.locator("[data-testid=report-calendar] select[data-day]")
    assert selects.count() >= 3
    first, second, third = (selects.nth(index).get_attribute("id") for index in range(3))
    # Keyboard: type "1" on the first day, Tab to the next one, arrow down to "½".
    page.locator(f"#{first}").focus()
    page.keyboard.press("1")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == second
    page.keyboard.press("ArrowDown")
    # And a plain select for the third day.
    page.select_option(f"#{third}", "1")
    assert page.locator(f"#{first}").input_value() == "1"
    assert page.locator(f"#{second}").input_value() == "0.5"
    assert page.locator("[data-testid=report-days-total]").inner_text() == "2,5"

    click_and_wait(page, "[data-testid=report-save]")
    assert "Brouillon enregistré." in page.content()
    report.refresh_from_db()
    assert report.status == ActivityReportStatus.DRAFT
    assert report.days_total == Decimal("2.5")
    assert report.days.count() == 3
    screenshot(page, "journey-02-portal-report-draft")

    sent_before = len(mail.outbox)
    click_and_wait(page, "[data-testid=report-submit]")
    assert "Compte rendu soumis" in page.content()
    report.refresh_from_db()
    assert report.status == ActivityReportStatus.SUBMITTED
    assert report.days_total == Decimal("2.5")
    assert report.amount == report.days_total * report.daily_rate
    assert page.locator("[data-testid=report-status]").inner_text() == french(
        report.get_status_display()
    )
    screenshot(page, "journey-03-portal-report-submitted")

    # --- 2. The client approves through the e-mailed link, without an account ---------------
    contact = activity_report_recipient(report)
    new_mail = [m for m in mail.outbox[sent_before:] if contact.email in m.to]
    assert len(new_mail) == 1, [m.subject for m in mail.outbox[sent_before:]]
    link = APPROVAL_LINK.search(new_mail[0].body).group(0)
    # The link is built on settings.SITE_URL: replay its path on the live server.
    client_page = page_factory(locale="fr-FR")
    client_page.goto(base + urlsplit(link).path)
    assert report.commercial_contract.reference in client_page.content()
    assert client_page.locator("[data-testid=approval-days]").inner_text() == "2,5"
    client_page.fill("#id_approve-approver_name", "Claire Opérations")
    client_page.fill("#id_approve-comment", "Jours conformes, merci.")
    screenshot(client_page, "journey-04-client-approval")
    click_and_wait(client_page, "[data-testid=approve-form] button[type=submit]")
    closed = client_page.locator("[data-testid=approval-closed]")
    assert closed.get_attribute("data-state") == "used"
    screenshot(client_page, "journey-05-client-approved")
    report.refresh_from_db()
    assert report.status == ActivityReportStatus.CLIENT_APPROVED
    assert report.client_approver_name == "Claire Opérations"
    assert report.client_approval_comment == "Jours conformes, merci."

    # --- 3. Staff validate it in the admin ----------------------------------------------------
    staff_page = page_factory(locale="fr-FR")
    login(staff_page, base, STAFF, demo_data)
    staff_page.goto(f"{base}/admin/activity/activityreport/?awaiting=validation")
    assert staff_page.locator(f"#result_list a[href*='/activityreport/{report.pk}/']").count()
    staff_page.goto(f"{base}/admin/activity/activityreport/{report.pk}/change/")
    click_and_wait(staff_page, f"a[href$='/activityreport/{report.pk}/validate/']")
    screenshot(staff_page, "journey-06-admin-report-validate")
    click_and_wait(staff_page, "[data-testid=report-action-form] button[type=submit]")
    assert staff_page.url.endswith(f"/activityreport/{report.pk}/change/")
    assert "Compte rendu validé." in staff_page.content()
    report.refresh_from_db()
    assert report.status == ActivityReportStatus.VALIDATED
    assert report.validated_by.email == STAFF
    screenshot(staff_page, "journey-07-admin-report-validated")

    # --- 4. An expense claim with a receipt: submitted, approved, reimbursed -----------------
    # The demo opens the account with 500 € at least (apps/ledger/demo.py); should a future
    # demo change leave less, fund it with a staff adjustment so the journey can go on.
    if ledger_available(consultant) < CLAIM_AMOUNT:
        ledger_adjust(
            consultant=consultant,
            amount=Decimal("1000.00"),
            label="Apport de trésorerie (test de parcours)",
            created_by=User.objects.get(email=STAFF),
            entry_date=today,
        )
    click_and_wait(page, "nav a[href='/portal/expenses/']")
    assert page.locator("h1").inner_text() == "Mes notes de frais"
    page.fill("#id_title", CLAIM_TITLE)
    click_and_wait(page, "[data-testid=expense-claim-new] button[type=submit]")
    claim = ExpenseClaim.objects.get(consultant=consultant, title=CLAIM_TITLE)
    assert page.url.endswith(f"/portal/expenses/{claim.pk}/")

    page.fill("#id_line-date", today.isoformat())
    page.select_option("#id_line-category", "transport")
    page.fill("#id_line-description", "Train Paris - Lyon aller-retour")
    page.fill("#id_line-amount_ttc", str(CLAIM_AMOUNT))
    page.fill("#id_line-vat_amount", "7.85")
    page.set_input_files(
        "#id_line-receipt",
        files=[{"name": "billet.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}],
    )
    click_and_wait(page, "[data-testid=expense-line-form] button[type=submit]")
    assert "Dépense ajoutée." in page.content()
    assert page.locator("[data-testid=expense-claim-total]").inner_text() == "86,40 €"
    line = claim.lines.get()
    assert line.amount_ttc == CLAIM_AMOUNT
    assert line.receipt and line.receipt.name.endswith(".pdf")
    click_and_wait(page, "[data-testid=expense-claim-submit]")
    claim.refresh_from_db()
    assert claim.status == ExpenseClaimStatus.SUBMITTED
    assert page.locator("[data-testid=expense-claim-status]").inner_text() == french(
        claim.get_status_display()
    )
    screenshot(page, "journey-08-portal-expense-submitted")

    staff_page.goto(f"{base}/admin/activity/expenseclaim/?awaiting=approval")
    assert CLAIM_TITLE in staff_page.content()
    staff_page.goto(f"{base}/admin/activity/expenseclaim/{claim.pk}/approve/")
    screenshot(staff_page, "journey-09-admin-expense-approve")
    click_and_wait(staff_page, "[data-testid=expense-action-form] button[type=submit]")
    claim.refresh_from_db()
    assert claim.status == ExpenseClaimStatus.APPROVED

    available_before = ledger_available(consultant)
    finance_page = page_factory(locale="fr-FR")
    login(finance_page, base, FINANCE, demo_data)
    finance_page.goto(f"{base}/admin/activity/expenseclaim/{claim.pk}/reimburse/")
    assert finance_page.locator("[data-testid=expense-available]").is_visible()
    screenshot(finance_page, "journey-10-admin-expense-reimburse")
    click_and_wait(finance_page, "[data-testid=expense-action-form] button[type=submit]")
    assert finance_page.url.endswith(f"/expenseclaim/{claim.pk}/change/")
    claim.refresh_from_db()
    assert claim.status == ExpenseClaimStatus.REIMBURSED
    assert claim.reimbursed_by.email == FINANCE
    entry = LedgerEntry.objects.get(
        consultant=consultant,
        kind=LedgerEntryKind.EXPENSE_REIMBURSED,
        source_object_id=claim.pk,
    )
    assert entry.source == claim
    assert entry.amount == -CLAIM_AMOUNT
    assert entry.entry_date == today
    assert ledger_available(consultant) == available_before - CLAIM_AMOUNT

    # --- 5. The consultant sees the movement and its source on the activity account ----------
    click_and_wait(page, "nav a[href='/portal/ledger/']")
    assert page.locator("h1").inner_text() == "Mon compte d’activité"
    movements = page.locator("[data-testid=ledger-movements]")
    row = movements.locator("tr", has=page.locator(f"a[href='/portal/expenses/{claim.pk}/']"))
    assert row.count() == 1
    assert "-86,40 €" in row.inner_text()
    assert CLAIM_TITLE in row.inner_text()
    screenshot(page, "journey-11-portal-ledger")
