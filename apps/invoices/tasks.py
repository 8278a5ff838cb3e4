"""Celery tasks of the invoices app: thin, take ids, idempotent (DESIGN.md §3.8).

- `invoices.invoice_document_render`: the Factur-X PDF of an issued document, once; then,
  when settings.INVOICE_SEND_ON_ISSUE (default True) and the client has a billing contact,
  the first sending is requested (purpose "issue").
- `invoices.invoice_send`: one e-mail per sending row, retried with backoff on transient
  SMTP errors, never sent twice.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from apps.core.errors import DomainError

logger = logging.getLogger(__name__)

SEND_MAX_RETRIES = 5


@shared_task(
    bind=True,
    name="invoices.invoice_document_render",
    max_retries=3,
    time_limit=180,
    soft_time_limit=150,
)
def invoice_document_render(self, invoice_id: int) -> bool:
    from .models import DocumentKind, Invoice
    from .services import documents, sending

    invoice = Invoice.objects.filter(pk=invoice_id).first()
    if invoice is None:
        return False
    try:
        invoice = documents.invoice_document_render(invoice=invoice)
    except OperationalError as error:  # a locked or unreachable database: try again later
        raise self.retry(exc=error, countdown=30 * (self.request.retries + 1)) from error
    if getattr(settings, "INVOICE_SEND_ON_ISSUE", True) and invoice.kind in (
        DocumentKind.INVOICE,
        DocumentKind.CREDIT_NOTE,
    ):
        try:
            sending.invoice_send_request(invoice=invoice, purpose=sending.ISSUE)
        except DomainError as error:
            # No billing e-mail: staff send it from the admin once the contact exists.
            logger.info("Invoice %s not sent automatically: %s", invoice.number, error)
    return True


@shared_task(
    bind=True,
    name="invoices.invoice_send",
    max_retries=SEND_MAX_RETRIES,
    time_limit=120,
    soft_time_limit=100,
)
def invoice_send(self, invoice_id: int, purpose: str = "issue") -> bool:
    from .services import sending

    try:
        return sending.invoice_send_deliver(invoice_id=invoice_id, purpose=purpose)
    except Exception as error:
        if not sending.is_transient_mail_error(error):
            sending.invoice_sending_mark_failed(invoice_id=invoice_id, purpose=purpose)
            raise
        if self.request.retries >= SEND_MAX_RETRIES:
            sending.invoice_sending_mark_failed(invoice_id=invoice_id, purpose=purpose)
            raise
        # Exponential backoff: 1, 2, 4, 8, 16 minutes.
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error
