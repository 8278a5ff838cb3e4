"""The payslip PDF: one-page bulletin de paie clarifié from templates/pdf/payslip.html
(budget 0.2 s per document, DESIGN.md §5).

Built in memory from an unsaved payslip whose lines come from a real engine result (the
reference case "cadre, 20 employees, gross 6 361.12 €, January 2026"), so the benchmark
needs no database rows; the median of 50 renders is reported.
"""

import copy
from datetime import date
from decimal import Decimal
from unittest import mock

from apps.consultants.models import Consultant
from apps.employment_contracts.models import EmploymentContract
from apps.payroll.engine import compute_payslip
from apps.payroll.engine.types import PayslipInput
from apps.payslips import documents
from apps.payslips.models import Payslip, PayslipLine

from .run import Benchmark

RESULT = compute_payslip(
    PayslipInput(
        period=date(2026, 1, 1),
        gross=Decimal("6361.12"),
        status="cadre",
        headcount=20,
        pas_rate=Decimal("7.50"),
    )
)
CONSULTANT = Consultant(
    first_name="Claire",
    last_name="Durand",
    nir="285057511500139",
    address_line1="12 rue de la République",
    postal_code="69002",
    city="Lyon",
    email="claire@example.test",
    management_fee_rate=Decimal("7.00"),  # not the default, which reads the company profile
)
CONTRACT = EmploymentContract(
    reference="CT-2026-000001",
    kind="cdi",
    start_date=date(2026, 1, 1),
    classification=3,
    status_cadre="cadre",
    working_time_mode="days",
    days_per_year=218,
    management_fee_rate=Decimal("7.00"),
)
PAYSLIP = Payslip(
    number="BP-2026-000123",
    sequence_year=2026,
    sequence_number=123,
    period=date(2026, 1, 1),
    consultant=CONSULTANT,
    employment_contract=CONTRACT,
    base_salary=Decimal("5000.00"),
    business_bonus=Decimal("782.84"),
    paid_leave_allowance=Decimal("578.28"),
    financial_reserve=Decimal("500.00"),
    gross=RESULT.gross,
    employee_contributions=RESULT.employee_contributions,
    employer_contributions=RESULT.employer_contributions,
    net_before_income_tax=RESULT.net_before_income_tax,
    net_taxable=RESULT.net_taxable,
    net_social=RESULT.net_social,
    income_tax_rate=RESULT.income_tax.rate,
    income_tax_kind=str(RESULT.income_tax.kind),
    income_tax=RESULT.income_tax.amount,
    net_paid=RESULT.net_paid,
    employer_cost=RESULT.employer_cost,
    reductions=RESULT.rgdu.reduction,
    ytd_gross=RESULT.gross,
    ytd_net_taxable=RESULT.net_taxable,
    ytd_employer_cost=RESULT.employer_cost,
    rates_file=RESULT.rates_file,
    employer_snapshot={
        "legal_name": "Portage Conseil Demo SAS",
        "address_line1": "12 quai Saint-Antoine",
        "postal_code": "69002",
        "city": "Lyon",
        "siret": "73282932000074",
        "naf_code": "7830Z",
        "urssaf_number": "697000001234567890",
    },
    employee_snapshot={"job_title": "Consultante en architecture logicielle"},
)
LINES = [
    PayslipLine(
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
    for position, line in enumerate(RESULT.lines, start=1)
]


class _Lines(list):
    def all(self):
        return self


def _render(payslip=PAYSLIP):
    """The unsaved payslip reads its lines from memory instead of the database. Patched per
    call, so other benchmarks of the same run see the real model."""
    with mock.patch.object(Payslip, "lines", property(lambda self: _Lines(LINES)), create=True):
        return documents.payslip_pdf_bytes(payslip)


# The same payslip paid on 5 January 2027: the rénové model (apps/payslips/layout.py).
PAYSLIP_RENOVE = copy.copy(PAYSLIP)
PAYSLIP_RENOVE.inputs_snapshot = {"payment_date": "2027-01-05"}


def _render_renove():
    return _render(PAYSLIP_RENOVE)


_render()  # warm-up: fonts, templates, stylesheets
_render_renove()

BENCHMARKS = [
    Benchmark(
        "pdf.payslip_one_page (WeasyPrint, bulletin clarifié)",
        _render,
        repeat=50,
        unit="s",
        budget=0.2,
    ),
    Benchmark(
        "pdf.payslip_one_page_renove (WeasyPrint, modèle rénové, pay from 2027)",
        _render_renove,
        repeat=50,
        unit="s",
        budget=0.2,
    ),
]
