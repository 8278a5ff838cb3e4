"""/api/v1/payments/ and bank statements through HTTP: permissions, filters, query counts."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.accounts.roles import Role
from apps.invoices.models import InvoiceStatus, Payment
from apps.invoices.services.payments import payment_allocate, payment_record
from tests.clients.factories import ClientCompanyFactory

from .factories import issued_invoice

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def _payment(user, amount="1500.00", client=None, received_on="2026-04-01"):
    from datetime import date

    return payment_record(
        received_on=date.fromisoformat(received_on),
        amount=amount,
        payer_name="Client SAS",
        client=client,
        created_by=user,
    )


def test_record_then_allocate(api_as, finance_user):
    api = api_as(finance_user)
    invoice = issued_invoice(excl_tax="1000.00")  # 1 200.00 TTC
    response = api.post(
        "/api/v1/payments/",
        {"received_on": "2026-04-01", "amount": "1500.00", "payer_name": "Client SAS"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    payment_id = response.json()["id"]
    response = api.post(
        f"/api/v1/payments/{payment_id}/allocate/",
        {"allocations": [{"invoice": invoice.pk, "amount": "1200.00"}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["allocated_amount"], body["unallocated_amount"]) == ("1200.00", "300.00")
    assert body["allocations"][0]["invoice"]["number"] == invoice.number
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID


def test_allocation_beyond_open_amount_is_a_409_with_a_clear_message(api_as, finance_user):
    invoice = issued_invoice(excl_tax="1000.00")
    payment = _payment(finance_user)
    response = api_as(finance_user).post(
        f"/api/v1/payments/{payment.pk}/allocate/",
        {"allocations": [{"invoice": invoice.pk, "amount": "1500.00"}]},
        format="json",
    )
    assert response.status_code == 409
    assert response.json() == {
        "code": "allocation_exceeds_invoice",
        "message": f"The payment exceeds what is left to pay on {invoice.number}: 1,200.00 €"
        " open, 1,500.00 € asked.",
        "fields": {"amount": ["At most 1,200.00 €."]},
    }


def test_record_validation_errors(api_as, finance_user):
    response = api_as(finance_user).post(
        "/api/v1/payments/",
        {"received_on": "2999-01-01", "amount": "10.00", "payer_name": "X"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "received_on": ["A payment cannot be received in the future."]
    }


def test_list_filters_and_constant_queries(api_as, finance_user, django_assert_max_num_queries):
    client = ClientCompanyFactory()
    credit = _payment(finance_user, amount="1500.00", client=client)
    settled = _payment(finance_user, amount="1200.00", received_on="2026-02-01")
    payment_allocate(
        payment=settled,
        invoice=issued_invoice(excl_tax="1000.00"),
        amount="1200.00",
        allocated_by=finance_user,
    )
    for _ in range(5):
        _payment(finance_user, amount="10.00", received_on="2026-01-15")
    api = api_as(finance_user)
    with django_assert_max_num_queries(6):
        response = api.get("/api/v1/payments/")
    assert response.json()["count"] == 7
    with django_assert_max_num_queries(6):
        body = api.get("/api/v1/payments/?unallocated=true&date_from=2026-03-01").json()
    assert [row["id"] for row in body["results"]] == [credit.pk]
    assert body["results"][0]["unallocated_amount"] == "1500.00"
    body = api.get(f"/api/v1/payments/?client={client.pk}").json()
    assert [row["id"] for row in body["results"]] == [credit.pk]
    body = api.get("/api/v1/payments/?unallocated=false").json()
    assert [row["id"] for row in body["results"]] == [settled.pk]
    body = api.get("/api/v1/payments/?date_to=2026-01-31").json()
    assert body["count"] == 5


def test_staff_read_but_cannot_write(api_as, staff_user, finance_user):
    payment = _payment(finance_user)
    invoice = issued_invoice(excl_tax="1000.00")
    api = api_as(staff_user)
    assert api.get("/api/v1/payments/").status_code == 200
    assert api.get(f"/api/v1/payments/{payment.pk}/").status_code == 200
    response = api.post(
        "/api/v1/payments/",
        {"received_on": "2026-04-01", "amount": "10.00", "payer_name": "X"},
        format="json",
    )
    assert response.status_code == 403
    response = api.post(
        f"/api/v1/payments/{payment.pk}/allocate/",
        {"allocations": [{"invoice": invoice.pk, "amount": "10.00"}]},
        format="json",
    )
    assert response.status_code == 403
    assert not payment.allocations.exists()
    upload = SimpleUploadedFile("s.csv", (DATA / "statement_fr.csv").read_bytes())
    assert api.post("/api/v1/bank-statements/", {"file": upload}).status_code == 403


def test_consultants_have_no_access(api_as, make_user, finance_user):
    from tests.consultants.factories import ConsultantFactory

    user = make_user(Role.CONSULTANT)
    consultant = ConsultantFactory(user=user)
    invoice = issued_invoice(excl_tax="1000.00", consultant=consultant)  # their own invoice
    payment = _payment(finance_user)
    payment_allocate(payment=payment, invoice=invoice, amount="100.00", allocated_by=finance_user)
    api = api_as(user)
    for url in (
        "/api/v1/payments/",
        f"/api/v1/payments/{payment.pk}/",
        "/api/v1/bank-statements/",
    ):
        assert api.get(url).status_code == 403, url
    response = api.post(
        f"/api/v1/payments/{payment.pk}/allocate/",
        {"allocations": [{"invoice": invoice.pk, "amount": "10.00"}]},
        format="json",
    )
    assert response.status_code == 403
    assert Payment.objects.get().allocations.count() == 1


def test_bank_statement_upload_detail_confirm_ignore(api_as, finance_user, consultant_role_user):
    acme = ClientCompanyFactory(legal_name="ACME Industrie SAS")
    first = issued_invoice(excl_tax="10000.00", client=acme, number=101)
    issued_invoice(excl_tax="500.00", number=102)
    api = api_as(finance_user)
    upload = SimpleUploadedFile("releve.csv", (DATA / "statement_fr.csv").read_bytes())
    response = api.post("/api/v1/bank-statements/", {"file": upload}, format="multipart")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["format"], body["line_count"], body["open_line_count"]) == ("csv", 2, 2)
    acme_line, beta_line = body["lines"]
    assert acme_line["proposed_invoices"][0]["number"] == first.number

    upload = SimpleUploadedFile("again.csv", (DATA / "statement_fr.csv").read_bytes())
    response = api.post("/api/v1/bank-statements/", {"file": upload}, format="multipart")
    assert (response.status_code, response.json()["code"]) == (409, "bank_statement_duplicate")

    response = api.post(f"/api/v1/bank-statement-lines/{acme_line['id']}/confirm/", {})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "confirmed"
    assert response.json()["payment"] is not None
    response = api.post(f"/api/v1/bank-statement-lines/{beta_line['id']}/ignore/")
    assert response.json()["status"] == "ignored"
    response = api.post(f"/api/v1/bank-statement-lines/{beta_line['id']}/ignore/")
    assert response.status_code == 409

    consultant_api = api_as(consultant_role_user)
    assert consultant_api.get(f"/api/v1/bank-statements/{body['id']}/").status_code == 403
    response = consultant_api.post(f"/api/v1/bank-statement-lines/{acme_line['id']}/ignore/")
    assert response.status_code == 403


def test_bad_upload_is_a_400_naming_the_columns(api_as, finance_user):
    upload = SimpleUploadedFile("x.csv", b"Date;Montant;Foo\n09/04/2026;1,00;x\n")
    response = api_as(finance_user).post("/api/v1/bank-statements/", {"file": upload})
    assert response.status_code == 400
    assert response.json()["fields"]["file"][0].startswith("Unknown column(s): Foo.")


def test_confirm_with_edited_allocations(api_as, finance_user):
    invoice = issued_invoice(excl_tax="500.00")  # 600.00
    api = api_as(finance_user)
    upload = SimpleUploadedFile("s.csv", b"Date;Montant;Libelle\n10/04/2026;1000,00;Someone\n")
    line = api.post("/api/v1/bank-statements/", {"file": upload}).json()["lines"][0]
    assert line["status"] == "unmatched"
    response = api.post(
        f"/api/v1/bank-statement-lines/{line['id']}/confirm/",
        {"allocations": [{"invoice": invoice.pk, "amount": "600.00"}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    payment = Payment.objects.get()
    assert payment.allocations.get().amount == Decimal("600.00")


def test_statement_detail_constant_queries(api_as, finance_user, django_assert_max_num_queries):
    for number in range(301, 306):
        issued_invoice(excl_tax="100.00", number=number)
    rows = "".join(f"10/04/2026;120,00;Payer;F-2026-000{n}\n" for n in range(301, 306))
    upload = SimpleUploadedFile("many.csv", ("Date;Montant;Libellé;Référence\n" + rows).encode())
    api = api_as(finance_user)
    statement = api.post("/api/v1/bank-statements/", {"file": upload}).json()
    assert [len(line["proposed_invoices"]) for line in statement["lines"]] == [1] * 5
    with django_assert_max_num_queries(8):
        response = api.get(f"/api/v1/bank-statements/{statement['id']}/")
    assert len(response.json()["lines"]) == 5
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/bank-statements/").json()["count"] == 1
