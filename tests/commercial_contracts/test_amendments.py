"""Amendments: dated versions of the terms; the terms in force at a date come from the
latest amendment effective on that date; bad amendments are refused with nothing saved."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.accounts.roles import Role
from apps.commercial_contracts import services
from apps.commercial_contracts.models import CommercialContractVersion, PricingKind
from apps.commercial_contracts.selectors import commercial_contract_terms_at
from apps.compliance.periods import period_last_day
from apps.core.errors import DomainError

from .factories import END, START, contract_create, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user):
    return make_user(Role.STAFF)


@pytest.fixture
def active(staff):
    contract = contract_create()
    contract = services.commercial_contract_send_for_signature(contract=contract, by=staff)
    contract = services.commercial_contract_sign(
        contract=contract, by=staff, signed_pdf=pdf_bytes(), acknowledge_warnings=True
    )
    return services.commercial_contract_activate(contract=contract, by=staff)


def amend(contract, staff, **kwargs):
    kwargs.setdefault("reason", "Prolongation")
    return services.commercial_contract_amend(contract=contract, by=staff, **kwargs)


def test_effective_terms_at_dates(active, staff):
    first = amend(
        active,
        staff,
        effective_from=date(2026, 6, 1),
        daily_rate=Decimal("650.00"),
        end_date=date(2026, 12, 31),
    )
    second = amend(active, staff, effective_from=date(2026, 10, 1), estimated_days=Decimal("180"))
    assert (first.number, second.number) == (1, 2)
    terms = {
        day: commercial_contract_terms_at(contract=active, on_date=day)
        for day in (
            date(2026, 3, 1),
            START,
            date(2026, 5, 31),
            date(2026, 6, 1),
            date(2026, 9, 30),
            date(2026, 10, 1),
        )
    }
    assert terms[date(2026, 3, 1)] is None  # before the start: no terms in force
    assert terms[START].number == 0
    assert terms[START].daily_rate == Decimal("600.00")
    assert terms[date(2026, 5, 31)].number == 0
    assert terms[date(2026, 6, 1)].number == 1
    assert terms[date(2026, 6, 1)].daily_rate == Decimal("650.00")
    assert terms[date(2026, 9, 30)].number == 1
    # Amendment 2 keeps the rate and the end date of amendment 1, changes the days only.
    assert terms[date(2026, 10, 1)].number == 2
    assert terms[date(2026, 10, 1)].daily_rate == Decimal("650.00")
    assert terms[date(2026, 10, 1)].estimated_days == Decimal("180")
    assert terms[date(2026, 10, 1)].end_date == date(2026, 12, 31)
    # The original terms are untouched and the contract's planned end follows the latest.
    original = active.versions.get(number=0)
    assert (original.end_date, original.daily_rate) == (END, Decimal("600.00"))
    active.refresh_from_db()
    assert active.end_date == date(2026, 12, 31)


@pytest.mark.parametrize(
    "effective_from", [START, date(2026, 3, 1)], ids=["same-day-as-original", "before-it"]
)
def test_overlapping_amendment_is_refused(active, staff, effective_from):
    with pytest.raises(ValidationError) as error:
        amend(active, staff, effective_from=effective_from, daily_rate=Decimal("700"))
    assert "Overlapping amendment" in error.value.message_dict["effective_from"][0]
    assert active.versions.count() == 1


def test_amendment_must_take_effect_after_the_previous_one(active, staff):
    amend(active, staff, effective_from=date(2026, 6, 1), daily_rate=Decimal("650"))
    with pytest.raises(ValidationError) as error:
        amend(active, staff, effective_from=date(2026, 5, 1), daily_rate=Decimal("700"))
    assert "2026-06-01" in error.value.message_dict["effective_from"][0]
    with pytest.raises(ValidationError):
        amend(active, staff, effective_from=date(2026, 6, 1), daily_rate=Decimal("700"))
    assert active.versions.count() == 2


def test_amendment_outside_the_contract_period_is_refused(active, staff):
    with pytest.raises(ValidationError) as error:
        amend(active, staff, effective_from=END + timedelta(days=1), daily_rate=Decimal("700"))
    assert "within the contract period" in error.value.message_dict["effective_from"][0]


@pytest.mark.parametrize("rate", [Decimal("0"), Decimal("-1")])
def test_amendment_rate_must_be_positive(active, staff, rate):
    with pytest.raises(ValidationError) as error:
        amend(active, staff, effective_from=date(2026, 6, 1), daily_rate=rate)
    assert "daily_rate" in error.value.message_dict
    assert active.versions.count() == 1


def test_amendment_needs_a_reason_and_a_change(active, staff):
    with pytest.raises(ValidationError) as error:
        amend(active, staff, effective_from=date(2026, 6, 1), reason="")
    assert {"reason", "__all__"} <= set(error.value.message_dict)


def test_fixed_price_field_refused_on_a_daily_rate_contract(active, staff):
    with pytest.raises(ValidationError) as error:
        amend(active, staff, effective_from=date(2026, 6, 1), fixed_price=Decimal("1000"))
    assert "fixed_price" in error.value.message_dict


def test_amendment_on_an_ended_contract_is_refused(active, staff):
    ended = services.commercial_contract_end(contract=active, by=staff)
    with pytest.raises(DomainError) as error:
        amend(ended, staff, effective_from=date(2026, 6, 1), daily_rate=Decimal("700"))
    assert error.value.code == "contract_not_amendable"
    assert "no longer" in str(error.value)


def test_amendment_on_a_draft_is_refused(staff):
    with pytest.raises(DomainError) as error:
        amend(contract_create(), staff, effective_from=date(2026, 6, 1), daily_rate=Decimal("7"))
    assert error.value.code == "contract_not_amendable"


def test_amendment_beyond_36_months_is_refused_with_the_figures(active, staff):
    limit = period_last_day(START, 36)
    version = amend(active, staff, effective_from=date(2026, 8, 1), end_date=limit)
    assert version.end_date == limit
    with pytest.raises(DomainError) as error:
        amend(active, staff, effective_from=date(2026, 9, 1), end_date=limit + timedelta(days=1))
    assert error.value.code == "compliance_blocked"
    assert "PR-05" in str(error.value)
    assert limit.isoformat() in str(error.value)
    active.refresh_from_db()
    assert active.end_date == limit  # the refused amendment left nothing behind
    assert active.versions.count() == 2


def test_database_refuses_two_versions_on_the_same_date(active):
    with pytest.raises(IntegrityError), transaction.atomic():
        CommercialContractVersion.objects.create(
            contract=active,
            number=5,
            effective_from=START,
            start_date=START,
            end_date=END,
            pricing_kind=PricingKind.DAILY_RATE,
            daily_rate=Decimal("1"),
        )


def test_database_refuses_a_zero_price(active):
    with pytest.raises(IntegrityError), transaction.atomic():
        CommercialContractVersion.objects.create(
            contract=active,
            number=5,
            effective_from=date(2026, 7, 1),
            start_date=START,
            end_date=END,
            pricing_kind=PricingKind.DAILY_RATE,
            daily_rate=Decimal("0"),
        )
