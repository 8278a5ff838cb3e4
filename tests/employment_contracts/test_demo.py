"""seed_employment_contracts(): CDD and CDI in every status, linked to the demo commercial
contracts; idempotent."""

import pytest

from apps.accounts.roles import Role
from apps.accounts.services import user_create
from apps.clients.demo import seed_clients
from apps.commercial_contracts.demo import seed_commercial_contracts
from apps.consultants.demo import seed_consultants
from apps.employment_contracts.demo import seed_employment_contracts
from apps.employment_contracts.models import EmploymentContract, EmploymentContractRenewal

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_base(db):
    user_create(email="staff@demo.portage.test", role=Role.STAFF, password="x-Demo-2026!")
    seed_consultants(count=20)
    seed_clients(count=10)
    return seed_commercial_contracts()


def test_every_status_of_both_kinds_and_idempotent(demo_base, django_capture_on_commit_callbacks):
    assert demo_base, "the commercial contracts demo must exist first"
    contracts = seed_employment_contracts()
    statuses = {kind: {c.status for c in contracts if c.kind == kind} for kind in ("cdd", "cdi")}
    every = set(EmploymentContract.Status.values)
    assert statuses == {"cdd": every, "cdi": every}
    assert EmploymentContractRenewal.objects.exists()  # the renewed CDD
    # every CDD covers exactly one prestation of its own consultant (PR-15)
    for contract in (c for c in contracts if c.kind == "cdd"):
        linked = list(contract.commercial_contracts.all())
        assert len(linked) == 1 and linked[0].consultant_id == contract.consultant_id
    count = EmploymentContract.objects.count()
    again = seed_employment_contracts()
    assert EmploymentContract.objects.count() == count
    assert {c.pk for c in again} == {c.pk for c in contracts}


def test_nothing_without_demo_consultants(db):
    assert seed_employment_contracts() == []
