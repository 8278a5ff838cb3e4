"""Bad input on create/update: a clear message naming the field, nothing saved."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.core.errors import InvalidTransition
from apps.core.models import DocumentSequence
from apps.employment_contracts import services
from apps.employment_contracts.models import EmploymentContract

from .factories import cdd_create, cdd_fields, cdi_create, cdi_fields, signed

pytestmark = pytest.mark.django_db


def _errors(**overrides) -> dict:
    builder = cdi_fields if overrides.pop("_cdi", False) else cdd_fields
    fields = builder(**overrides)
    before = EmploymentContract.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.employment_contract_create(**fields)
    assert EmploymentContract.objects.count() == before
    return excinfo.value.message_dict


def test_create_gives_reference_and_defaults_from_consultant():
    contract = cdd_create()
    assert contract.reference == f"CT-{date.today().year}-000001"
    assert contract.status == EmploymentContract.Status.DRAFT
    assert contract.management_fee_rate == contract.consultant.management_fee_rate
    assert contract.status_cadre == contract.consultant.status_cadre
    # CDD: indemnity recorded, no CDI reserve; cadre: forfait jours of 218 days
    assert contract.end_of_contract_indemnity_rate == Decimal("10.00")
    assert contract.reserve_rate is None
    assert contract.working_time_mode == "days" and contract.days_per_year == 218
    assert contract.hours_per_week is None


def test_cdi_defaults_and_no_end_date():
    contract = cdi_create()
    assert contract.reserve_rate == Decimal("10.00")
    assert contract.end_of_contract_indemnity_rate is None
    assert contract.term_type == ""
    assert contract.planned_end_date is None


def test_cdi_with_end_date_refused():
    errors = _errors(_cdi=True, initial_end_date=date(2026, 12, 31))
    assert "A CDI has no end date." in errors["initial_end_date"]


def test_dates_out_of_order_refused_and_sequence_number_given_back():
    errors = _errors(initial_end_date=date(2025, 12, 31))
    assert "is before the start date" in errors["initial_end_date"][0]
    assert not DocumentSequence.objects.filter(series="CT", last_number__gt=0).exists()


def test_cdd_needs_reason():
    errors = _errors(cdd_reason="  ")
    assert "cdd_reason" in errors


def test_cdd_precise_term_needs_end_date():
    errors = _errors(initial_end_date=None)
    assert "A CDD with a precise term needs an end date." in errors["initial_end_date"]


def test_cdd_imprecise_term_needs_minimum_duration_and_event():
    errors = _errors(term_type="imprecise", initial_end_date=None, minimum_duration_months=None)
    assert "minimum_duration_months" in errors
    assert "imprecise_term_event" in errors


def test_cdd_imprecise_term_valid():
    contract = cdd_create(
        term_type="imprecise",
        initial_end_date=None,
        minimum_duration_months=6,
        imprecise_term_event="La livraison du plan de modernisation validé par le client.",
    )
    assert contract.planned_end_date is None


def test_trial_period_over_maximum_refused():
    # CDI cadre from 1 January 2026: 4 months at most, i.e. until 30 April 2026.
    assert cdi_create(trial_period_end=date(2026, 4, 30)).trial_period_end == date(2026, 4, 30)
    errors = _errors(_cdi=True, trial_period_end=date(2026, 5, 1))
    assert "2026-04-30" in errors["trial_period_end"][0]


def test_forfait_days_over_cap_refused():
    errors = _errors(days_per_year=230)
    assert "229" in errors["days_per_year"][0]


def test_hours_per_week_over_legal_maximum_refused():
    errors = _errors(working_time_mode="hours", hours_per_week=Decimal("49"))
    assert "48" in errors["hours_per_week"][0]


def test_management_fee_over_100_refused():
    errors = _errors(management_fee_rate=Decimal("120"))
    assert "management_fee_rate" in errors


def test_commercial_contract_of_another_consultant_refused():
    other = cdd_fields()["commercial_contracts"]
    errors = _errors(commercial_contracts=other)
    assert "is not a contract of" in errors["commercial_contracts"][0]


def test_unknown_field_refused():
    errors = _errors(status="active")
    assert "status" in errors


def test_update_draft_and_refuse_once_sent(staff_user):
    contract = cdd_create()
    contract = services.employment_contract_update(
        contract=contract, updated_by=staff_user, initial_end_date=date(2026, 9, 30)
    )
    assert contract.initial_end_date == date(2026, 9, 30)
    contract = signed(contract, staff_user)
    with pytest.raises(InvalidTransition) as excinfo:
        services.employment_contract_update(
            contract=contract, updated_by=staff_user, initial_end_date=date(2026, 10, 31)
        )
    assert excinfo.value.code == "not_editable"
    contract.refresh_from_db()
    assert contract.initial_end_date == date(2026, 9, 30)


def test_update_switching_kind_resets_kind_specific_values(staff_user):
    contract = cdd_create()
    contract = services.employment_contract_update(
        contract=contract,
        updated_by=staff_user,
        kind="cdi",
        initial_end_date=None,
        cdd_reason="",
    )
    assert contract.kind == "cdi"
    assert contract.end_of_contract_indemnity_rate is None
    assert contract.reserve_rate == Decimal("10.00")
