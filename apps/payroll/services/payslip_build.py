"""From an employment contract and an available amount to what a payslip needs: the engine
template, the portage composition, the minimum check, the snapshots and the ledger
postings. No writes here: run.py and corrective.py write, in one transaction each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.ledger.models import LedgerEntryKind
from apps.ledger.services import LedgerPosting
from apps.payroll.engine import (
    ContractType,
    InversionError,
    MinimumCheck,
    PayslipInput,
    PortageComposition,
    ProvisionKind,
    Status,
    check_minimum_salary,
    compose_at_base_salary,
    compose_portage_salary,
    load_rates,
    salary_components,
)
from apps.payroll.engine.money import round_cent
from apps.payroll.selectors import contract_working_days
from apps.payslips.services import PayslipComposition

ZERO = Decimal("0.00")


class PayrollError(DomainError):
    code = "payroll_error"
    status_code = 400


class BelowMinimum(PayrollError):
    code = "payroll_below_minimum"


def top_up_to_minimum() -> bool:
    """PAYROLL_TOP_UP_TO_MINIMUM (default False): when the available amount does not reach
    the conventional minimum (PR-17), pay the minimum anyway (the compte d'activité goes
    negative and staff see it) instead of refusing the payslip."""
    return bool(getattr(settings, "PAYROLL_TOP_UP_TO_MINIMUM", False))


def engine_template(*, contract, period: date, headcount: int, ytd: dict | None) -> PayslipInput:
    """Every engine input but the gross, from the contract and the company."""
    ytd = ytd or {}
    cdd = contract.kind == contract.Kind.CDD
    return PayslipInput(
        period=period,
        gross=ZERO,
        status=Status.CADRE if contract.status_cadre == "cadre" else Status.NON_CADRE,
        headcount=headcount,
        contract_type=ContractType.CDD if cdd else ContractType.CDI,
        # The rate received from the tax administration, else the neutral grid.
        pas_rate=contract.consultant.income_tax_rate,
        ytd_gross=ytd.get("ytd_gross", ZERO),
        ytd_smic=ytd.get("ytd_smic", ZERO),
        ytd_rgdu=ytd.get("ytd_rgdu", ZERO),
    )


def below_minimum_message(check: MinimumCheck, available: Decimal) -> str:
    message = _(
        "Below the conventional minimum of level %(level)s: base salary + business bonus +"
        " paid leave = %(remuneration)s € for a minimum of %(minimum)s € (%(percent)s %% of"
        " %(pss)s €); shortfall %(shortfall)s €, available %(available)s €."
    ) % {
        "level": check.level,
        "remuneration": check.remuneration,
        "minimum": check.minimum,
        "percent": check.percent,
        "pss": check.reference_pss,
        "shortfall": check.shortfall,
        "available": available,
    }
    if check.minimum != check.monthly_minimum:
        message += " " + _(
            "The monthly minimum of %(monthly)s € is pro-rated to the working days of the"
            " contract in the month."
        ) % {"monthly": check.monthly_minimum}
    return message


def compose_at_minimum(
    *, minimum: Decimal, available: Decimal, template: PayslipInput
) -> PortageComposition:
    """The smallest base salary S whose S + A + CP reaches `minimum` (top-up mode)."""
    rates = load_rates(template.period)
    base = round_cent(minimum / Decimal("1.155")) - Decimal("0.05")
    while True:
        bonus, paid_leave = salary_components(base, rates.portage)
        if base + bonus + paid_leave >= minimum:
            break
        base += Decimal("0.01")
    return compose_at_base_salary(base, available, template, rates)


@dataclass(frozen=True)
class BuiltPayslip:
    composition: PortageComposition
    minimum: MinimumCheck
    topped_up: bool


def payslip_build(
    *, contract, period: date, available: Decimal, headcount: int, ytd: dict | None
) -> BuiltPayslip:
    """Compose the month from the whole available amount; raise BelowMinimum with the
    figures unless the company tops up."""
    template = engine_template(contract=contract, period=period, headcount=headcount, ytd=ytd)
    try:
        composition = compose_portage_salary(available, template)
    except InversionError:
        # Not even a zero salary fits (the employer's health share): nothing to compose.
        composition = None
    worked, working = contract_working_days(contract, period)
    partial = {"days_worked": Decimal(worked), "days_in_period": Decimal(working)}
    check = check_minimum_salary(
        period=period,
        level=int(contract.classification),
        base_salary=composition.base_salary if composition else ZERO,
        business_bonus=composition.business_bonus if composition else ZERO,
        paid_leave=composition.paid_leave if composition else ZERO,
        **(partial if 0 < worked < working else {}),
    )
    if check.ok:
        return BuiltPayslip(composition=composition, minimum=check, topped_up=False)
    if not top_up_to_minimum():
        raise BelowMinimum(below_minimum_message(check, available))
    topped = compose_at_minimum(minimum=check.minimum, available=available, template=template)
    return BuiltPayslip(composition=topped, minimum=check, topped_up=True)


def payslip_composition(composition: PortageComposition) -> PayslipComposition:
    cdd = composition.provision_kind == ProvisionKind.PRECARITY
    return PayslipComposition(
        available_amount=composition.available_amount,
        base_salary=composition.base_salary,
        business_bonus=composition.business_bonus,
        paid_leave_allowance=composition.paid_leave,
        end_of_contract_indemnity=composition.provision if cdd else ZERO,
        financial_reserve=ZERO if cdd else composition.provision,
    )


def provision_split(composition: PortageComposition) -> tuple[Decimal, Decimal]:
    """(reserve part, paid-leave part) of the loaded provision, summing to it exactly.

    CDI: all of it is the financial reserve (PR-18). CDD: the end-of-contract indemnity is
    the reserve of a CDD (PR-18, L1243-8); the paid leave due on it is a paid-leave
    provision (PR-20), at the same loaded ratio E / G.
    """
    loaded = composition.provision_loaded
    if composition.provision_kind != ProvisionKind.PRECARITY or not composition.gross:
        return loaded, ZERO
    paid_leave = round_cent(
        composition.provision_paid_leave * composition.employer_cost / composition.gross
    )
    return loaded - paid_leave, paid_leave


def ledger_postings(
    *, consultant, payslip, employer_cost: Decimal, reserve: Decimal, paid_leave: Decimal, day
) -> list[LedgerPosting]:
    """Debits of one payslip on the compte d'activité (a zero amount is not posted)."""
    number = payslip.number
    wanted = [
        (
            LedgerEntryKind.SALARY_EMPLOYER_COST,
            -employer_cost,
            _("Salary %(number)s (employer cost)") % {"number": number},
        ),
        (
            LedgerEntryKind.FINANCIAL_RESERVE,
            -reserve,
            _("Financial reserve provision, payslip %(number)s") % {"number": number},
        ),
        (
            LedgerEntryKind.PAID_LEAVE_PROVISION,
            -paid_leave,
            _("Paid leave provision, payslip %(number)s") % {"number": number},
        ),
    ]
    return [
        LedgerPosting(
            consultant=consultant,
            kind=kind,
            amount=amount,
            entry_date=day,
            label=label,
            source=payslip,
        )
        for kind, amount, label in wanted
        if amount
    ]


# --- snapshots -----------------------------------------------------------------------------
def employer_snapshot(company) -> dict:
    if company is None:
        return {}
    return {
        "legal_name": company.legal_name,
        "legal_form": company.legal_form,
        "siret": company.siret,
        "naf_code": company.naf_code,
        "address_line1": company.address_line1,
        "address_line2": company.address_line2,
        "postal_code": company.postal_code,
        "city": company.city,
        "collective_agreement": "IDCC 3219",
        "collective_agreement_name": "Convention collective de branche des salariés en portage"
        " salarial",
        "headcount": company.headcount,
    }


def employee_snapshot(contract) -> dict:
    consultant = contract.consultant
    # The bulletin de paie shows the full NIR (R3243-1: numéro de sécurité sociale).
    return {
        "consultant_id": consultant.pk,
        "civility": consultant.civility,
        "first_name": consultant.first_name,
        "last_name": consultant.last_name,
        "nir": consultant.nir,
        "address_line1": consultant.address_line1,
        "address_line2": consultant.address_line2,
        "postal_code": consultant.postal_code,
        "city": consultant.city,
        "country": consultant.country,
        "job_title": _("Consultant (salarié porté)"),
        "contract_reference": contract.reference,
        "contract_kind": contract.kind,
        "classification": int(contract.classification),
        "status_cadre": contract.status_cadre,
        "hire_date": contract.start_date.isoformat(),
    }


def inputs_snapshot(*, template: PayslipInput, built: BuiltPayslip) -> dict:
    composition = built.composition
    return {
        "period": template.period.isoformat(),
        "status": str(template.status),
        "headcount": template.headcount,
        "contract_type": str(template.contract_type),
        "pas_rate": None if template.pas_rate is None else str(template.pas_rate),
        "ytd_gross": str(template.ytd_gross),
        "ytd_smic": str(template.ytd_smic),
        "ytd_rgdu": str(template.ytd_rgdu),
        "rounding": str(template.rounding),
        "available_amount": str(composition.available_amount),
        "provision_kind": str(composition.provision_kind),
        "provision": str(composition.provision),
        "provision_loaded": str(composition.provision_loaded),
        "remainder": str(composition.remainder),
        "minimum": str(built.minimum.minimum),
        "topped_up": built.topped_up,
    }
