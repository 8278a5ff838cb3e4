"""Acknowledged warnings, alerts recorded once, the staff digest sent once."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from apps.accounts.roles import Role
from apps.compliance.models import ContractAlert, FindingAcknowledgement
from apps.compliance.selectors import (
    acknowledgements_for,
    alerts_dashboard_panel,
    alerts_for,
    alerts_open,
    findings_unacknowledged,
)
from apps.compliance.services import alert_record_once, alerts_digest_send, findings_acknowledge
from apps.compliance.types import Finding, Severity
from apps.core.errors import DomainError
from tests.consultants.factories import ConsultantFactory

from .factories import ContractAlertFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


def warning(code="mission_near_limit", **figures):
    return Finding("PR-05", Severity.WARN, code, f"Warning {code}", figures or {"months": "34"})


BLOCK = Finding("PR-01", Severity.BLOCK, "client_not_company", "Blocked", {})


@pytest.fixture
def document():
    return ConsultantFactory()


# --- acknowledgements -----------------------------------------------------------------------


def test_acknowledge_records_who_and_what(document, staff_user):
    records = findings_acknowledge(obj=document, findings=[warning()], user=staff_user)
    assert len(records) == 1
    record = acknowledgements_for(document).get()
    assert (record.rule_id, record.code, record.severity) == ("PR-05", "mission_near_limit", "warn")
    assert record.figures == {"months": "34"}
    assert record.acknowledged_by == staff_user
    assert record.content_object == document


def test_acknowledge_is_idempotent_per_code_and_figures(document, staff_user, finance_user):
    findings_acknowledge(obj=document, findings=[warning()], user=staff_user)
    findings_acknowledge(obj=document, findings=[warning()], user=finance_user)
    assert FindingAcknowledgement.objects.count() == 1
    assert FindingAcknowledgement.objects.get().acknowledged_by == staff_user
    findings_acknowledge(obj=document, findings=[warning(months="35")], user=staff_user)
    assert FindingAcknowledgement.objects.count() == 2


def test_the_same_finding_can_only_be_stored_once(document, staff_user):
    findings_acknowledge(obj=document, findings=[warning()], user=staff_user)
    record = FindingAcknowledgement.objects.get()
    record.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


def test_blocking_findings_cannot_be_acknowledged(document, staff_user):
    with pytest.raises(DomainError) as error:
        findings_acknowledge(obj=document, findings=[warning(), BLOCK], user=staff_user)
    assert error.value.code == "blocking_findings"
    assert "PR-01" in str(error.value)
    assert error.value.fields["findings"][0]["code"] == "client_not_company"
    assert FindingAcknowledgement.objects.count() == 0  # nothing written half-way


def test_acknowledgement_needs_a_signed_in_user(document):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(DomainError):
        findings_acknowledge(obj=document, findings=[warning()], user=AnonymousUser())


def test_unacknowledged_lists_only_new_warnings(document, staff_user):
    old, new = warning(), warning("client_dependence_high", share="60")
    findings_acknowledge(obj=document, findings=[old], user=staff_user)
    assert findings_unacknowledged(obj=document, findings=[old, new, BLOCK]) == [new]
    changed = warning(months="35")  # same code, new figures: must be acknowledged again
    assert findings_unacknowledged(obj=document, findings=[changed]) == [changed]
    other = ConsultantFactory()
    assert findings_unacknowledged(obj=other, findings=[old]) == [old]


# --- alerts ---------------------------------------------------------------------------------


def test_alert_is_recorded_once_per_document_kind_and_threshold(document):
    alert, created = alert_record_once(
        obj=document, kind="mission_limit", threshold_days=90, due_date=TODAY, message="90 days"
    )
    again, created_again = alert_record_once(
        obj=document, kind="mission_limit", threshold_days=90, due_date=TODAY, message="again"
    )
    assert (created, created_again) == (True, False)
    assert again.pk == alert.pk and again.message == "90 days"
    _thirty, created_30 = alert_record_once(
        obj=document, kind="mission_limit", threshold_days=30, due_date=TODAY, message="30 days"
    )
    _end, created_end = alert_record_once(
        obj=document, kind="end_date", threshold_days=30, due_date=TODAY, message="end"
    )
    assert created_30 and created_end
    assert alerts_for(document).count() == 3


def test_a_moved_due_date_is_a_new_event(document):
    _first, created = alert_record_once(
        obj=document, kind="end_date", threshold_days=30, due_date=TODAY, message="ends"
    )
    later = TODAY + timedelta(days=90)
    _second, created_later = alert_record_once(
        obj=document, kind="end_date", threshold_days=30, due_date=later, message="renewed"
    )
    _again, created_again = alert_record_once(
        obj=document, kind="end_date", threshold_days=30, due_date=later, message="renewed"
    )
    assert (created, created_later, created_again) == (True, True, False)


def test_alert_kind_and_threshold_are_validated(document):
    with pytest.raises(ValidationError) as error:
        alert_record_once(
            obj=document, kind="other", threshold_days=30, due_date=TODAY, message="x"
        )
    assert "kind" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        alert_record_once(
            obj=document, kind="end_date", threshold_days=-1, due_date=TODAY, message="x"
        )
    assert "threshold_days" in error.value.message_dict
    assert ContractAlert.objects.count() == 0


# --- digest ---------------------------------------------------------------------------------


@pytest.fixture
def staff_recipients(make_user):
    first = make_user(Role.STAFF, email="anne@example.test")
    second = make_user(Role.STAFF, email="bruno@example.test")
    inactive = make_user(Role.STAFF, email="gone@example.test")
    inactive.is_active = False
    inactive.save()
    make_user(Role.FINANCE, email="finance@example.test")
    make_user(Role.CONSULTANT, email="consultant@example.test")
    return [first.email, second.email]


def test_digest_sends_one_email_to_active_staff_and_marks_alerts(staff_recipients):
    first = ContractAlertFactory(message="Contract A ends on 2026-12-31.")
    second = ContractAlertFactory(kind="mission_limit", threshold_days=90, message="Limit B.")
    assert alerts_digest_send(today=TODAY) == 2
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert sorted(email.to) == staff_recipients
    assert "Contract A ends on 2026-12-31." in email.body
    assert "Limit B." in email.body
    assert "\n" not in email.subject
    for alert in (first, second):
        alert.refresh_from_db()
        assert alert.notified_at is not None


def test_digest_run_twice_sends_one_email(staff_recipients):
    ContractAlertFactory()
    assert alerts_digest_send(today=TODAY) == 1
    assert alerts_digest_send(today=TODAY) == 0
    assert len(mail.outbox) == 1


def test_digest_without_alert_sends_nothing(staff_recipients):
    assert alerts_digest_send(today=TODAY) == 0
    assert mail.outbox == []


def test_digest_lists_only_alerts_not_yet_notified(staff_recipients):
    ContractAlertFactory(message="Old alert.", notified_at=timezone.now())
    ContractAlertFactory(message="New alert.")
    assert alerts_digest_send(today=TODAY) == 1
    assert "New alert." in mail.outbox[0].body
    assert "Old alert." not in mail.outbox[0].body


def test_digest_without_staff_keeps_alerts_for_later(db):
    alert = ContractAlertFactory()
    assert alerts_digest_send(today=TODAY) == 0
    assert mail.outbox == []
    alert.refresh_from_db()
    assert alert.notified_at is None


def test_digest_failure_leaves_alerts_unnotified(staff_recipients, monkeypatch):
    alert = ContractAlertFactory()

    def broken(*args, **kwargs):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr("apps.compliance.services.send_mail", broken)
    with pytest.raises(ConnectionError):
        alerts_digest_send(today=TODAY)
    alert.refresh_from_db()
    assert alert.notified_at is None


# --- dashboard ------------------------------------------------------------------------------


def test_alerts_open_lists_upcoming_alerts_soonest_first(db):
    today = timezone.localdate()
    later = ContractAlertFactory(due_date=today + timedelta(days=60))
    soon = ContractAlertFactory(due_date=today)
    ContractAlertFactory(due_date=today - timedelta(days=1))  # past: not open
    assert alerts_open() == [soon, later]
    assert alerts_open(limit=1) == [soon]


def test_alerts_open_query_count_is_constant(db, django_assert_num_queries):
    today = timezone.localdate()
    ContractAlertFactory(due_date=today)
    with django_assert_num_queries(2):  # alerts with content types, then the documents
        [str(alert.content_object) for alert in alerts_open()]
    for _ in range(5):
        ContractAlertFactory(due_date=today)
    with django_assert_num_queries(2):
        [str(alert.content_object) for alert in alerts_open()]


def test_admin_panel_template_renders_the_alerts(db):
    alert = ContractAlertFactory(due_date=timezone.localdate(), message="Ends in 30 days.")
    html = render_to_string(
        "compliance/admin_alerts_panel.html", {"panel": alerts_dashboard_panel()}
    )
    assert "Ends in 30 days." in html
    assert "Contract alerts" in html
    assert str(alert.content_object) in html
    empty = render_to_string("compliance/admin_alerts_panel.html", {"panel": {"alerts": []}})
    assert "No contract alert" in empty
