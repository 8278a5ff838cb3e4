"""E-mailing an issued payslip to its consultant: only if they opted in, never twice.

`payslip_email_send` claims the payslip under lock (emailed_at still empty), sends the
e-mail with the stored PDF attached and sets emailed_at in the same transaction: a rerun,
or a retry after a success, finds emailed_at set and sends nothing. If the send fails the
transaction rolls back, emailed_at stays empty and the task retries on transient errors.
"""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation

from .documents import eur, payslip_document_render
from .models import Payslip

FALLBACK_LANGUAGE = "fr"


def is_transient_mail_error(error: BaseException) -> bool:
    """Worth retrying later: the server was unreachable or answered 4xx (try again)."""
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused):
        return False
    return isinstance(error, ConnectionError | TimeoutError)


def payslip_email_language(payslip: Payslip) -> str:
    """The consultant's portal language, French by default (no account, no choice)."""
    user = payslip.consultant.user
    return (getattr(user, "language", "") or FALLBACK_LANGUAGE) if user else FALLBACK_LANGUAGE


def payslip_email_recipient(payslip: Payslip) -> str:
    consultant = payslip.consultant
    return (consultant.email or (consultant.user.email if consultant.user else "")).strip()


def _message(payslip: Payslip, recipient: str, pdf: bytes) -> EmailMessage:
    language = payslip_email_language(payslip)
    employer = payslip.employer_snapshot or {}
    with translation.override(language):
        context = {
            "payslip": payslip,
            "first_name": payslip.consultant.first_name,
            "period_label": formats.date_format(payslip.period, "F Y"),
            "net_paid": eur(payslip.net_paid) if language == "fr" else f"{payslip.net_paid:,}",
            "employer_name": employer.get("legal_name", ""),
        }
        subject = " ".join(render_to_string("payslips/email_subject.txt", context).split())
        body = render_to_string("payslips/email_body.txt", context)
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient],
    )
    message.attach(f"{payslip.number}.pdf", pdf, "application/pdf")
    return message


def payslip_email_send(*, payslip: Payslip) -> bool:
    """Send the payslip to the consultant if they opted in; True if sent now, False if there
    was nothing to do (not opted in, no address, already sent). Mail errors propagate (the
    task retries the transient ones); nothing is marked sent unless the send succeeded."""
    payslip = Payslip.objects.select_related("consultant__user").get(pk=payslip.pk)
    if payslip.emailed_at or not payslip.consultant.payslip_email_opt_in:
        return False
    if not payslip_email_recipient(payslip):
        return False
    # The legal copy first, outside the claim: rendered now if the render task has not run.
    payslip_document_render(payslip=payslip)
    with transaction.atomic():
        locked = (
            Payslip.objects.select_for_update(of=("self",))
            .select_related("consultant__user")
            .get(pk=payslip.pk)
        )
        if locked.emailed_at or not locked.consultant.payslip_email_opt_in:
            return False
        with locked.pdf_file.open("rb") as stored:
            pdf = stored.read()
        _message(locked, payslip_email_recipient(locked), pdf).send(fail_silently=False)
        locked.emailed_at = timezone.now()
        locked.save(update_fields=["emailed_at", "updated_at"])
    return True
