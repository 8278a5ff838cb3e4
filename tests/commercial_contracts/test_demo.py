"""The demo seed: contracts in every status, one amended, one near the 36-month limit;
running it twice creates nothing more."""

import pytest

from apps.accounts.roles import Role
from apps.clients.demo import seed_clients
from apps.commercial_contracts.demo import DEMO_STAFF_EMAIL, seed_commercial_contracts
from apps.commercial_contracts.models import (
    CommercialContract,
    CommercialContractVersion,
    ContractStatus,
)
from apps.commercial_contracts.services import commercial_contract_check
from apps.consultants.demo import DEMO_PORTAL_EMAIL, seed_consultants

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_base(make_user):
    make_user(Role.STAFF, email=DEMO_STAFF_EMAIL)
    seed_consultants(count=20)
    seed_clients(count=10)


def test_seed_covers_every_status_and_is_idempotent(demo_base):
    contracts = seed_commercial_contracts()
    statuses = {contract.status for contract in contracts}
    assert statuses == set(ContractStatus.values)
    assert CommercialContractVersion.objects.filter(number__gt=0).exists()  # one amended
    near_limit = [
        contract
        for contract in contracts
        if contract.status == ContractStatus.ACTIVE
        and any(
            f.code == "mission_near_limit" for f in commercial_contract_check(contract=contract)
        )
    ]
    assert near_limit
    # The portal demo consultant has contracts to show.
    assert CommercialContract.objects.filter(consultant__email=DEMO_PORTAL_EMAIL).exists()
    count = CommercialContract.objects.count()
    versions = CommercialContractVersion.objects.count()
    again = seed_commercial_contracts()
    assert [c.pk for c in again] == [c.pk for c in contracts]
    assert CommercialContract.objects.count() == count
    assert CommercialContractVersion.objects.count() == versions


def test_seed_without_base_data_does_nothing():
    assert seed_commercial_contracts() == []
    assert not CommercialContract.objects.exists()
