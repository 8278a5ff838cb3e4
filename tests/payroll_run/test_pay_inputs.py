"""What a run takes from each consultant besides the money: the personalised income tax
rate and, for a contract starting or ending during the month, a pro-rated minimum."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from apps.payroll.models import PayrollRunItemStatus
from apps.payroll.selectors import contract_working_days
from apps.payroll.services import payroll_run_execute, payroll_run_start

from .conftest import PERIOD, fund, make_contract

pytestmark = pytest.mark.django_db


def run_january(staff_user):
    return payroll_run_execute(run=payroll_run_start(period=PERIOD, started_by=staff_user))


def items_by_contract(run):
    return {item.employment_contract_id: item for item in run.items.select_related("payslip")}


def test_personalised_income_tax_rate_replaces_the_neutral_grid(company, staff_user):
    personal = make_contract()
    personal.consultant.income_tax_rate = Decimal("7.50")
    personal.consultant.income_tax_rate_received_on = date(2026, 1, 5)
    personal.consultant.save()
    neutral = make_contract()
    for contract in (personal, neutral):
        fund(contract.consultant, "9400.00")

    items = items_by_contract(run_january(staff_user))

    payslip = items[personal.pk].payslip
    assert payslip.income_tax_kind == "personalised"
    assert payslip.income_tax_rate == Decimal("7.50")
    expected = (payslip.net_taxable * Decimal("0.075")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert payslip.income_tax == expected
    assert payslip.net_paid == payslip.net_before_income_tax - expected
    assert items[neutral.pk].payslip.income_tax_kind == "neutral"


def test_a_personalised_rate_needs_the_date_it_was_received(company):
    from django.core.exceptions import ValidationError

    consultant = make_contract().consultant
    consultant.income_tax_rate = Decimal("7.50")
    with pytest.raises(ValidationError) as error:
        consultant.full_clean()
    assert "income_tax_rate_received_on" in error.value.message_dict


def test_working_days_of_a_contract_starting_during_the_month(company):
    # January 2026: 22 weekdays, 1 January (a Thursday) is a public holiday -> 21.
    # From Monday 19 January: 19-23 and 26-30 -> 10.
    assert contract_working_days(make_contract(start_date=date(2026, 1, 19)), PERIOD) == (10, 21)
    assert contract_working_days(make_contract(), PERIOD) == (21, 21)
    ending = make_contract(status="ended", ended_on=date(2026, 1, 9), start_date=date(2025, 3, 1))
    assert contract_working_days(ending, PERIOD) == (6, 21)  # 2, 5-9 January


def test_the_minimum_is_pro_rated_for_a_contract_starting_during_the_month(company, staff_user):
    """Level 1: 2 255.61 € a full month (69 % of 3 269 €); from 19 January, 10 working days
    of 21: 2 255.61 x 10 / 21 = 1 074.10 €. 2 000 € available pays less than the full-month
    minimum but more than the pro-rated one."""
    starting = make_contract(classification=1, start_date=date(2026, 1, 19))
    whole_month = make_contract(classification=1)
    for contract in (starting, whole_month):
        fund(contract.consultant, "2000.00")
    poor_starter = make_contract(classification=1, start_date=date(2026, 1, 19))
    fund(poor_starter.consultant, "900.00")

    items = items_by_contract(run_january(staff_user))

    paid = items[starting.pk]
    assert paid.status == PayrollRunItemStatus.DONE
    remuneration = (
        paid.payslip.base_salary + paid.payslip.business_bonus + paid.payslip.paid_leave_allowance
    )
    assert Decimal("1074.10") <= remuneration < Decimal("2255.61")
    refused = items[whole_month.pk]
    assert refused.status == PayrollRunItemStatus.FAILED
    assert "2255.61" in refused.message and "pro-rated" not in refused.message
    short = items[poor_starter.pk]
    assert short.status == PayrollRunItemStatus.FAILED
    assert "1074.10" in short.message and "pro-rated" in short.message


def test_the_available_amount_is_exact_to_the_cent(company):
    """SQLite adds decimals in floating point: 0.10 + 0.20 - 0.28 came back as
    0.0199999999998681 and a refusal message printed it. The batch reader rounds the sum
    to the cent, as the ledger's own balance does."""
    from apps.ledger.models import LedgerEntryKind
    from apps.ledger.services import ledger_post
    from apps.payroll.selectors import payroll_available_by_consultant

    contract = make_contract()
    consultant = contract.consultant
    fund(consultant, "0.10")
    fund(consultant, "0.20")
    ledger_post(
        consultant=consultant,
        kind=LedgerEntryKind.ADJUSTMENT,
        amount=Decimal("-0.28"),
        entry_date=date(2026, 1, 20),
        label="Adjustment",
        source=contract,
    )
    available = payroll_available_by_consultant(
        consultant_ids=[consultant.pk], at=date(2026, 1, 31)
    )
    assert str(available[consultant.pk]) == "0.02"
