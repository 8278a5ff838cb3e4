"""E-mailing issued invoices: once, with the PDF, retried on transient SMTP errors."""

import smtplib
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from apps.core.errors import DomainError
from apps.invoices.models import InvoiceSending, InvoiceStatus, SendingStatus
from apps.invoices.services.sending import invoice_send_request
from apps.invoices.tasks import invoice_document_render, invoice_send

from .factories import make_issued_invoice


def test_render_task_sends_once_with_pdf_attached(invoice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invoice_document_render.delay(invoice.pk)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [f"billing{invoice.client.pk}@client.example"]
    assert message.subject == f"Invoice {invoice.number} from Portage Exemple SAS"
    assert "13,200.00 € incl. VAT, due on 02/05/2026" in message.body
    (name, content, mimetype) = message.attachments[0]
    assert (name, mimetype) == (f"{invoice.number}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.SENT
    sending = InvoiceSending.objects.get(invoice=invoice)
    assert (sending.status, sending.attempts, sending.purpose) == (SendingStatus.SENT, 1, "issue")
    assert sending.sent_at is not None


def test_task_twice_sends_one_email(invoice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invoice_send_request(invoice=invoice)
        invoice_send_request(invoice=invoice)  # same purpose: same row
    invoice_send.delay(invoice.pk, "issue")  # a retry after the success
    invoice_send.apply(args=[invoice.pk, "issue"])
    assert len(mail.outbox) == 1
    assert InvoiceSending.objects.filter(invoice=invoice).count() == 1


def test_french_client_gets_french_email(consultant_user, django_capture_on_commit_callbacks):
    invoice = make_issued_invoice(consultant=consultant_user.consultant, language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        invoice_send_request(invoice=invoice)
    # Subject in the document language; the number is there whatever the catalogue says.
    assert invoice.number in mail.outbox[0].subject


def test_transient_smtp_error_is_retried_then_sent_once(invoice):
    InvoiceSending.objects.create(
        invoice=invoice, purpose="issue", recipients=["billing@client.example"]
    )
    real_send = EmailBackend.send_messages
    calls = {"n": 0}

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] <= 2:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real_send(self, messages)

    countdowns = []
    with mock.patch.object(EmailBackend, "send_messages", flaky):
        # What the worker does: run, and on Retry run again later with retries + 1.
        for attempt in range(5):
            try:
                result = invoice_send.apply(args=[invoice.pk, "issue"], retries=attempt)
            except Retry as retry:
                countdowns.append(retry.when)
                continue
            break
    assert result.successful(), result.traceback
    assert result.result is True
    # Exponential backoff: 1 minute, then 2.
    assert countdowns == [60, 120]
    assert len(mail.outbox) == 1
    sending = InvoiceSending.objects.get(invoice=invoice)
    # Two failed attempts recorded, then the success.
    assert (sending.status, sending.attempts) == (SendingStatus.SENT, 3)
    assert sending.last_error == ""


def test_permanent_error_marks_failed_without_retry(invoice):
    InvoiceSending.objects.create(
        invoice=invoice, purpose="issue", recipients=["billing@client.example"]
    )
    refused = smtplib.SMTPRecipientsRefused({"billing@client.example": (550, b"No such user")})
    with (
        mock.patch.object(EmailBackend, "send_messages", side_effect=refused),
        pytest.raises(smtplib.SMTPRecipientsRefused),
    ):
        invoice_send.apply(args=[invoice.pk, "issue"])
    sending = InvoiceSending.objects.get(invoice=invoice)
    assert (sending.status, sending.attempts) == (SendingStatus.FAILED, 1)
    assert "SMTPRecipientsRefused" in sending.last_error
    assert mail.outbox == []


def test_no_billing_contact_is_refused(consultant_user):
    invoice = make_issued_invoice(consultant=consultant_user.consultant, with_contact=False)
    invoice.client_snapshot = {**invoice.client_snapshot, "billing_contact_email": ""}
    invoice.save(update_fields=["client_snapshot"])
    with pytest.raises(DomainError, match="no billing contact"):
        invoice_send_request(invoice=invoice)
    assert not InvoiceSending.objects.exists()


def test_resend_gets_its_own_row(invoice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invoice_send_request(invoice=invoice)
        resend = invoice_send_request(invoice=invoice, purpose="resend")
    assert resend.purpose == "resend-1"
    assert len(mail.outbox) == 2
