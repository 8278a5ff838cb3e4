"""Celery tasks of the payslip documents: thin, take ids, idempotent (DESIGN.md §3.8).

- `payslips.payslip_render`: the PDF of an issued payslip, once (never re-rendered); then,
  when the consultant opted in and the payslip was not e-mailed yet, queues the e-mail.
  Queued by the payroll run after commit.
- `payslips.payslip_email`: the e-mail with the PDF attached, retried with backoff on
  transient SMTP errors, never sent twice (emailed_at claimed under lock).
"""

from celery import shared_task
from django.db import OperationalError

EMAIL_MAX_RETRIES = 5


@shared_task(
    bind=True, name="payslips.payslip_render", max_retries=3, time_limit=180, soft_time_limit=150
)
def payslip_render(self, payslip_id: int) -> bool:
    from .documents import payslip_document_render
    from .models import Payslip

    payslip = Payslip.objects.select_related("consultant").filter(pk=payslip_id).first()
    if payslip is None:
        return False
    try:
        payslip_document_render(payslip=payslip)
    except OperationalError as error:  # a locked or unreachable database: try again later
        raise self.retry(exc=error, countdown=30 * (self.request.retries + 1)) from error
    if payslip.consultant.payslip_email_opt_in and payslip.emailed_at is None:
        payslip_email.delay(payslip_id)
    return True


@shared_task(
    bind=True,
    name="payslips.payslip_email",
    max_retries=EMAIL_MAX_RETRIES,
    time_limit=120,
    soft_time_limit=100,
)
def payslip_email(self, payslip_id: int) -> bool:
    from .emails import is_transient_mail_error, payslip_email_send
    from .models import Payslip

    payslip = Payslip.objects.filter(pk=payslip_id).first()
    if payslip is None:
        return False
    try:
        return payslip_email_send(payslip=payslip)
    except Exception as error:
        transient = is_transient_mail_error(error) or isinstance(error, OperationalError)
        if not transient or self.request.retries >= EMAIL_MAX_RETRIES:
            raise
        # Exponential backoff: 1, 2, 4, 8, 16 minutes.
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error
