"""Gross <- employer cost / net inversions, exact to the cent (property tests)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.payroll.engine import (
    InversionError,
    PayslipInput,
    Rounding,
    Status,
    compute_payslip,
    gross_from_employer_cost,
    gross_from_net,
)

D = Decimal
CENT = D("0.01")
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

templates = st.builds(
    PayslipInput,
    period=st.sampled_from([date(2026, 1, 1), date(2026, 6, 1)]),
    gross=st.just(D(0)),
    status=st.sampled_from(list(Status)),
    headcount=st.sampled_from([5, 20, 60, 300]),
    part_time_ratio=st.sampled_from([D(1), D(1), D("0.8")]),
    rounding=st.sampled_from(list(Rounding)),
)


def amounts(low: int, high: int):
    """Targets in EUR with cents, low and high in EUR."""
    return st.integers(low * 100, high * 100).map(lambda cents: D(cents) / 100)


def _at(template: PayslipInput, gross: Decimal):
    return compute_payslip(replace(template, gross=gross))


@PROPERTY
@given(template=templates, target=amounts(1_000, 60_000))
def test_gross_from_employer_cost_is_the_largest_gross_within_target(template, target):
    result = gross_from_employer_cost(target, template)
    assert result.employer_cost <= target
    assert _at(template, result.gross + CENT).employer_cost > target


@PROPERTY
@given(template=templates, target=amounts(800, 40_000))
def test_gross_from_net_is_the_largest_gross_within_target(template, target):
    result = gross_from_net(target, template)
    assert result.net_before_income_tax <= target
    assert _at(template, result.gross + CENT).net_before_income_tax > target


@settings(max_examples=15, deadline=None)
@given(template=templates, target=amounts(800, 20_000))
def test_gross_from_net_no_larger_gross_nearby_reaches_the_target(template, target):
    """Per-line rounding makes the net dip by a few cents: check 40 cents above."""
    result = gross_from_net(target, template)
    for step in range(1, 41):
        assert _at(template, result.gross + step * CENT).net_before_income_tax > target


@PROPERTY
@given(template=templates, gross=amounts(0, 50_000), step=st.integers(1, 500))
def test_employer_cost_never_decreases_with_gross(template, gross, step):
    low = _at(template, gross).employer_cost
    assert _at(template, gross + CENT).employer_cost >= low
    assert _at(template, gross + step * CENT).employer_cost >= low


def test_net_just_above_the_ceiling_drops_and_the_solver_takes_the_upper_branch():
    """The CET starts above 1 PSS: net(4 005.01) < net(4 005.00) by ~5.60 EUR."""
    template = PayslipInput(period=date(2026, 1, 1), gross=D(0), status=Status.CADRE, headcount=20)
    at_ceiling = _at(template, D("4005.00")).net_before_income_tax
    assert _at(template, D("4005.01")).net_before_income_tax < at_ceiling - 5
    result = gross_from_net(at_ceiling, template)
    assert result.gross > D("4005.01")
    assert result.net_before_income_tax <= at_ceiling
    assert _at(template, result.gross + CENT).net_before_income_tax > at_ceiling


def test_unreachable_target_raises():
    template = PayslipInput(period=date(2026, 1, 1), gross=D(0), status=Status.CADRE, headcount=20)
    with pytest.raises(InversionError, match="below"):
        gross_from_employer_cost(D("10.00"), template)  # the employer's health share alone is 20
