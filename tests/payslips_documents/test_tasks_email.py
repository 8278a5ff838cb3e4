"""The render task and the e-mail: only for consultants who opted in, never twice."""

import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction

from apps.payslips import documents, emails
from apps.payslips.emails import payslip_email_send
from apps.payslips.models import Payslip
from apps.payslips.tasks import payslip_email, payslip_render

from .factories import make_payslip

pytestmark = pytest.mark.django_db


def _opt_in(payslip: Payslip, value: bool = True) -> Payslip:
    consultant = payslip.consultant
    consultant.payslip_email_opt_in = value
    consultant.save(update_fields=["payslip_email_opt_in"])
    return payslip


def test_render_task_renders_and_emails_an_opted_in_consultant_once():
    payslip = _opt_in(make_payslip())

    assert payslip_render.delay(payslip.pk).get() is True
    assert payslip_render.delay(payslip.pk).get() is True  # the run queued it twice

    payslip.refresh_from_db()
    assert payslip.pdf_file and payslip.emailed_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [payslip.consultant.email]
    ((name, content, mimetype),) = message.attachments
    assert (name, mimetype) == (f"{payslip.number}.pdf", "application/pdf")
    with payslip.pdf_file.open("rb") as stored:
        assert content == stored.read()  # the legal copy, not a new rendering


def test_email_task_twice_sends_one_email():
    payslip = _opt_in(make_payslip())
    assert payslip_email.delay(payslip.pk).get() is True
    assert payslip_email.delay(payslip.pk).get() is False
    assert len(mail.outbox) == 1


def test_no_email_without_opt_in():
    payslip = make_payslip()
    assert payslip.consultant.payslip_email_opt_in is False  # the default: no consent

    payslip_render.delay(payslip.pk)
    assert payslip_email.delay(payslip.pk).get() is False

    payslip.refresh_from_db()
    assert payslip.pdf_file  # still rendered, for the portal
    assert payslip.emailed_at is None
    assert mail.outbox == []


def test_failed_send_is_not_marked_and_a_retry_sends_once():
    payslip = _opt_in(make_payslip())
    with (
        mock.patch.object(
            emails.EmailMessage, "send", side_effect=smtplib.SMTPServerDisconnected("down")
        ),
        pytest.raises(smtplib.SMTPServerDisconnected),
    ):
        payslip_email_send(payslip=payslip)
    payslip.refresh_from_db()
    assert payslip.emailed_at is None and mail.outbox == []

    assert payslip_email_send(payslip=payslip) is True
    assert payslip_email_send(payslip=payslip) is False
    assert len(mail.outbox) == 1


def test_transient_errors_are_retried_permanent_ones_are_not():
    assert emails.is_transient_mail_error(smtplib.SMTPServerDisconnected("x"))
    assert emails.is_transient_mail_error(smtplib.SMTPResponseException(451, b"later"))
    assert not emails.is_transient_mail_error(smtplib.SMTPResponseException(550, b"no user"))
    assert not emails.is_transient_mail_error(ValueError("bug"))


def test_email_in_the_consultants_language(make_user):
    payslip = _opt_in(make_payslip())
    user = make_user("consultant", email=payslip.consultant.email, language="fr")
    consultant = payslip.consultant
    consultant.user = user
    consultant.save(update_fields=["user"])

    payslip_email_send(payslip=payslip)

    (message,) = mail.outbox
    assert message.subject == f"Votre bulletin de paie de janvier 2026 ({payslip.number})" or (
        # Before the lead compiles the French catalogue, the English source is used.
        message.subject == f"Your payslip for janvier 2026 ({payslip.number})"
    )
    assert message.body.startswith("Bonjour ")  # the French catalogue: "Hello" translated
    assert documents.eur(payslip.net_paid) in message.body  # French figures: 4 628,60


def test_english_consultant_gets_english(make_user):
    payslip = _opt_in(make_payslip())
    user = make_user("consultant", email=payslip.consultant.email, language="en")
    consultant = payslip.consultant
    consultant.user = user
    consultant.save(update_fields=["user"])

    payslip_email_send(payslip=payslip)

    (message,) = mail.outbox
    assert message.subject == f"Your payslip for January 2026 ({payslip.number})"
    assert message.body.startswith(f"Hello {consultant.first_name},")


def test_the_run_queues_the_render_after_commit(django_capture_on_commit_callbacks):
    """The contract with RUN: `transaction.on_commit(lambda: payslip_render.delay(pk))`."""
    payslip = _opt_in(make_payslip())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            transaction.on_commit(lambda: payslip_render.delay(payslip.pk))
        payslip.refresh_from_db()
        assert not payslip.pdf_file  # nothing before the commit
    assert len(callbacks) == 1
    payslip.refresh_from_db()
    assert payslip.pdf_file and payslip.emailed_at is not None
    assert len(mail.outbox) == 1
