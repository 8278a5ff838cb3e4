"""Downloads of the legal copy: API (staff, finance, own consultant), portal, permissions."""

import pytest
from django.core import mail
from django.urls import reverse

from apps.invoices.models import Invoice

from .factories import make_issued_invoice


def pdf_url(invoice):
    return f"/api/v1/invoices/{invoice.pk}/pdf/"


def xml_url(invoice):
    return f"/api/v1/invoices/{invoice.pk}/factur-x.xml"


@pytest.mark.parametrize("role_fixture", ["staff_user", "finance_user"])
def test_back_office_downloads_pdf_and_xml(request, role_fixture, api_as, invoice):
    client = api_as(request.getfixturevalue(role_fixture))
    response = client.get(pdf_url(invoice))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        b"".join(response.streaming_content if response.streaming else [response.content])[:4]
        == b"%PDF"
    )
    invoice.refresh_from_db()
    assert invoice.pdf_sha256  # rendered on first download, stored
    response = client.get(xml_url(invoice))
    assert response.status_code == 200
    assert f"<ram:ID>{invoice.number}</ram:ID>".encode() in response.content


def test_consultant_downloads_own_but_not_others(api_as, consultant_user, other_consultant_user):
    own = make_issued_invoice(consultant=consultant_user.consultant)
    other = make_issued_invoice(consultant=other_consultant_user.consultant)
    client = api_as(consultant_user)
    assert client.get(xml_url(own)).status_code == 200
    assert client.get(xml_url(other)).status_code == 404
    assert client.get(pdf_url(other)).status_code == 404
    assert not Invoice.objects.get(pk=other.pk).pdf_file  # nothing rendered for them


def test_draft_is_not_downloadable(api_as, staff_user, invoice):
    draft = Invoice.objects.create(client=invoice.client, consultant=invoice.consultant)
    assert api_as(staff_user).get(pdf_url(draft)).status_code == 404


def test_send_endpoint(
    api_as, staff_user, consultant_user, invoice, django_capture_on_commit_callbacks
):
    url = f"/api/v1/invoices/{invoice.pk}/send/"
    assert api_as(consultant_user).post(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(staff_user).post(url)
    assert response.status_code == 202
    assert response.json()["purpose"] == "issue"
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        again = api_as(staff_user).post(url)  # already sent: nothing more
        resend = api_as(staff_user).post(url, {"resend": True}, format="json")
    assert again.json()["status"] == "sent"
    assert resend.json()["purpose"] == "resend-1"
    assert len(mail.outbox) == 2


def test_send_without_billing_contact_is_a_clear_error(api_as, staff_user, consultant_user):
    invoice = make_issued_invoice(consultant=consultant_user.consultant, with_contact=False)
    invoice.client_snapshot = {**invoice.client_snapshot, "billing_contact_email": ""}
    invoice.save(update_fields=["client_snapshot"])
    response = api_as(staff_user).post(f"/api/v1/invoices/{invoice.pk}/send/")
    assert response.status_code == 400
    assert response.json()["code"] == "no_billing_contact"
    assert "no billing contact with an e-mail address" in response.json()["message"]


def test_portal_lists_own_documents_and_downloads(client, consultant_user, other_consultant_user):
    own = make_issued_invoice(consultant=consultant_user.consultant)
    other = make_issued_invoice(consultant=other_consultant_user.consultant)
    client.force_login(consultant_user)
    page = client.get(reverse("portal:invoices"))
    assert page.status_code == 200
    assert own.number in page.content.decode()
    assert other.number not in page.content.decode()
    download = client.get(reverse("portal:invoice_pdf", args=[own.pk]))
    assert download.status_code == 200
    assert download.content[:4] == b"%PDF"
    assert client.get(reverse("portal:invoice_pdf", args=[other.pk])).status_code == 404


def test_portal_list_query_count_is_constant(
    client, consultant_user, django_assert_max_num_queries
):
    for _ in range(5):
        make_issued_invoice(consultant=consultant_user.consultant)
    client.force_login(consultant_user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("portal:invoices")).status_code == 200


def test_admin_document_links(client, staff_user, invoice):
    client.force_login(staff_user)
    response = client.get(reverse("admin:invoices_invoice_xml", args=[invoice.pk]))
    assert response.status_code == 200
    assert b"CrossIndustryInvoice" in response.content
    response = client.get(reverse("admin:invoices_invoice_pdf", args=[invoice.pk]))
    assert response.status_code == 200
    assert response.content[:4] == b"%PDF"


def test_admin_send_post_and_detail_action(
    client, staff_user, invoice, django_capture_on_commit_callbacks
):
    from django.contrib import admin
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory

    client.force_login(staff_user)
    url = reverse("admin:invoices_invoice_send", args=[invoice.pk])
    assert client.get(url).status_code == 404  # sending is a POST
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert len(mail.outbox) == 1

    # The unfold detail action (a GET button) only requests the first sending: idempotent.
    model_admin = admin.site._registry[Invoice]
    request = RequestFactory().get("/")
    request.user = staff_user
    request.session = {}
    request._messages = FallbackStorage(request)
    with django_capture_on_commit_callbacks(execute=True):
        response = model_admin.document_send(request, invoice.pk)
    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_admin_links_refused_to_consultant(client, consultant_user, invoice):
    client.force_login(consultant_user)
    response = client.get(reverse("admin:invoices_invoice_pdf", args=[invoice.pk]))
    assert response.status_code in (302, 403, 404)
    assert not response.content.startswith(b"%PDF")


def test_admin_change_page_has_document_buttons(client, staff_user, invoice):
    client.force_login(staff_user)
    page = client.get(reverse("admin:invoices_invoice_change", args=[invoice.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for label in ("Download the PDF", "Download the Factur-X XML", "Send by e-mail"):
        assert label in html
    button = client.get(f"/admin/invoices/invoice/{invoice.pk}/document-xml/")
    assert button.status_code == 302
    assert client.get(button["Location"]).content.startswith(b"<?xml")


def test_admin_draft_has_no_document_buttons(client, staff_user, invoice):
    draft = Invoice.objects.create(client=invoice.client, consultant=invoice.consultant)
    client.force_login(staff_user)
    page = client.get(reverse("admin:invoices_invoice_change", args=[draft.pk]))
    assert page.status_code == 200
    assert "Download the PDF" not in page.content.decode()
