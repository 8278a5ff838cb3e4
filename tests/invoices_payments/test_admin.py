"""Back-office screens: payments (unallocated credits filter, record, match to invoices),
bank statements (upload, lines, confirm / ignore). Finance manages, staff only read."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.invoices.models import (
    BankStatementImport,
    BankStatementLine,
    BankStatementLineStatus,
    InvoiceStatus,
    Payment,
)
from apps.invoices.services.payments import payment_allocate, payment_record

from .factories import issued_invoice

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
PAYMENTS = "/admin/invoices/payment/"
STATEMENTS = "/admin/invoices/bankstatementimport/"
LINES = "/admin/invoices/bankstatementline/"


def login(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _payment(user, amount="1500.00", payer="Credit Payer SA"):
    return payment_record(
        received_on=date(2026, 4, 1), amount=amount, payer_name=payer, created_by=user
    )


def test_unallocated_credits_filter(client, finance_user):
    credit = _payment(finance_user, payer="Credit Payer SA")
    settled = _payment(finance_user, amount="1200.00", payer="Settled Payer SA")
    payment_allocate(
        payment=settled,
        invoice=issued_invoice(excl_tax="1000.00"),
        amount="1200.00",
        allocated_by=finance_user,
    )
    html = login(client, finance_user).get(PAYMENTS, {"allocation": "credit"}).content.decode()
    assert "Credit Payer SA" in html and "Settled Payer SA" not in html
    assert credit.pk


def test_finance_records_a_payment_through_the_service(client, finance_user):
    response = login(client, finance_user).post(
        f"{PAYMENTS}add/",
        {"received_on": "2026-04-02", "amount": "250.00", "payer_name": "Gamma SARL"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    payment = Payment.objects.get()
    assert (payment.amount, payment.created_by) == (Decimal("250.00"), finance_user)
    response = client.post(
        f"{PAYMENTS}add/",
        {"received_on": "2999-01-01", "amount": "250.00", "payer_name": "Gamma SARL"},
    )
    assert "A payment cannot be received in the future." in response.content.decode()


def test_match_page_allocates(client, finance_user):
    payment = _payment(finance_user)
    invoice = issued_invoice(excl_tax="1000.00")  # 1 200.00 open
    client = login(client, finance_user)
    html = client.get(f"{PAYMENTS}{payment.pk}/match/").content.decode()
    assert invoice.number in html and "1,200.00" in html  # open amount, formatted
    response = client.post(f"{PAYMENTS}{payment.pk}/match/", {f"amount_{invoice.pk}": "1500"})
    assert "The payment exceeds what is left to pay" in response.content.decode()
    response = client.post(f"{PAYMENTS}{payment.pk}/match/", {f"amount_{invoice.pk}": "1200,00"})
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID


def test_staff_view_payments_but_cannot_record_or_match(client, staff_user, finance_user):
    payment = _payment(finance_user)
    client = login(client, staff_user)
    assert client.get(PAYMENTS).status_code == 200
    assert client.get(f"{PAYMENTS}{payment.pk}/change/").status_code == 200
    assert client.get(f"{PAYMENTS}add/").status_code == 403
    assert client.get(f"{PAYMENTS}{payment.pk}/match/").status_code == 403
    # Staff see the bank statements (read only); importing and matching are finance's.
    assert client.get(STATEMENTS).status_code == 200
    assert client.get(f"{STATEMENTS}add/").status_code == 403
    assert client.get(LINES).status_code == 200


def test_upload_then_confirm_and_ignore_lines(client, finance_user):
    from tests.clients.factories import ClientCompanyFactory

    acme = ClientCompanyFactory(legal_name="ACME Industrie SAS")
    first = issued_invoice(excl_tax="10000.00", client=acme, number=101)
    client = login(client, finance_user)
    assert client.get(f"{STATEMENTS}add/").status_code == 200
    upload = SimpleUploadedFile("releve.csv", (DATA / "statement_fr.csv").read_bytes())
    response = client.post(f"{STATEMENTS}add/", {"file": upload})
    assert response.status_code == 302
    statement = BankStatementImport.objects.get()
    html = client.get(f"{STATEMENTS}{statement.pk}/change/").content.decode()
    assert first.number in html and "ACME INDUSTRIE SAS" in html

    upload = SimpleUploadedFile("again.csv", (DATA / "statement_fr.csv").read_bytes())
    response = client.post(f"{STATEMENTS}add/", {"file": upload})
    assert "already imported" in response.content.decode()

    acme_line = statement.lines.get(line_number=2)
    beta_line = statement.lines.get(line_number=4)
    response = client.post(LINES, {"action": "ignore_selected", "_selected_action": [beta_line.pk]})
    assert response.status_code == 302
    response = client.post(
        STATEMENTS, {"action": "confirm_selected", "_selected_action": [statement.pk]}
    )
    assert "1 line of releve.csv confirmed." in _messages(response)
    statuses = dict(BankStatementLine.objects.values_list("pk", "status"))
    assert statuses == {
        acme_line.pk: BankStatementLineStatus.CONFIRMED,
        beta_line.pk: BankStatementLineStatus.IGNORED,
    }
    first.refresh_from_db()
    assert first.status == InvoiceStatus.PAID
    assert client.get(LINES).status_code == 200
