"""Fixtures of the payroll run tests: a company of 20, contracts created directly as active
(their signature workflow is tested in tests/employment_contracts), money on the ledger."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from apps.accounts.roles import Role
from apps.employment_contracts.models import EmploymentContract
from apps.ledger.models import LedgerEntryKind
from apps.ledger.services import ledger_post
from tests.company import make_company_profile
from tests.consultants.factories import ConsultantFactory

PERIOD = date(2026, 1, 1)


@pytest.fixture(autouse=True)
def _english(english_requests):
    yield


@pytest.fixture(autouse=True)
def rendered(monkeypatch):
    """The PDF task belongs to apps.payslips: record the ids scheduled instead."""
    scheduled: list[int] = []
    monkeypatch.setattr(
        "apps.payroll.services.run.schedule_payslip_render", scheduled.append, raising=True
    )
    return scheduled


@pytest.fixture
def company(db):
    return make_company_profile(headcount=20)


_counter = {"n": 0}


def make_contract(consultant=None, **overrides) -> EmploymentContract:
    _counter["n"] += 1
    consultant = consultant or ConsultantFactory()
    fields = {
        "reference": f"CT-TEST-{_counter['n']:05d}",
        "consultant": consultant,
        "kind": EmploymentContract.Kind.CDI,
        "start_date": date(2025, 9, 1),
        "working_time_mode": EmploymentContract.WorkingTimeMode.DAYS,
        "status_cadre": EmploymentContract.StatusCadre.CADRE,
        "classification": EmploymentContract.Classification.LEVEL_3,
        "management_fee_rate": Decimal("6.00"),
        "status": EmploymentContract.Status.ACTIVE,
    }
    fields.update(overrides)
    return EmploymentContract.objects.create(**fields)


def fund(consultant, amount, *, day=date(2026, 1, 15)):
    """Money collected on the compte d'activité (a Group stands in for the payment)."""
    _counter["n"] += 1
    source = Group.objects.create(name=f"payroll-run-payment-{_counter['n']}")
    return ledger_post(
        consultant=consultant,
        kind=LedgerEntryKind.TURNOVER_COLLECTED,
        amount=Decimal(amount),
        entry_date=day,
        label="Payment",
        source=source,
    )


@pytest.fixture
def consultant_user(make_user):
    user = make_user(Role.CONSULTANT, first_name="Claire", last_name="Porte")
    ConsultantFactory(user=user, email=user.email)
    return user


def entries_of(payslip):
    """The ledger entries whose source is this payslip."""
    from django.contrib.contenttypes.models import ContentType

    from apps.ledger.models import LedgerEntry

    return LedgerEntry.objects.filter(
        source_content_type=ContentType.objects.get_for_model(payslip),
        source_object_id=payslip.pk,
    )
