"""compute_payslip: gross -> contribution lines -> net amounts -> PAS (payroll-2026.md §2-5)."""

from __future__ import annotations

from decimal import Decimal

from .contributions import contribution_lines
from .labels import LINE_LABELS
from .money import HUNDRED, ZERO, round_cent
from .pas import compute_income_tax
from .rates import Rates, load_rates
from .rgdu import compute_rgdu
from .types import Group, PayslipInput, PayslipLine, PayslipResult, Rounding


def compute_payslip(inputs: PayslipInput, rates: Rates | None = None) -> PayslipResult:
    """The payslip of one month; totals per inputs.rounding (default: sums of rounded lines).

    `rates` defaults to the parameters in force for inputs.period.
    """
    if rates is None:
        rates = load_rates(inputs.period)
    ratio = inputs.part_time_ratio
    # R242-2 CSS: the ceiling (and the RGDU's SMIC) is pro-rated for part time.
    pss = round_cent(rates.pss.monthly * ratio)
    smic = round_cent((rates.rgdu.smic_monthly_reference or rates.smic.monthly) * ratio)

    lines, exact = contribution_lines(inputs, rates, pss)
    rgdu = compute_rgdu(
        gross=inputs.gross,
        smic=smic,
        headcount=inputs.headcount,
        params=rates.rgdu,
        ytd_gross=inputs.ytd_gross,
        ytd_smic=inputs.ytd_smic,
        ytd_rgdu=inputs.ytd_rgdu,
    )
    if rgdu.reduction:
        label_fr, label_en = LINE_LABELS["rgdu"]
        lines.append(
            PayslipLine(
                code="rgdu",
                label_fr=label_fr,
                label_en=label_en,
                group=Group.EXONERATIONS,
                base=inputs.gross,
                employee_rate=None,
                employer_rate=-rgdu.coefficient * HUNDRED,
                employee_amount=ZERO,
                employer_amount=-rgdu.reduction,
                source=rates.rgdu.source,
            )
        )
        exact["rgdu"] = (ZERO, inputs.ytd_rgdu - rgdu.coefficient * rgdu.ytd_gross)

    if inputs.rounding is Rounding.PER_LINE:
        amounts = {line.code: (line.employee_amount, line.employer_amount) for line in lines}
    else:
        amounts = exact

    def employee(code: str) -> Decimal:
        return amounts.get(code, (ZERO, ZERO))[0]

    def employer(code: str) -> Decimal:
        return amounts.get(code, (ZERO, ZERO))[1]

    # Totals from the per-line values, then rounded once (a no-op for PER_LINE).
    gross = inputs.gross
    employee_total = sum((ee for ee, _ in amounts.values()), ZERO)
    employer_total = sum((er for _, er in amounts.values()), ZERO)
    prevoyance_employer = employer("prevoyance_cadre")
    rules = rates.net_rules
    # CGI 83: the non-deductible CSG/CRDS and the employer's health premium are taxable.
    net_taxable = (
        gross
        - employee_total
        + employee("csg_non_deductible")
        + employee("crds")
        + employer("mutuelle")
        + (prevoyance_employer if rules.taxable_includes_employer_prevoyance else ZERO)
    )
    net_social = (
        gross
        - employee_total
        + (prevoyance_employer if rules.social_includes_employer_prevoyance else ZERO)
    )
    employee_contributions = round_cent(employee_total)
    employer_contributions = round_cent(employer_total)
    net_before_income_tax = round_cent(gross - employee_total)
    net_taxable = round_cent(net_taxable)
    net_social = round_cent(net_social)
    employer_cost = round_cent(gross + employer_total)
    income_tax = compute_income_tax(
        net_taxable,
        grid=rates.pas_grid,
        pas_rate=inputs.pas_rate,
        short_contract=inputs.pas_short_contract,
    )
    return PayslipResult(
        inputs=inputs,
        rates_file=rates.file,
        pss=pss,
        smic=smic,
        lines=tuple(lines),
        gross=gross,
        employee_contributions=employee_contributions,
        employer_contributions=employer_contributions,
        net_before_income_tax=net_before_income_tax,
        net_taxable=net_taxable,
        net_social=net_social,
        employer_cost=employer_cost,
        income_tax=income_tax,
        net_paid=net_before_income_tax - income_tax.amount,
        rgdu=rgdu,
    )
