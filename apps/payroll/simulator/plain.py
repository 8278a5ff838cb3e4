"""simulate_plain: a plain payslip from a gross, an employer cost or a net (the CLI)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.money import quantize_eur

from ..engine import (
    ContractType,
    PayslipInput,
    PayslipResult,
    Status,
    compute_payslip,
    gross_from_employer_cost,
    gross_from_net,
)
from .inputs import (
    MAX_MONTHLY_AMOUNT,
    ZERO,
    check_common,
    engine_call,
    parse_period,
    payslip_template,
    to_number,
)


def simulate_plain(
    *,
    gross=None,
    employer_cost=None,
    net=None,
    status: str,
    headcount: int,
    period: str | date,
    contract_type: str = ContractType.CDI,
    atmp_rate=None,
    mobility_rate=None,
    mutuelle=None,
    pas_rate=None,
) -> PayslipResult:
    """A plain payslip from exactly one of gross, employer cost or net before income tax."""
    given = {
        name: value
        for name, value in (("gross", gross), ("employer_cost", employer_cost), ("net", net))
        if value is not None
    }
    if len(given) != 1:
        raise ValidationError(
            _("Give exactly one of gross, employer cost or net."), code="one_amount"
        )
    ((field, raw),) = given.items()
    amount = to_number(raw, field)
    errors: dict = {}
    if not ZERO < amount <= MAX_MONTHLY_AMOUNT:
        errors[field] = ValidationError(
            _("The amount must be above 0 and at most %(max)s € per month."),
            code="out_of_range",
            params={"max": MAX_MONTHLY_AMOUNT},
        )
    try:
        status = Status(status)
    except ValueError:
        errors["status"] = ValidationError(_("The status must be cadre or non-cadre."))
    try:
        contract_type = ContractType(contract_type)
    except ValueError:
        errors["contract_type"] = ValidationError(_("The contract must be CDI or CDD."))
    options = {
        name: (None if value is None else to_number(value, name))
        for name, value in (
            ("atmp_rate", atmp_rate),
            ("mobility_rate", mobility_rate),
            ("mutuelle", mutuelle),
            ("pas_rate", pas_rate),
        )
    }
    check_common(errors, headcount=headcount, **options)
    if errors:
        raise ValidationError(errors)
    template = payslip_template(
        parse_period(period),
        status=status,
        headcount=headcount,
        contract_type=contract_type,
        **options,
    )
    amount = quantize_eur(amount)
    if field == "gross":
        return engine_call(compute_payslip, _with_gross(template, amount))
    if field == "employer_cost":
        return engine_call(gross_from_employer_cost, amount, template)
    return engine_call(gross_from_net, amount, template)


def _with_gross(template: PayslipInput, gross: Decimal) -> PayslipInput:
    return replace(template, gross=gross)


def _money(value: Decimal) -> str:
    return f"{quantize_eur(value):.2f}"


def _rate(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def payslip_as_dict(result: PayslipResult, *, lang: str = "en") -> dict:
    """The stable JSON shape of `simulate_payslip --json` (decimal strings, 2 places)."""
    totals = (
        "gross",
        "employee_contributions",
        "employer_contributions",
        "net_before_income_tax",
        "net_taxable",
        "net_social",
        "employer_cost",
    )
    data: dict = {name: _money(getattr(result, name)) for name in totals}
    data["income_tax"] = _money(result.income_tax.amount)
    data["net_paid"] = _money(result.net_paid)
    data["lines"] = [
        {
            "code": line.code,
            "label": line.label_fr if lang == "fr" else line.label_en,
            "group": str(line.group),
            "base": _money(line.base),
            "employee_rate": _rate(line.employee_rate),
            "employee_amount": _money(line.employee_amount),
            "employer_rate": _rate(line.employer_rate),
            "employer_amount": _money(line.employer_amount),
        }
        for line in result.lines
    ]
    return data
