"""The commercial-contract part of the daily job: end date within 30 days, 36-month limit at
90 and 30 days (PR-05); each alert recorded once per (contract, kind, threshold)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from apps.accounts.roles import Role
from apps.commercial_contracts.models import ContractStatus
from apps.commercial_contracts.services import (
    commercial_contract_amend,
    commercial_contracts_scan_alerts,
)
from apps.compliance.models import ContractAlert
from apps.compliance.periods import period_last_day
from tests.clients.factories import ClientCompanyFactory
from tests.consultants.factories import ConsultantFactory

from .factories import CommercialContractFactory

pytestmark = pytest.mark.django_db

END = date(2026, 8, 31)


def kinds() -> set[tuple[str, int]]:
    return set(ContractAlert.objects.values_list("kind", "threshold_days"))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (END - timedelta(days=31), set()),  # day before the 30-day threshold
        (END - timedelta(days=30), {("end_date", 30)}),  # day of
        (END - timedelta(days=29), {("end_date", 30)}),  # day after
        (END, {("end_date", 30)}),
        (END + timedelta(days=1), set()),  # past the end date
    ],
    ids=["31-days", "30-days", "29-days", "end-day", "after-end"],
)
def test_end_date_alert_edges(today, expected):
    CommercialContractFactory(status=ContractStatus.ACTIVE, end_date=END)
    assert commercial_contracts_scan_alerts(today=today) == len(expected)
    assert kinds() == expected


def test_drafts_and_closed_contracts_raise_no_alert():
    CommercialContractFactory(status=ContractStatus.DRAFT, end_date=END)
    CommercialContractFactory(
        status=ContractStatus.TERMINATED, end_date=END, terminated_on=date(2026, 6, 1)
    )
    assert commercial_contracts_scan_alerts(today=END - timedelta(days=5)) == 0


def test_rerun_records_nothing_twice():
    contract = CommercialContractFactory(status=ContractStatus.SIGNED, end_date=END)
    assert commercial_contracts_scan_alerts(today=END - timedelta(days=20)) == 1
    assert commercial_contracts_scan_alerts(today=END - timedelta(days=20)) == 0
    assert commercial_contracts_scan_alerts(today=END - timedelta(days=10)) == 0
    alert = ContractAlert.objects.get()
    assert alert.object_id == contract.pk
    assert alert.due_date == END
    assert contract.reference in alert.message


@pytest.mark.parametrize(
    ("days_before", "expected"),
    [
        (91, None),
        (90, 90),
        (89, 90),
        (31, 90),
        (30, 30),
        (29, 30),
    ],
)
def test_mission_limit_alert_thresholds(days_before, expected):
    """Two contracts of one consultant at one client since 2024-01-01: limit 2026-12-31."""
    consultant, client = ConsultantFactory(), ClientCompanyFactory()
    CommercialContractFactory(
        consultant=consultant,
        client=client,
        status=ContractStatus.ENDED,
        start_date=date(2024, 1, 1),
        end_date=date(2025, 6, 30),
        ended_on=date(2025, 6, 30),
    )
    limit = period_last_day(date(2024, 1, 1), 36)
    assert limit == date(2026, 12, 31)
    CommercialContractFactory(
        consultant=consultant,
        client=client,
        status=ContractStatus.ACTIVE,
        start_date=date(2025, 7, 1),
        end_date=limit,
    )
    today = limit - timedelta(days=days_before)
    commercial_contracts_scan_alerts(today=today)
    limit_alerts = ContractAlert.objects.filter(kind="mission_limit")
    if expected is None:
        assert not limit_alerts.exists()
    else:
        alert = limit_alerts.get()
        assert alert.threshold_days == expected
        assert alert.due_date == limit
        assert "PR-05" in alert.message


def test_a_gap_moves_the_limit_later():
    """Gaps do not count: 31 days without prestation push the limit 31 days later."""
    consultant, client = ConsultantFactory(), ClientCompanyFactory()
    CommercialContractFactory(
        consultant=consultant,
        client=client,
        status=ContractStatus.ENDED,
        start_date=date(2024, 1, 1),
        end_date=date(2024, 12, 31),
        ended_on=date(2024, 12, 31),
    )
    CommercialContractFactory(
        consultant=consultant,
        client=client,
        status=ContractStatus.ACTIVE,
        start_date=date(2025, 2, 1),
        end_date=date(2027, 1, 31),
    )
    commercial_contracts_scan_alerts(today=date(2027, 1, 1))
    alert = ContractAlert.objects.get(kind="mission_limit")
    assert alert.due_date == date(2027, 1, 31)
    assert alert.threshold_days == 30


def test_an_amended_end_date_is_alerted_again(make_user):
    contract = CommercialContractFactory(status=ContractStatus.ACTIVE, end_date=END)
    assert commercial_contracts_scan_alerts(today=END - timedelta(days=10)) == 1
    commercial_contract_amend(
        contract=contract,
        by=make_user(Role.STAFF),
        effective_from=END - timedelta(days=5),
        end_date=date(2026, 10, 31),
        daily_rate=Decimal("610.00"),
        reason="Prolongation",
    )
    assert commercial_contracts_scan_alerts(today=date(2026, 10, 15)) == 1
    assert set(ContractAlert.objects.values_list("due_date", flat=True)) == {
        END,
        date(2026, 10, 31),
    }
