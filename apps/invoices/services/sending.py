"""E-mailing issued invoices and credit notes to the client's billing contacts, never twice.

`invoice_send_request` records one InvoiceSending row per (document, purpose) and queues the
`invoices.invoice_send` task after commit; `invoice_send_deliver` (called by that task)
claims the row under lock, sends the e-mail with the Factur-X PDF attached, and marks it
sent in the same transaction: a rerun, or a retry after a success, finds it sent and sends
nothing. Transient SMTP errors are counted on the row and re-raised for the task to retry.
"""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.clients.models import ContactKind
from apps.core.errors import DomainError

from ..models import Invoice, InvoiceSending, InvoiceStatus, SendingStatus
from .documents import _document_language, invoice_pdf_bytes
from .settlement import invoice_settlement_refresh

ISSUE = "issue"
RESEND = "resend"


def is_transient_mail_error(error: BaseException) -> bool:
    """Worth retrying later: the server was unreachable or answered 4xx (try again)."""
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused):
        return False
    return isinstance(error, ConnectionError | TimeoutError)


def invoice_billing_recipients(invoice: Invoice) -> list[str]:
    """The e-mails of the client's billing contacts (primary first), else the snapshot's."""
    emails = [
        contact.email
        for contact in invoice.client.contacts.filter(kind=ContactKind.BILLING)
        .exclude(email="")
        .order_by("-is_primary", "pk")
    ]
    fallback = (invoice.client_snapshot or {}).get("billing_contact_email")
    if not emails and fallback:
        emails = [fallback]
    return list(dict.fromkeys(email.lower() for email in emails))


def _next_resend_purpose(invoice: Invoice) -> str:
    count = invoice.sendings.filter(purpose__startswith=RESEND).count()
    return f"{RESEND}-{count + 1}"


def invoice_send_request(
    *, invoice: Invoice, requested_by=None, purpose: str = ISSUE
) -> InvoiceSending:
    """Record the sending of an issued document and queue it after commit.

    purpose "issue": the first sending, once per document (a second request returns the
    existing row and queues nothing if it was sent). purpose "resend": an explicit new
    sending by staff, its own row ("resend-1", "resend-2", ...).
    """
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if locked.status == InvoiceStatus.DRAFT or not locked.number:
            raise DomainError(
                _("Only an issued invoice or credit note can be sent."),
                code="invoice_not_issued",
            )
        recipients = invoice_billing_recipients(locked)
        if not recipients:
            raise DomainError(
                _("The client has no billing contact with an e-mail address."),
                code="no_billing_contact",
            )
        if purpose == RESEND:
            purpose = _next_resend_purpose(locked)
        sending, created = InvoiceSending.objects.get_or_create(
            invoice=locked,
            purpose=purpose,
            defaults={"recipients": recipients, "requested_by": requested_by},
        )
        if not created and sending.status == SendingStatus.SENT:
            return sending
        if not created and sending.status == SendingStatus.FAILED:
            sending.status = SendingStatus.PENDING
            sending.recipients = recipients
            sending.save(update_fields=["status", "recipients", "updated_at"])
        invoice_id, sending_purpose = locked.pk, sending.purpose

        def queue():
            from apps.invoices.tasks import invoice_send

            invoice_send.delay(invoice_id, sending_purpose)

        transaction.on_commit(queue)
    return sending


def _message(invoice: Invoice, recipients: list[str], pdf: bytes) -> EmailMessage:
    context = {
        "invoice": invoice,
        "is_credit_note": invoice.is_credit_note,
        "seller": invoice.seller_snapshot or {},
        "contract": invoice.contract_snapshot or {},
    }
    with translation.override(_document_language(invoice)):
        subject = " ".join(render_to_string("invoices/email_subject.txt", context).split())
        body = render_to_string("invoices/email_body.txt", context)
    seller_email = (invoice.seller_snapshot or {}).get("email")
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        reply_to=[seller_email] if seller_email else None,
    )
    message.attach(f"{invoice.number}.pdf", pdf, "application/pdf")
    return message


def invoice_send_deliver(*, invoice_id: int, purpose: str = ISSUE) -> bool:
    """Send the e-mail of one sending row; True if sent now, False if there was nothing to do
    (already sent, or no such row). Transient errors are recorded and re-raised."""
    sending = InvoiceSending.objects.filter(invoice_id=invoice_id, purpose=purpose).first()
    if sending is None or sending.status == SendingStatus.SENT:
        return False
    # The legal copy first (rendered if the render task has not run yet), outside the
    # sending lock: the render locks the invoice row itself.
    pdf = invoice_pdf_bytes(invoice=sending.invoice)
    try:
        with transaction.atomic():
            sending = (
                InvoiceSending.objects.select_for_update()
                .select_related("invoice")
                .get(pk=sending.pk)
            )
            if sending.status == SendingStatus.SENT:
                return False
            _message(sending.invoice, sending.recipients, pdf).send(fail_silently=False)
            sending.status = SendingStatus.SENT
            sending.sent_at = timezone.now()
            sending.attempts += 1
            sending.last_error = ""
            sending.save(
                update_fields=["status", "sent_at", "attempts", "last_error", "updated_at"]
            )
            invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
            invoice_settlement_refresh(invoice=invoice)
    except Exception as error:
        # Outside the rolled-back transaction: the attempt and its error stay recorded.
        InvoiceSending.objects.filter(pk=sending.pk).update(
            attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    return True


def invoice_sending_mark_failed(*, invoice_id: int, purpose: str) -> None:
    """After the last retry: the row says so (staff may request a new sending)."""
    InvoiceSending.objects.filter(
        invoice_id=invoice_id, purpose=purpose, status=SendingStatus.PENDING
    ).update(status=SendingStatus.FAILED, updated_at=timezone.now())
