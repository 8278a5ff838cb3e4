"""/api/v1/invoices/ through HTTP: roles, scoping (someone else's id is a 404), filters,
constant query count, the business actions and the 409 on issued documents."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.invoices.models import Invoice, InvoiceStatus

from .factories import draft_invoice, invoice_client, issued_invoice, validated_report

pytestmark = pytest.mark.django_db
URL = "/api/v1/invoices/"


def _mine(user, **kwargs):
    return issued_invoice(consultant=user.consultant, **kwargs)


def test_consultant_reads_only_own_invoices(api_as, consultant_user, other_consultant_user):
    mine = _mine(consultant_user)
    other = _mine(other_consultant_user)
    api = api_as(consultant_user)
    response = api.get(URL)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    assert api.get(f"{URL}{mine.pk}/").json()["number"] == mine.number
    assert api.get(f"{URL}{other.pk}/").status_code == 404
    # Read-only: any write is refused by the role, before anything else.
    assert api.post(f"{URL}{mine.pk}/credit-note/", {"reason": "x"}).status_code == 403
    assert api.delete(f"{URL}{mine.pk}/").status_code == 403
    assert api.post(f"{URL}{other.pk}/issue/").status_code == 403


def test_user_without_role_sees_nothing(api_as, consultant_role_user):
    issued_invoice()
    assert api_as(consultant_role_user).get(URL).json()["results"] == []


@pytest.mark.parametrize("role_user", ["staff_user", "finance_user"])
def test_back_office_manual_draft_lines_issue(api_as, request, role_user):
    user = request.getfixturevalue(role_user)
    api = api_as(user)
    client = invoice_client()
    from tests.consultants.factories import ConsultantFactory

    consultant = ConsultantFactory()
    response = api.post(
        URL,
        {"client": client.pk, "consultant": consultant.pk, "purchase_order_reference": "PO-1"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["status"] == "draft" and response.json()["number"] is None
    response = api.post(
        f"{URL}{pk}/lines/",
        {
            "description": "Conseil",
            "quantity": "2.5",
            "unit": "day",
            "unit_price_excl_tax": "333.33",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    # 2.5 × 333.33 = 833.325 -> 833.33; VAT 166.666 -> 166.67; TTC 1000.00
    assert (body["total_excl_tax"], body["total_vat"], body["total_incl_tax"]) == (
        "833.33",
        "166.67",
        "1000.00",
    )
    response = api.patch(f"{URL}{pk}/", {"notes": "Merci"}, format="json")
    assert response.status_code == 200 and response.json()["notes"] == "Merci"
    response = api.post(f"{URL}{pk}/issue/", {"issue_date": "2026-03-16"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["number"] == "F-2026-000001"
    assert response.json()["due_date"] == "2026-04-15"


def test_issued_invoice_answers_409_to_changes(api_as, staff_user):
    invoice = issued_invoice(issued_by=staff_user)
    api = api_as(staff_user)
    line = invoice.lines.get()
    for response in (
        api.patch(f"{URL}{invoice.pk}/", {"notes": "x"}, format="json"),
        api.delete(f"{URL}{invoice.pk}/"),
        api.post(
            f"{URL}{invoice.pk}/lines/",
            {"description": "x", "quantity": "1", "unit": "day", "unit_price_excl_tax": "1"},
            format="json",
        ),
        api.delete(f"{URL}{invoice.pk}/lines/{line.pk}/"),
        api.post(f"{URL}{invoice.pk}/issue/", {}, format="json"),
    ):
        assert response.status_code == 409
        body = response.json()
        assert body["code"] == "invoice_frozen"
        assert body["message"].startswith("F-2026-000001 is Issued")
    invoice.refresh_from_db()
    assert invoice.notes == "" and invoice.lines.count() == 1


def test_draft_delete_and_line_remove(api_as, staff_user):
    api = api_as(staff_user)
    invoice = draft_invoice(lines=[("A", "1", "100.00"), ("B", "1", "50.00")])
    first = invoice.lines.order_by("position").first()
    response = api.delete(f"{URL}{invoice.pk}/lines/{first.pk}/")
    assert response.status_code == 200 and response.json()["total_excl_tax"] == "50.00"
    assert api.delete(f"{URL}{invoice.pk}/lines/999999/").status_code == 404
    assert api.delete(f"{URL}{invoice.pk}/").status_code == 204
    assert not Invoice.objects.filter(pk=invoice.pk).exists()


def test_issue_refusal_has_the_error_shape(api_as, staff_user):
    invoice = draft_invoice(lines=[])
    response = api_as(staff_user).post(f"{URL}{invoice.pk}/issue/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "code": "invoice_no_line",
        "message": "The invoice has no line: add at least one line.",
        "fields": {},
    }


def test_from_reports_and_credit_note(api_as, staff_user):
    api = api_as(staff_user)
    report = validated_report(by=staff_user)
    response = api.post(f"{URL}from-reports/", {"report_ids": [report.pk]}, format="json")
    assert response.status_code == 201, response.json()
    [draft] = response.json()
    assert draft["total_excl_tax"] == "1800.00"  # 3 days × 600
    response = api.post(f"{URL}from-reports/", {"report_ids": [999999]}, format="json")
    assert response.status_code == 400
    assert "Unknown activity report(s): 999999." in str(response.json())
    api.post(f"{URL}{draft['id']}/issue/", {"issue_date": "2026-06-01"}, format="json")
    line_id = draft["lines"][0]["id"]
    response = api.post(
        f"{URL}{draft['id']}/credit-note/",
        {"reason": "Un jour en trop", "lines": [{"line": line_id, "quantity": "1"}]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == "credit_note"
    assert response.json()["total_incl_tax"] == "720.00"  # 600 + 20 %
    response = api.post(
        f"{URL}{draft['id']}/credit-note/",
        {"reason": "Trop", "lines": [{"line": line_id, "amount": "1500.00"}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "credit_note_exceeds_line"


def test_filters(api_as, staff_user):
    api = api_as(staff_user)
    old = issued_invoice(issue_date=date(2026, 1, 5))  # due 04/02/2026: overdue today
    recent = issued_invoice(issue_date=timezone.localdate())
    draft = draft_invoice()

    def ids(**params):
        response = api.get(URL, params)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids(overdue="true") == {old.pk}
    assert ids(status="draft") == {draft.pk}
    assert ids(client=recent.client_id) == {recent.pk}
    assert ids(issue_date_from="2026-01-01", issue_date_to="2026-01-31") == {old.pk}
    assert ids(kind="invoice") == {old.pk, recent.pk, draft.pk}
    assert ids(consultant=old.consultant_id) == {old.pk}
    assert api.get(URL, {"issue_date_from": "janvier"}).status_code == 400


def test_list_query_count_is_constant(api_as, staff_user, django_assert_max_num_queries):
    api = api_as(staff_user)
    issued_invoice()
    with django_assert_max_num_queries(8) as first:
        api.get(URL)
    for _index in range(5):
        invoice = issued_invoice()
        from apps.invoices.services.invoicing import credit_note_create

        credit_note_create(invoice=invoice, created_by=staff_user, reason="x")
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = api.get(URL)
    assert response.json()["count"] == 11


def test_overdue_flag_in_output(api_as, staff_user):
    old = issued_invoice(issue_date=date(2026, 1, 5))
    row = api_as(staff_user).get(f"{URL}{old.pk}/").json()
    assert row["overdue"] is True
    assert row["status"] == InvoiceStatus.ISSUED
    assert row["vat_breakdown"][0]["base"] == "6000.00"
    assert Decimal(row["late_payment_rate"]) == Decimal("12.15")
