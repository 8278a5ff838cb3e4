"""simulate_portage: the whole portage chain of one month (see the package docstring)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.money import quantize_eur

from ..engine import (
    ContractType,
    MinimumCheck,
    PayslipResult,
    ProvisionKind,
    Status,
    check_minimum_salary,
    compose_portage_salary,
)
from .inputs import (
    DAYS_MAX,
    DAYS_MIN,
    MAX_DAILY_RATE,
    MAX_MONTHLY_AMOUNT,
    ZERO,
    check_common,
    check_range,
    engine_call,
    management_fee_bounds_for_simulation,
    payslip_template,
    simulation_period,
    to_number,
    working_days,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class PortageSimulation:
    """One simulated month of portage, every figure a Decimal in EUR (rates in percent)."""

    period: date
    status: Status
    contract_type: ContractType
    headcount: int
    daily_rate: Decimal
    days_per_month: Decimal
    management_fee_rate: Decimal
    turnover: Decimal  # TJM x days
    management_fee: Decimal
    expenses: Decimal  # reimbursed as expenses: no salary, no contributions
    available: Decimal  # turnover - fee - expenses
    base_salary: Decimal
    business_bonus: Decimal
    paid_leave: Decimal
    gross: Decimal
    provision_kind: ProvisionKind
    provision: Decimal  # reserve (CDI) or end-of-contract indemnity (CDD), gross
    provision_loaded: Decimal  # what setting it aside costs, employer contributions included
    employee_contributions: Decimal
    employer_contributions: Decimal
    employer_cost: Decimal
    remainder: Decimal  # stays on the compte d'activité (rounding, at most a few cents)
    net_before_income_tax: Decimal
    net_taxable: Decimal
    net_social: Decimal
    income_tax_rate: Decimal
    income_tax_kind: str
    income_tax: Decimal
    net_paid: Decimal
    consultant_receives: Decimal  # net paid + expenses reimbursed
    net_paid_ratio: Decimal  # net paid / turnover, percent (2 places)
    minimum: MinimumCheck | None
    warnings: tuple[str, ...]
    payslip: PayslipResult


def simulate_portage(
    *,
    daily_rate,
    days_per_month,
    management_fee_rate,
    expenses=ZERO,
    status: str,
    headcount: int,
    period: str | date | None = None,
    contract_type: str = ContractType.CDI,
    pas_rate=None,
    classification_level: int | None = None,
    atmp_rate=None,
    mobility_rate=None,
    mutuelle=None,
    fee_bounds: tuple[Decimal, Decimal] | None = None,
) -> PortageSimulation:
    """The month of a consultant billing `days_per_month` days at `daily_rate` (excl. VAT).

    The whole available amount is paid out (compose_portage_salary finds the largest base
    salary whose employer cost plus the loaded provision fits). With a classification
    level, the conventional minimum (PR-17) is checked, pro-rated to the days over the
    month's working days, and a warning explains a shortfall. `fee_bounds` (min, max)
    overrides the company profile's bounds (benchmarks, scripts without a database).
    """
    errors: dict = {}
    period_date, period_notice = simulation_period(period)
    values = {
        name: (None if value is None else to_number(value, name))
        for name, value in (
            ("daily_rate", daily_rate),
            ("days_per_month", days_per_month),
            ("management_fee_rate", management_fee_rate),
            ("expenses", expenses if expenses is not None else ZERO),
            ("pas_rate", pas_rate),
            ("atmp_rate", atmp_rate),
            ("mobility_rate", mobility_rate),
            ("mutuelle", mutuelle),
        )
    }
    rate, days, fee_rate = (
        values["daily_rate"],
        values["days_per_month"],
        values["management_fee_rate"],
    )
    if not ZERO < rate <= MAX_DAILY_RATE:
        errors["daily_rate"] = ValidationError(
            _("The daily rate must be above 0 and at most %(max)s €."),
            code="out_of_range",
            params={"max": MAX_DAILY_RATE},
        )
    check_range(
        errors, "days_per_month", days, DAYS_MIN, DAYS_MAX,
        _("The days worked must be between %(min)s and %(max)s per month."),
    )  # fmt: skip
    low, high = fee_bounds or management_fee_bounds_for_simulation()
    check_range(
        errors, "management_fee_rate", fee_rate, low, high,
        _("The management fee must be between %(min)s %% and %(max)s %%."),
    )  # fmt: skip
    expense_amount = values["expenses"]
    if expense_amount < 0 or expense_amount > MAX_MONTHLY_AMOUNT:
        errors["expenses"] = ValidationError(
            _("The expenses must be between 0 and %(max)s €."),
            code="out_of_range",
            params={"max": MAX_MONTHLY_AMOUNT},
        )
    if classification_level is not None and classification_level not in (1, 2, 3, 4):
        errors["classification_level"] = ValidationError(
            _("The classification level must be 1, 2, 3 or 4."), code="invalid"
        )
    check_common(
        errors,
        headcount=headcount,
        pas_rate=values["pas_rate"],
        atmp_rate=values["atmp_rate"],
        mobility_rate=values["mobility_rate"],
        mutuelle=values["mutuelle"],
    )
    if errors:
        raise ValidationError(errors)

    turnover = quantize_eur(rate * days)
    fee = quantize_eur(turnover * fee_rate / 100)
    expense_amount = quantize_eur(expense_amount)
    available = turnover - fee - expense_amount
    if available <= 0:
        raise ValidationError(
            {"expenses": _("The expenses exceed the turnover left after the management fee.")},
            code="expenses_too_high",
        )
    template = payslip_template(
        period_date,
        status=Status(status),
        headcount=headcount,
        contract_type=ContractType(contract_type),
        pas_rate=values["pas_rate"],
        atmp_rate=values["atmp_rate"],
        mobility_rate=values["mobility_rate"],
        mutuelle=values["mutuelle"],
    )
    composition = engine_call(compose_portage_salary, available, template)
    payslip = composition.payslip

    warnings: list[str] = [period_notice] if period_notice else []
    minimum = None
    if classification_level is not None:
        in_month = Decimal(working_days(period_date))
        minimum = check_minimum_salary(
            period=period_date,
            level=classification_level,
            base_salary=composition.base_salary,
            business_bonus=composition.business_bonus,
            paid_leave=composition.paid_leave,
            days_worked=min(days, in_month),
            days_in_period=in_month,
        )
        if not minimum.ok:
            warnings.append(
                str(
                    _(
                        "Below the conventional minimum of level %(level)s: base salary, "
                        "business bonus and paid leave come to %(pay)s €, the minimum for "
                        "%(days)s days is %(minimum)s € (%(shortfall)s € short). Raise the "
                        "daily rate or the days, or the payslip will be refused."
                    )
                    % {
                        "level": classification_level,
                        "pay": minimum.remuneration,
                        "days": days.normalize(),
                        "minimum": minimum.minimum,
                        "shortfall": minimum.shortfall,
                    }
                )
            )
    return PortageSimulation(
        period=period_date,
        status=template.status,
        contract_type=template.contract_type,
        headcount=headcount,
        daily_rate=rate,
        days_per_month=days,
        management_fee_rate=fee_rate,
        turnover=turnover,
        management_fee=fee,
        expenses=expense_amount,
        available=available,
        base_salary=composition.base_salary,
        business_bonus=composition.business_bonus,
        paid_leave=composition.paid_leave,
        gross=composition.gross,
        provision_kind=composition.provision_kind,
        provision=composition.provision,
        provision_loaded=composition.provision_loaded,
        employee_contributions=payslip.employee_contributions,
        employer_contributions=payslip.employer_contributions,
        employer_cost=payslip.employer_cost,
        remainder=composition.remainder,
        net_before_income_tax=payslip.net_before_income_tax,
        net_taxable=payslip.net_taxable,
        net_social=payslip.net_social,
        income_tax_rate=payslip.income_tax.rate,
        income_tax_kind=str(payslip.income_tax.kind),
        income_tax=payslip.income_tax.amount,
        net_paid=payslip.net_paid,
        consultant_receives=payslip.net_paid + expense_amount,
        net_paid_ratio=quantize_eur(payslip.net_paid * 100 / turnover),
        minimum=minimum,
        warnings=tuple(warnings),
        payslip=payslip,
    )
