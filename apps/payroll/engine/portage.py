"""Portage salary composition (portage-rules.md §3, CCN IDCC 3219 art. 21-22, 28).

From the montant disponible (collected turnover - management fee - expenses), find the
largest base salary S, to the cent, such that the employer cost of the month plus the
provision for what is paid later, at its loaded cost, fits in the amount:

    A  = 5 % x S                 prime d'apport d'affaires (L1254-9, CCN 21.2)
    CP = 10 % x (S + A)          congés payés, paid monthly (L3141-24, CCN 28.3)
    G  = S + A + CP              gross of the payslip; E = employer cost of G
    CDI: R = 10 % x S            réserve financière (CCN 21.3, 21.4)
    CDD: R = P + 10 % x P        indemnité de fin de contrat P = 10 % x (S + A) (L1243-8)
                                 and the paid leave due on it when it is paid
    loaded R = R x E / G         so that paying R later is funded at the same cost ratio
    constraint: E + loaded R <= available
Every amount is rounded half-up to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from .inversion import largest_at_most, secant_guess
from .money import ZERO, cents, from_cents, percent_of, round_cent, to_decimal
from .payslip import compute_payslip
from .rates import PortageParams, Rates, load_rates
from .types import ContractType, PayslipInput, PayslipResult

# E + loaded provision rises with the base salary except for dips from rounding the
# loaded provision (R x E / G, rounded): E grows by at least the gross step while R x E / G
# can lose at most a cent of rounding. Measured worst dip: 0.01 EUR over dense windows of
# base salaries from 1 000 to 20 000 EUR, CDI and CDD, cadre and non-cadre, both roundings
# (tests/payroll/test_engine_portage.py checks it); 0.03 leaves a margin and keeps the
# final climb to a couple of evaluations.
PORTAGE_MAX_DIP = Decimal("0.03")


class ProvisionKind(StrEnum):
    RESERVE = "reserve"  # CDI: réserve financière, credited to the compte d'activité
    PRECARITY = "precarity"  # CDD: indemnité de fin de contrat (+ its paid leave)


@dataclass(frozen=True, slots=True, kw_only=True)
class PortageComposition:
    available_amount: Decimal
    base_salary: Decimal  # S
    business_bonus: Decimal  # A, prime d'apport d'affaires
    paid_leave: Decimal  # CP, indemnité de congés payés of the month
    gross: Decimal  # G = S + A + CP
    provision_kind: ProvisionKind
    provision: Decimal  # R (CDI) or P + CP on P (CDD), gross, paid later
    provision_paid_leave: Decimal  # CDD: the CP part of `provision`; CDI: 0
    provision_loaded: Decimal  # provision x E / G
    employer_cost: Decimal  # E
    employer_contributions: Decimal
    remainder: Decimal  # available - E - loaded provision: stays on the compte d'activité
    payslip: PayslipResult


@dataclass(frozen=True, slots=True, kw_only=True)
class MinimumCheck:
    """PR-17: salaire de base + apport + CP against the level's conventional minimum."""

    level: int
    percent: Decimal  # of the reference PSS
    reference_pss: Decimal
    monthly_minimum: Decimal  # full month
    minimum: Decimal  # pro-rated to the days worked
    remuneration: Decimal  # S + A + CP
    shortfall: Decimal  # >= 0
    ok: bool
    source: str


def compose_portage_salary(available_amount: Decimal, template: PayslipInput) -> PortageComposition:
    """Largest base salary whose month fits in `available_amount` (template.gross is ignored).

    template.contract_type selects the provision: CDI reserve or CDD end-of-contract
    indemnity. Raises InversionError when even a zero salary does not fit.
    """
    available = round_cent(to_decimal(available_amount, "available_amount"))
    rates = load_rates(template.period)
    compositions: dict[int, PortageComposition] = {}

    def evaluate(base_cents: int) -> Decimal:
        if base_cents not in compositions:
            compositions[base_cents] = compose_at_base_salary(
                from_cents(base_cents), available, template, rates
            )
        found = compositions[base_cents]
        return found.employer_cost + found.provision_loaded

    # S is about 60 % of the available amount; loaded-reserve rounding makes small dips.
    guess = secant_guess(evaluate, available, max(cents(available) * 6 // 10, 100))
    best = largest_at_most(evaluate, available, guess=guess, max_dip=PORTAGE_MAX_DIP)
    evaluate(best)
    return compositions[best]


def compose_at_base_salary(
    base_salary: Decimal, available: Decimal, template: PayslipInput, rates: Rates
) -> PortageComposition:
    """The month of a given base salary S: A, CP, the payslip, the provision and what
    remains of `available` (the solver's evaluation; also the top-up to the minimum)."""
    params = rates.portage
    business_bonus, paid_leave = salary_components(base_salary, params)
    gross = base_salary + business_bonus + paid_leave
    payslip = compute_payslip(replace(template, gross=gross), rates)
    if template.contract_type is ContractType.CDI:
        kind = ProvisionKind.RESERVE
        provision = percent_of(base_salary, params.reserve_rate)
        provision_paid_leave = ZERO
    else:
        # L1243-8: 10 % of the gross pay excluding the paid-leave indemnity; the paid
        # leave due on the indemnity itself is provisioned with it.
        kind = ProvisionKind.PRECARITY
        precarity = percent_of(base_salary + business_bonus, params.precarity_rate)
        provision_paid_leave = percent_of(precarity, params.paid_leave_rate)
        provision = precarity + provision_paid_leave
    loaded = round_cent(provision * payslip.employer_cost / gross) if gross else ZERO
    return PortageComposition(
        available_amount=available,
        base_salary=base_salary,
        business_bonus=business_bonus,
        paid_leave=paid_leave,
        gross=gross,
        provision_kind=kind,
        provision=provision,
        provision_paid_leave=provision_paid_leave,
        provision_loaded=loaded,
        employer_cost=payslip.employer_cost,
        employer_contributions=payslip.employer_contributions,
        remainder=available - payslip.employer_cost - loaded,
        payslip=payslip,
    )


def salary_components(base_salary: Decimal, params: PortageParams) -> tuple[Decimal, Decimal]:
    """(A, CP) for a base salary S: A = 5 % x S, CP = 10 % x (S + A), each rounded."""
    business_bonus = percent_of(base_salary, params.business_bonus_rate)
    paid_leave = percent_of(base_salary + business_bonus, params.paid_leave_rate)
    return business_bonus, paid_leave


def check_minimum_salary(
    *,
    period: date,
    level: int,
    base_salary: Decimal,
    business_bonus: Decimal,
    paid_leave: Decimal,
    days_worked: Decimal | None = None,
    days_in_period: Decimal | None = None,
) -> MinimumCheck:
    """Conventional minimum of `level` (1-4), pro-rated to days_worked / days_in_period.

    CCN 3219 art. 21.3 (avenant n° 12): S + A + CP >= percent x reference PSS (PSS 2017).
    Without days, the full-month minimum applies.
    """
    params = load_rates(period).portage_minimum
    if level not in params.levels:
        raise ValueError(f"unknown level {level}: expected one of {sorted(params.levels)}")
    percent = params.levels[level]
    monthly_minimum = percent_of(params.reference_pss, percent)
    minimum = monthly_minimum
    if days_worked is not None or days_in_period is not None:
        if days_worked is None or not days_in_period:
            raise ValueError("days_worked and a non-zero days_in_period go together")
        worked = to_decimal(days_worked, "days_worked")
        minimum = round_cent(monthly_minimum * worked / to_decimal(days_in_period, "days"))
    remuneration = base_salary + business_bonus + paid_leave
    shortfall = max(minimum - remuneration, ZERO)
    return MinimumCheck(
        level=level,
        percent=percent,
        reference_pss=params.reference_pss,
        monthly_minimum=monthly_minimum,
        minimum=minimum,
        remuneration=remuneration,
        shortfall=shortfall,
        ok=not shortfall,
        source=params.source,
    )
