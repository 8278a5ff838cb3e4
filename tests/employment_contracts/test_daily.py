"""The daily job: alerts recorded once per (contract, kind, threshold), ONE digest e-mail to
staff per run with what is new, nothing when nothing is new."""

from datetime import date

import pytest
from django.core import mail

from apps.compliance.models import ContractAlert
from apps.employment_contracts import services
from apps.employment_contracts.tasks import contracts_daily_scan_task

from .factories import CommercialContractFactory, ConsultantFactory, cdd_create, signed

pytestmark = pytest.mark.django_db


def _run(today, capture):
    with capture(execute=True):
        return services.contracts_daily_scan(today=today)


@pytest.fixture
def cdd(staff_user):
    """An active CDD from 1 January to 30 June 2026 (its commercial contract is signed)."""
    return signed(cdd_create(), staff_user, activate=True)


def test_nothing_due_no_email(cdd, django_capture_on_commit_callbacks):
    # 31 days before the end: below no threshold
    result = _run(date(2026, 5, 30), django_capture_on_commit_callbacks)
    assert result["employment_alerts"] == 0 and result["alerts_notified"] == 0
    assert mail.outbox == []


def test_run_twice_sends_one_email(cdd, staff_user, django_capture_on_commit_callbacks):
    today = date(2026, 5, 31)  # 30 days before the end: the threshold is reached
    first = _run(today, django_capture_on_commit_callbacks)
    # the CDD's end and renewal, and its commercial contract's end
    assert first["employment_alerts"] == 2
    assert first["commercial_alerts"] == 1
    assert first["alerts_notified"] == 3
    second = _run(today, django_capture_on_commit_callbacks)
    assert second == {**first, "employment_alerts": 0, "commercial_alerts": 0, "alerts_notified": 0}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [staff_user.email]
    assert cdd.reference in message.body
    kinds = set(
        ContractAlert.objects.filter(
            object_id=cdd.pk, content_type__model="employmentcontract"
        ).values_list("kind", flat=True)
    )
    assert kinds == {"end_date", "cdd_renewal_due"}
    # the next day: nothing new, no e-mail
    _run(date(2026, 6, 1), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


def test_no_renewal_alert_when_no_renewal_is_possible(
    staff_user, django_capture_on_commit_callbacks
):
    """Two renewals already: only the end-date alert (L1254-17 allows no third)."""
    contract = signed(cdd_create(initial_end_date=date(2026, 2, 28)), staff_user, activate=True)
    for new_end in (date(2026, 4, 30), date(2026, 6, 30)):
        contract = services.employment_contract_renew(
            contract=contract,
            by=staff_user,
            new_end_date=new_end,
            reason="Prolongation",
            signed_on=date(2026, 2, 1),
        )
    result = _run(date(2026, 6, 15), django_capture_on_commit_callbacks)
    assert result["employment_alerts"] == 1
    assert set(
        ContractAlert.objects.filter(content_type__model="employmentcontract").values_list(
            "kind", flat=True
        )
    ) == {"end_date"}


def test_later_day_new_threshold_sends_only_the_new_alerts(
    staff_user, django_capture_on_commit_callbacks
):
    """A prestation reaching the 36-month limit (PR-05) on 31 December 2026, with a CDD of
    18 months ending that day (no renewal possible: the 18 months are reached)."""
    consultant = ConsultantFactory()
    mission = CommercialContractFactory(
        consultant=consultant,
        start_date=date(2024, 1, 1),
        end_date=date(2026, 12, 31),
        status="active",
    )
    contract = signed(
        cdd_create(
            consultant=consultant,
            commercial_contracts=[mission],
            start_date=date(2025, 7, 1),
            initial_end_date=date(2026, 12, 31),
        ),
        staff_user,
        activate=True,
    )
    # 90 days before the limit: the mission-limit alert at 90 days only
    first = _run(date(2026, 10, 2), django_capture_on_commit_callbacks)
    assert (first["commercial_alerts"], first["employment_alerts"]) == (1, 0)
    assert len(mail.outbox) == 1
    assert _run(date(2026, 10, 3), django_capture_on_commit_callbacks)["alerts_notified"] == 0
    # 30 days before: new threshold -> a second e-mail with the new alerts only
    second = _run(date(2026, 12, 1), django_capture_on_commit_callbacks)
    assert (second["commercial_alerts"], second["employment_alerts"]) == (2, 1)
    assert second["alerts_notified"] == 3
    assert len(mail.outbox) == 2
    body = mail.outbox[1].body
    assert contract.reference in body
    alerts = ContractAlert.objects.all()
    assert sorted((a.content_type.model, a.kind, a.threshold_days) for a in alerts) == [
        ("commercialcontract", "end_date", 30),
        ("commercialcontract", "mission_limit", 30),
        ("commercialcontract", "mission_limit", 90),
        ("employmentcontract", "end_date", 30),
    ]
    for alert in alerts:
        assert (alert.message in body) == (alert.threshold_days == 30)
    assert ContractAlert.objects.filter(notified_at__isnull=True).count() == 0


def test_beat_task_is_registered_under_the_scheduled_name(settings):
    assert contracts_daily_scan_task.name == "employment_contracts.contracts_daily_scan"
    assert settings.CELERY_BEAT_SCHEDULE["contracts-daily-scan"]["task"] == (
        contracts_daily_scan_task.name
    )
    result = contracts_daily_scan_task.delay().get()
    assert set(result) == {"today", "commercial_alerts", "employment_alerts", "alerts_notified"}


def test_a_renewed_term_is_alerted_again(cdd, staff_user, django_capture_on_commit_callbacks):
    """A renewal moves the due date: a new event, alerted 30 days before the new end."""
    _run(date(2026, 5, 31), django_capture_on_commit_callbacks)
    services.employment_contract_renew(
        contract=cdd,
        by=staff_user,
        new_end_date=date(2026, 9, 30),
        reason="Prolongation",
        signed_on=date(2026, 6, 1),
    )
    result = _run(date(2026, 8, 31), django_capture_on_commit_callbacks)
    assert result["employment_alerts"] == 2
    assert len(mail.outbox) == 2
    assert "30/09/2026" in mail.outbox[1].body
