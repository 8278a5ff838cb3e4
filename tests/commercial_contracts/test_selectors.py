"""Reads: scoping per user, cumulated duration with a client (PR-05), client share of
turnover (dependence), contracts in force, the "running on" filter."""

from datetime import date
from decimal import Decimal

import pytest

from apps.accounts.roles import Role
from apps.commercial_contracts import selectors
from apps.commercial_contracts.models import CommercialContract, ContractStatus, PricingKind
from tests.clients.factories import ClientCompanyFactory
from tests.consultants.factories import ConsultantFactory

from .factories import CommercialContractFactory

pytestmark = pytest.mark.django_db


def test_union_days_counts_overlaps_once_and_keeps_gaps_out():
    periods = [
        (date(2026, 1, 1), date(2026, 1, 31)),  # 31 days
        (date(2026, 1, 20), date(2026, 2, 10)),  # overlaps: +10 days (1-10 Feb)
        (date(2026, 3, 1), date(2026, 3, 1)),  # after a gap: +1 day
    ]
    assert selectors.union_days(periods) == (42, date(2026, 1, 1))
    assert selectors.union_days([]) == (0, None)


def test_cumulated_days_across_contracts_statuses_and_exclusions():
    consultant, client = ConsultantFactory(), ClientCompanyFactory()
    pair = {"consultant": consultant, "client": client}
    first = CommercialContractFactory(
        **pair, start_date=date(2026, 1, 1), end_date=date(2026, 6, 30), status="active"
    )
    # Terminated early: counts until its termination date only.
    CommercialContractFactory(
        **pair,
        start_date=date(2026, 7, 1),
        end_date=date(2026, 12, 31),
        status=ContractStatus.TERMINATED,
        terminated_on=date(2026, 7, 10),
    )
    # Terminated before it started: never ran, never counts.
    CommercialContractFactory(
        **pair,
        start_date=date(2027, 1, 1),
        end_date=date(2027, 12, 31),
        status=ContractStatus.TERMINATED,
        terminated_on=date(2026, 12, 1),
    )
    # Another client: not counted.
    CommercialContractFactory(consultant=consultant, start_date=date(2026, 1, 1))
    days, first_start = selectors.consultant_client_cumulated_days(**pair)
    assert (days, first_start) == (181 + 10, date(2026, 1, 1))
    # A new period (e.g. a contract being amended) replaces the stored one.
    days, _ = selectors.consultant_client_cumulated_days(
        **pair,
        exclude_contract=first,
        extra_period=(date(2026, 1, 1), date(2026, 1, 31)),
    )
    assert days == 31 + 10


def test_terms_at_uses_the_prefetch_without_queries(django_assert_num_queries):
    CommercialContractFactory()
    contract = selectors.commercial_contracts_list().get()
    with django_assert_num_queries(0):
        assert (
            selectors.commercial_contract_terms_at(
                contract=contract, on_date=date(2026, 4, 1)
            ).number
            == 0
        )


def test_share_of_turnover_over_12_months():
    consultant = ConsultantFactory()
    main, other = ClientCompanyFactory(), ClientCompanyFactory()
    # 2025-01-01..2025-12-31: 300 EUR x 200 days at `main`; fixed 20 000 EUR at `other`.
    CommercialContractFactory(
        consultant=consultant,
        client=main,
        start_date=date(2025, 1, 1),
        end_date=date(2025, 12, 31),
        terms__daily_rate=Decimal("300.00"),
        terms__estimated_days=Decimal("200"),
        status="active",
    )
    CommercialContractFactory(
        consultant=consultant,
        client=other,
        start_date=date(2025, 1, 1),
        end_date=date(2025, 12, 31),
        terms__pricing_kind=PricingKind.FIXED_PRICE,
        terms__daily_rate=None,
        terms__fixed_price=Decimal("20000.00"),
        status="active",
    )
    share = selectors.consultant_client_share_12m(
        consultant=consultant, client=main, on_date=date(2025, 12, 31)
    )
    assert share == Decimal("75.00")  # 60 000 / 80 000
    # Fewer than 6 months of activity: not meaningful yet.
    assert (
        selectors.consultant_client_share_12m(
            consultant=consultant, client=main, on_date=date(2025, 5, 31)
        )
        is None
    )


def test_contracts_for_user_scoping(make_user):
    staff = make_user(Role.STAFF)
    finance = make_user(Role.FINANCE)
    owner_user = make_user(Role.CONSULTANT)
    other_user = make_user(Role.CONSULTANT)
    mine = CommercialContractFactory(consultant=ConsultantFactory(user=owner_user))
    CommercialContractFactory(consultant=ConsultantFactory(user=other_user))
    CommercialContractFactory()
    assert selectors.commercial_contracts_for_user(staff).count() == 3
    assert selectors.commercial_contracts_for_user(finance).count() == 3
    assert list(selectors.commercial_contracts_for_user(owner_user)) == [mine]
    anonymous = type("Anonymous", (), {"is_authenticated": False, "is_active": False})()
    assert not selectors.commercial_contracts_for_user(anonymous).exists()


def test_active_for_consultant_and_running_on():
    consultant = ConsultantFactory()
    signed = CommercialContractFactory(consultant=consultant, status=ContractStatus.SIGNED)
    active = CommercialContractFactory(consultant=consultant, status=ContractStatus.ACTIVE)
    CommercialContractFactory(consultant=consultant, status=ContractStatus.DRAFT)
    ended = CommercialContractFactory(
        consultant=consultant, status=ContractStatus.ENDED, ended_on=date(2026, 4, 30)
    )
    assert set(selectors.commercial_contracts_active_for_consultant(consultant)) == {
        signed,
        active,
    }
    running = CommercialContract.objects.filter(
        selectors.commercial_contracts_active_on(date(2026, 6, 1))
    )
    assert ended not in running
    assert active in running
    assert not CommercialContract.objects.filter(
        selectors.commercial_contracts_active_on(date(2026, 9, 1))
    ).exists()
