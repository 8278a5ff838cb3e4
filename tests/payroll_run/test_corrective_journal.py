"""Corrective payslips and the journal of a run."""

import csv
import io
from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from apps.ledger.models import LedgerEntryKind
from apps.ledger.selectors import ledger_available
from apps.payroll.engine import PayslipInput, compute_payslip
from apps.payroll.selectors import payroll_run_journal
from apps.payroll.services import (
    PayrollError,
    journal_csv_stream,
    payroll_run_execute,
    payroll_run_start,
    payslip_correct,
)
from apps.payroll.services import corrective as corrective_module
from apps.payslips.models import Payslip, PayslipKind, PayslipLine

from .conftest import PERIOD, entries_of, fund, make_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(company, staff_user):
    contracts = [make_contract(), make_contract(status_cadre="non_cadre")]
    fund(contracts[0].consultant, "9400.00")
    fund(contracts[1].consultant, "5200.00")
    run = payroll_run_execute(run=payroll_run_start(period=PERIOD, started_by=staff_user))
    return run


def test_corrective_payslip_holds_the_difference_and_posts_it(paid, staff_user):
    original = Payslip.objects.order_by("pk").first()
    before = ledger_available(original.consultant)
    corrective = payslip_correct(
        payslip=original, gross_delta="100.00", reason="Forgotten bonus", created_by=staff_user
    )
    assert corrective.kind == PayslipKind.CORRECTIVE and corrective.corrects == original
    assert corrective.number == "BP-2026-000003"  # its own number in the same series
    assert corrective.period == original.period
    assert corrective.gross == Decimal("100.00")
    # Independent expectation: the engine at G + 100 minus the engine at G, same inputs.
    template = {"period": PERIOD, "status": "cadre", "headcount": 20}
    at_g = compute_payslip(PayslipInput(gross=original.gross, **template))
    at_g100 = compute_payslip(PayslipInput(gross=original.gross + 100, **template))
    assert corrective.employer_cost == at_g100.employer_cost - at_g.employer_cost
    assert corrective.net_paid == at_g100.net_paid - at_g.net_paid
    assert corrective.employer_cost > 100  # gross plus employer contributions
    # Ledger: debited by the extra employer cost, sourced on the corrective payslip.
    entry = entries_of(corrective).get()
    assert entry.kind == LedgerEntryKind.SALARY_EMPLOYER_COST
    assert entry.amount == -corrective.employer_cost
    assert ledger_available(original.consultant) == before - corrective.employer_cost
    # The lines are differences too, and they add up to the corrective's totals.
    lines = PayslipLine.objects.filter(payslip=corrective)
    assert sum(line.employer_amount for line in lines) == corrective.employer_contributions


def test_corrective_is_paid_on_the_day_of_the_correction(paid, staff_user):
    """A rappel for January 2026 made on 5 January 2027 is paid on that day: its PDF prints
    that date and follows the payslip model in force then (the rénové one)."""
    from apps.payslips.documents import payment_date
    from apps.payslips.layout import RENOVE, payslip_model_for

    original = Payslip.objects.order_by("pk").first()
    with mock.patch.object(corrective_module.timezone, "localdate", return_value=date(2027, 1, 5)):
        corrective = payslip_correct(
            payslip=original, gross_delta="50.00", reason="Rappel", created_by=staff_user
        )
    assert corrective.inputs_snapshot["payment_date"] == "2027-01-05"
    assert payment_date(corrective) == date(2027, 1, 5)
    assert payment_date(original) == date(2026, 1, 31)
    assert payslip_model_for(payment_date(corrective)) is RENOVE


def test_negative_correction_credits_the_account(paid, staff_user):
    original = Payslip.objects.order_by("pk").first()
    before = ledger_available(original.consultant)
    corrective = payslip_correct(
        payslip=original, gross_delta="-50.00", reason="Overpaid", created_by=staff_user
    )
    assert corrective.employer_cost < 0
    entry = entries_of(corrective).get()
    assert entry.kind == LedgerEntryKind.ADJUSTMENT and entry.amount > 0
    assert ledger_available(original.consultant) == before - corrective.employer_cost


def test_correction_needs_a_reason_and_an_amount(paid, staff_user):
    original = Payslip.objects.first()
    with pytest.raises(ValidationError) as error:
        payslip_correct(payslip=original, gross_delta="0", reason="", created_by=staff_user)
    assert set(error.value.message_dict) == {"gross_delta", "reason"}
    corrective = payslip_correct(
        payslip=original, gross_delta="10.00", reason="x", created_by=staff_user
    )
    with pytest.raises(PayrollError):
        payslip_correct(payslip=corrective, gross_delta="1.00", reason="x", created_by=staff_user)
    assert Payslip.objects.count() == 3


def test_journal_totals_equal_the_sums_of_the_lines(paid):
    journal = payroll_run_journal(paid)
    payslips = list(Payslip.objects.filter(run_item__run=paid))
    assert journal.payslip_count == len(payslips) == 2
    lines = list(PayslipLine.objects.filter(payslip__in=payslips))
    by_code: dict[str, list[Decimal]] = {}
    for line in lines:
        total = by_code.setdefault(line.code, [Decimal(0), Decimal(0), Decimal(0)])
        total[0] += line.base
        total[1] += line.employee_amount
        total[2] += line.employer_amount
    assert {j.code: [j.base, j.employee_amount, j.employer_amount] for j in journal.lines} == (
        by_code
    )
    assert journal.gross == sum(p.gross for p in payslips)
    assert journal.net_paid == sum(p.net_paid for p in payslips)
    assert journal.employer_cost == sum(p.employer_cost for p in payslips)
    # Employer cost = gross + employer contributions, on the journal too.
    assert journal.employer_cost == journal.gross + journal.employer_contributions
    # APEC: only the cadre pays it.
    apec = next(j for j in journal.lines if j.code == "apec")
    assert apec.count == 1


def test_journal_csv(paid):
    text = "".join(journal_csv_stream(payroll_run_journal(paid)))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "Code"
    maladie = next(row for row in rows if row[0] == "maladie")
    total = sum(
        line.employer_amount
        for line in PayslipLine.objects.filter(code="maladie", payslip__run_item__run=paid)
    )
    assert maladie[6] == f"{total:.2f}".replace(".", ",")
    assert rows[-1][0] == "TOTAL"
