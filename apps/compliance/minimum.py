"""PR-17 / PR-29: can the daily rate fund the branch agreement's minimum salary? (pure Python)

Uses the payroll engine (apps.payroll.engine), never re-implements it:

1. monthly turnover  = daily rate x days per month (HT)
   montant disponible = turnover - management fee (CCN 21.2; expenses ignored at quote time)
2. compose_portage_salary(montant disponible) -> the largest base salary S the month can fund,
   with A (apport d'affaires), CP (paid leave), the employer cost and the provision (CDI
   reserve or CDD end-of-contract indemnity) at its loaded cost.
3. check_minimum_salary(level, S, A, CP, pro-rated) -> minimum of the level (avenant n° 12:
   69/77/83/94 % of the reference PSS), compared with S + A + CP (CCN 21.3).

Pro-rating (the minimum is a full-time monthly guarantee, expressed per day or per hour):
- forfait jours: minimum x (days per month x 12) / days per year (218 by default);
- hours: minimum x (days per month x 7 h) / 151.67 h.
Working more than a full month's share never raises the minimum above the monthly one.

The payroll rates are those of `on_date`'s year; for a year without a rates file the closest
earlier year (then the closest later one) is used and named in the figures: the minimum
itself (reference PSS 2017, not indexed) does not move with the year. Assumptions: full-time
PSS ceilings, the headcount given (default rules "minimum_check_headcount"), no expenses.

When the month falls short, the finding also gives the minimum viable daily rate (PR-29):
the smallest whole-euro rate that reaches the minimum with the same days and fee.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_CEILING, Decimal

from django.utils.translation import gettext as _

from apps.payroll.engine import (
    ContractType,
    InversionError,
    PayslipInput,
    RatesError,
    Status,
    check_minimum_salary,
    compose_portage_salary,
    load_rates,
)
from apps.payroll.engine.rates import Rates

from .rules import rule_value
from .types import Finding, Severity

ZERO = Decimal("0")
CENT = Decimal("0.01")
RATES_SEARCH_YEARS = 5


def _rates_for(on_date: date) -> Rates | None:
    candidates = [on_date]
    candidates += [date(on_date.year - k, 12, 1) for k in range(1, RATES_SEARCH_YEARS + 1)]
    candidates += [date(on_date.year + k, 1, 1) for k in range(1, RATES_SEARCH_YEARS + 1)]
    for period in candidates:
        try:
            return load_rates(period)
        except RatesError:
            continue
    return None


def _payroll_status(status_cadre: str) -> Status:
    return Status.CADRE if status_cadre == "cadre" else Status.NON_CADRE


def _prorata(
    *, days: Decimal, working_time_mode: str, days_per_year: int | None, on_date: date
) -> tuple[Decimal, Decimal]:
    """(units worked, units of a full month) for check_minimum_salary's pro-rating."""
    if working_time_mode == "hours":
        full = rule_value("monthly_hours_full_time", on_date)
        worked = days * rule_value("hours_per_day", on_date)
    else:
        full = Decimal(days_per_year or rule_value("forfait_days_per_year", on_date))
        worked = days * 12
    return min(worked, full), full


def _fee_factor(management_fee_rate: Decimal) -> Decimal:
    return (Decimal(100) - management_fee_rate) / Decimal(100)


def _available(daily_rate: Decimal, days: Decimal, management_fee_rate: Decimal) -> Decimal:
    turnover = (daily_rate * days).quantize(CENT)
    fee = (turnover * management_fee_rate / Decimal(100)).quantize(CENT)
    return turnover - fee


def _evaluate(available: Decimal, template: PayslipInput, level: int, worked, full):
    """(S, A, CP, MinimumCheck) for a montant disponible."""
    try:
        composition = compose_portage_salary(available, template)
        base, bonus, leave = (
            composition.base_salary,
            composition.business_bonus,
            composition.paid_leave,
        )
    except InversionError:  # not even a zero salary fits (employer's fixed health share)
        base = bonus = leave = ZERO
    check = check_minimum_salary(
        period=template.period,
        level=level,
        base_salary=base,
        business_bonus=bonus,
        paid_leave=leave,
        days_worked=worked,
        days_in_period=full,
    )
    return base, check


def _minimum_daily_rate(
    *, daily_rate, days, management_fee_rate, template, level, worked, full, check
) -> Decimal:
    """Smallest whole-euro daily rate whose month reaches the minimum (monotone search)."""
    factor = _fee_factor(management_fee_rate)
    if factor <= 0:
        return ZERO

    def reaches(rate: Decimal) -> bool:
        available = _available(rate, days, management_fee_rate)
        return _evaluate(available, template, level, worked, full)[1].ok

    low = daily_rate.to_integral_value(rounding=ROUND_CEILING)
    if reaches(low):
        return low
    # low fails; start from the proportional estimate, then bisect to the euro.
    ratio = (check.minimum / check.remuneration) if check.remuneration else Decimal("1.8")
    high = max((daily_rate * ratio * Decimal("1.02")).to_integral_value(ROUND_CEILING), low + 1)
    for _attempt in range(30):
        if reaches(high):
            break
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        if reaches(middle):
            high = middle
        else:
            low = middle
    return high


def minimum_salary_check(
    *,
    daily_rate: Decimal | None,
    days_per_month: Decimal | None,
    management_fee_rate: Decimal,
    classification: int | None,
    status_cadre: str,
    on_date: date,
    working_time_mode: str,
    days_per_year: int | None = None,
    contract_kind: str = "cdi",
    headcount: int | None = None,
) -> Finding | None:
    """A WARN finding (PR-17) when TJM x days - fee cannot fund the level's minimum, else None.

    None also when there is nothing to check: no daily rate, no days, no classification.
    `management_fee_rate` is a percent (Decimal("7.00")). A WARN "minimum_salary_unchecked"
    is returned when no payroll rates file exists at all.
    """
    if not daily_rate or not days_per_month or classification is None:
        return None
    daily_rate = Decimal(daily_rate)
    days = Decimal(days_per_month)
    fee_rate = Decimal(management_fee_rate)
    rates = _rates_for(on_date)
    if rates is None:
        return Finding(
            rule_id="PR-17",
            severity=Severity.WARN,
            code="minimum_salary_unchecked",
            message=_(
                "The minimum salary of the branch agreement could not be checked: no payroll "
                "rates are available for %(date)s (PR-17)."
            )
            % {"date": on_date.isoformat()},
            figures={"on_date": on_date.isoformat()},
        )
    template = PayslipInput(
        period=rates.period,
        gross=ZERO,
        status=_payroll_status(status_cadre),
        headcount=headcount
        if headcount is not None
        else rule_value("minimum_check_headcount", on_date),
        contract_type=ContractType.CDD if contract_kind == "cdd" else ContractType.CDI,
    )
    worked, full = _prorata(
        days=days, working_time_mode=working_time_mode, days_per_year=days_per_year, on_date=on_date
    )
    available = _available(daily_rate, days, fee_rate)
    base, check = _evaluate(available, template, classification, worked, full)
    if check.ok:
        return None
    minimum_rate = _minimum_daily_rate(
        daily_rate=daily_rate,
        days=days,
        management_fee_rate=fee_rate,
        template=template,
        level=classification,
        worked=worked,
        full=full,
        check=check,
    )
    figures = {
        "daily_rate": str(daily_rate),
        "days_per_month": str(days),
        "management_fee_rate": str(fee_rate),
        "available_amount": str(available),
        "base_salary": str(base),
        "remuneration": str(check.remuneration),
        "level": str(classification),
        "percent": str(check.percent),
        "reference_pss": str(check.reference_pss),
        "monthly_minimum": str(check.monthly_minimum),
        "minimum": str(check.minimum),
        "shortfall": str(check.shortfall),
        "minimum_daily_rate": str(minimum_rate),
        "working_time_mode": working_time_mode,
        "rates_file": rates.file,
    }
    message = (
        _(
            "With a daily rate of %(daily_rate)s € for %(days_per_month)s days a month and a "
            "management fee of %(management_fee_rate)s %%, the salary that can be paid "
            "(%(remuneration)s €: base salary, business bonus and paid leave) is below the "
            "minimum of the branch agreement for level %(level)s (%(minimum)s €, "
            "%(percent)s %% of %(reference_pss)s € pro-rated): %(shortfall)s € short. Minimum "
            "viable daily rate: %(minimum_daily_rate)s € (CCN IDCC 3219 art. 21.3, PR-17)."
        )
        % figures
    )
    return Finding(
        rule_id="PR-17",
        severity=Severity.WARN,
        code="minimum_salary_not_reachable",
        message=message,
        figures=figures,
    )
