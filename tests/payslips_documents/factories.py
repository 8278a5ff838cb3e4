"""Issued payslips built directly through the ORM from a real engine result.

RUN's payslip_create() is the only writer of Payslip rows in the application; these tests
of the document side build the same rows by hand so that they do not depend on the run.
"""

import itertools
from datetime import date
from decimal import Decimal

from apps.payroll.engine import compute_payslip
from apps.payroll.engine.types import PayslipInput
from apps.payslips.models import Payslip, PayslipLine
from tests.employment_contracts.factories import cdi_create

_sequence = itertools.count(1)

# Reference case "cadre, 20 employees, gross 6 361.12 €, January 2026" of
# shared/domain/reference-cases/payslips-2026.json (modele-social 11.1.0, not our code).
REFERENCE_CADRE_6361 = {
    "gross": Decimal("6361.12"),
    "employee_contributions": Decimal("1335.83"),
    "employer_contributions": Decimal("2857.30"),
    "net_before_income_tax": Decimal("5025.29"),
    "net_taxable": Decimal("5288.93"),
    "net_social": Decimal("5025.29"),
    "employer_cost": Decimal("9218.42"),
}
# The composition of that gross (CCN IDCC 3219, portage-rules.md §3), by hand:
# base 5 000.00 + prime d'apport 782.84 = 5 782.84; congés payés 10 % = 578.284 -> 578.28;
# 5 782.84 + 578.28 = 6 361.12 (the gross); réserve 10 % of the base = 500.00.
COMPOSITION = {
    "base_salary": Decimal("5000.00"),
    "business_bonus": Decimal("782.84"),
    "paid_leave_allowance": Decimal("578.28"),
    "financial_reserve": Decimal("500.00"),
}

EMPLOYER_SNAPSHOT = {
    "legal_name": "Portage Exemple SAS",
    "address_line1": "1 rue de Rivoli",
    "address_line2": "",
    "postal_code": "75001",
    "city": "Paris",
    "siret": "73282932000074",
    "naf_code": "7830Z",
    "urssaf_number": "757000001234567890",
    # The keys of apps/payroll/services/payslip_build.py employer_snapshot().
    "collective_agreement": "IDCC 3219",
    "collective_agreement_name": "Convention collective de branche des salariés en portage"
    " salarial",
}


def employee_snapshot(consultant, contract) -> dict:
    return {
        "first_name": consultant.first_name,
        "last_name": consultant.last_name,
        "address_line1": consultant.address_line1,
        "address_line2": consultant.address_line2,
        "postal_code": consultant.postal_code,
        "city": consultant.city,
        "nir": consultant.nir,
        "job_title": "Consultante en architecture logicielle",
        "classification": contract.classification,
        "status_cadre": contract.status_cadre,
        "hire_date": contract.start_date.isoformat(),
        "contract_kind": contract.kind,
        "contract_reference": contract.reference,
    }


def make_payslip(
    *,
    consultant=None,
    contract=None,
    period=date(2026, 1, 1),
    gross=REFERENCE_CADRE_6361["gross"],
    status="cadre",
    pas_rate=Decimal("7.50"),
    composition=None,
    **overrides,
) -> Payslip:
    """An issued regular payslip with its lines, from compute_payslip()."""
    if contract is None:
        contract = cdi_create(**({"consultant": consultant} if consultant else {}))
    consultant = contract.consultant
    # Only 2026 rates exist: another year's payslip (the portal's years) is computed with
    # the same month of 2026.
    engine_period = period if period.year == 2026 else period.replace(year=2026)
    result = compute_payslip(
        PayslipInput(
            period=engine_period, gross=gross, status=status, headcount=20, pas_rate=pas_rate
        )
    )
    composition = COMPOSITION if composition is None else composition
    n = next(_sequence)
    fields = {
        "number": f"BP-{period.year}-{n:06d}",
        "sequence_year": period.year,
        "sequence_number": n,
        "period": period,
        "employment_contract": contract,
        "consultant": consultant,
        "gross": result.gross,
        "employee_contributions": result.employee_contributions,
        "employer_contributions": result.employer_contributions,
        "net_before_income_tax": result.net_before_income_tax,
        "net_taxable": result.net_taxable,
        "net_social": result.net_social,
        "income_tax_rate": result.income_tax.rate,
        "income_tax_kind": str(result.income_tax.kind),
        "income_tax": result.income_tax.amount,
        "net_paid": result.net_paid,
        "employer_cost": result.employer_cost,
        "reductions": result.rgdu.reduction,
        "ytd_gross": result.rgdu.ytd_gross,
        "ytd_net_taxable": result.net_taxable,
        "ytd_employer_cost": result.employer_cost,
        "ytd_smic": result.rgdu.ytd_smic,
        "ytd_rgdu": result.rgdu.ytd_rgdu,
        "rates_file": result.rates_file,
        "employer_snapshot": dict(EMPLOYER_SNAPSHOT),
        "employee_snapshot": employee_snapshot(consultant, contract),
        "inputs_snapshot": {"gross": str(gross), "status": status, "headcount": 20},
        **composition,
    }
    fields.update(overrides)
    payslip = Payslip.objects.create(**fields)
    PayslipLine.objects.bulk_create(
        PayslipLine(
            payslip=payslip,
            position=position,
            code=line.code,
            group=str(line.group),
            label_fr=line.label_fr,
            label_en=line.label_en,
            base=line.base,
            employee_rate=line.employee_rate,
            employee_amount=line.employee_amount,
            employer_rate=line.employer_rate,
            employer_amount=line.employer_amount,
        )
        for position, line in enumerate(result.lines, start=1)
    )
    return payslip
