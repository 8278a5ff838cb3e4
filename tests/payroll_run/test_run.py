"""The monthly run: payslips, ledger debits, failures, idempotency, resume, numbering."""

from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from apps.ledger.models import LedgerEntry, LedgerEntryKind
from apps.ledger.selectors import ledger_available, ledger_reserve_balance
from apps.payroll.engine import PayslipInput, compute_payslip
from apps.payroll.models import PayrollRunItemStatus, PayrollRunStatus
from apps.payroll.services import PayrollError, payroll_run_execute, payroll_run_start
from apps.payslips.models import Payslip, PayslipLine

from .conftest import PERIOD, entries_of, fund, make_contract

pytestmark = pytest.mark.django_db
CENT = Decimal("0.01")
END = date(2026, 1, 31)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@pytest.fixture
def three(company, staff_user):
    """A: 9 400 € available (the worked example of portage-rules.md §3); B: nothing;
    C: 1 000 €, far below the level-1 minimum (69 % x 3 269 = 2 255.61 €)."""
    rich = make_contract()
    fund(rich.consultant, "9400.00")
    empty = make_contract()
    poor = make_contract(classification=1)
    fund(poor.consultant, "1000.00")
    return rich, empty, poor


def run_all(staff_user):
    run = payroll_run_start(period=PERIOD, started_by=staff_user)
    return payroll_run_execute(run=run)


def test_run_creates_the_right_payslips_and_ledger_entries(
    three, staff_user, rendered, django_capture_on_commit_callbacks
):
    rich, empty, poor = three
    with django_capture_on_commit_callbacks(execute=True):
        run = run_all(staff_user)

    assert run.status == PayrollRunStatus.DONE_WITH_ERRORS and run.finished_at
    items = {item.employment_contract_id: item for item in run.items.all()}
    assert items[rich.pk].status == PayrollRunItemStatus.DONE
    assert items[empty.pk].status == PayrollRunItemStatus.SKIPPED
    assert "Nothing available" in items[empty.pk].message
    assert items[poor.pk].status == PayrollRunItemStatus.FAILED
    assert "2255.61" in items[poor.pk].message  # 69 % of the PSS 2017 (3 269 €)
    assert Payslip.objects.count() == 1

    payslip = items[rich.pk].payslip
    # Worked example (portage-rules.md §3, modele-social figures): G 5 965.71, E 8 651.00.
    # The run totals lines per line (DESIGN §3.3): a few cents of difference are expected.
    assert abs(payslip.gross - Decimal("5965.71")) <= Decimal("0.10")
    assert abs(payslip.employer_cost - Decimal("8651.00")) <= Decimal("0.10")
    # G = S + A + CP with A = 5 % S and CP = 10 % (S + A), each rounded half-up.
    s = payslip.base_salary
    assert payslip.business_bonus == cents(s * Decimal("0.05"))
    assert payslip.paid_leave_allowance == cents((s + payslip.business_bonus) * Decimal("0.10"))
    assert payslip.gross == s + payslip.business_bonus + payslip.paid_leave_allowance
    assert payslip.financial_reserve == cents(s * Decimal("0.10"))
    # The payslip is what the engine computes for that gross.
    engine = compute_payslip(
        PayslipInput(period=PERIOD, gross=payslip.gross, status="cadre", headcount=20)
    )
    assert payslip.net_paid == engine.net_paid
    assert payslip.employer_cost == engine.employer_cost
    assert payslip.lines.count() == len(engine.lines)

    # Ledger: 9 400 − E − loaded reserve (R × E / G), the remainder stays available.
    loaded = cents(payslip.financial_reserve * payslip.employer_cost / payslip.gross)
    assert ledger_available(rich.consultant, at=END) == (
        Decimal("9400.00") - payslip.employer_cost - loaded
    )
    assert Decimal("0") <= ledger_available(rich.consultant, at=END) < Decimal("1.00")
    assert ledger_reserve_balance(rich.consultant) == loaded
    entries = entries_of(payslip)
    assert {(e.kind, e.amount) for e in entries} == {
        (LedgerEntryKind.SALARY_EMPLOYER_COST, -payslip.employer_cost),
        (LedgerEntryKind.FINANCIAL_RESERVE, -loaded),
    }
    # Nothing posted for the skipped and failed consultants.
    assert ledger_available(empty.consultant) == 0
    assert ledger_available(poor.consultant) == Decimal("1000.00")
    assert rendered == [payslip.pk]
    # Snapshots.
    assert payslip.employer_snapshot["siret"] == "73282932000074"
    assert payslip.employee_snapshot["nir"] == rich.consultant.nir
    assert payslip.number == "BP-2026-000001"


def test_rerun_of_a_finished_run_changes_nothing(three, staff_user):
    run = run_all(staff_user)
    counts = (Payslip.objects.count(), PayslipLine.objects.count(), LedgerEntry.objects.count())
    again = payroll_run_execute(run=run)
    assert again.status == run.status
    assert again.finished_at == run.finished_at
    assert counts == (
        Payslip.objects.count(),
        PayslipLine.objects.count(),
        LedgerEntry.objects.count(),
    )


def test_second_start_is_a_no_op_that_says_so(three, staff_user):
    first = payroll_run_start(period=PERIOD, started_by=staff_user)
    assert first.already_started is False
    second = payroll_run_start(period=date(2026, 1, 20), started_by=staff_user)
    assert second.pk == first.pk and second.already_started is True
    assert "already exists" in second.notice
    assert second.items.count() == 3


def test_unknown_period_names_the_missing_file(company, staff_user):
    with pytest.raises(PayrollError) as error:
        payroll_run_start(period=date(2031, 3, 1), started_by=staff_user)
    assert "2031.toml is missing" in str(error.value)
    assert error.value.code == "payroll_rates_not_found"


def test_one_failure_leaves_the_others_and_the_ledger_consistent(company, staff_user, monkeypatch):
    contracts = [make_contract() for _ in range(3)]
    for contract in contracts:
        fund(contract.consultant, "5000.00")
    from apps.payroll.services import run as run_module

    real = run_module.ledger_post_many

    def broken(*, entries):
        if any(e.consultant.pk == contracts[1].consultant_id for e in entries):
            real(entries=entries)  # the postings are written, then it fails
            raise RuntimeError("disk full")
        return real(entries=entries)

    monkeypatch.setattr(run_module, "ledger_post_many", broken)
    run = run_all(staff_user)
    failed = run.items.get(employment_contract=contracts[1])
    assert failed.status == PayrollRunItemStatus.FAILED
    assert "disk full" in failed.message
    # Rolled back: no payslip, no entry, the whole 5 000 € still available.
    assert not Payslip.objects.filter(employment_contract=contracts[1]).exists()
    assert ledger_available(contracts[1].consultant) == Decimal("5000.00")
    assert Payslip.objects.count() == 2
    # Gapless: the failed item's number was given back.
    assert sorted(Payslip.objects.values_list("number", flat=True)) == [
        "BP-2026-000001",
        "BP-2026-000002",
    ]
    # Retrying the failed items after the fault is gone completes the run.
    monkeypatch.setattr(run_module, "ledger_post_many", real)
    run = payroll_run_execute(run=run, retry_failed=True)
    assert run.status == PayrollRunStatus.DONE
    assert Payslip.objects.count() == 3
    assert sorted(Payslip.objects.values_list("sequence_number", flat=True)) == [1, 2, 3]


def test_resume_after_an_interruption(company, staff_user, monkeypatch):
    contracts = [make_contract() for _ in range(3)]
    for contract in contracts:
        fund(contract.consultant, "6000.00")
    from apps.payroll.services import run as run_module

    real = run_module.payslip_build
    calls = {"n": 0}

    def crash(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the worker is killed in the middle of item 2
        return real(**kwargs)

    monkeypatch.setattr(run_module, "payslip_build", crash)
    run = payroll_run_start(period=PERIOD, started_by=staff_user)
    with pytest.raises(KeyboardInterrupt):
        payroll_run_execute(run=run, batch_size=1)  # one item per batch: item 1 is written
    run.refresh_from_db()
    assert run.status == PayrollRunStatus.RUNNING
    assert Payslip.objects.count() == 1
    assert run.items.filter(status=PayrollRunItemStatus.PENDING).count() == 2

    monkeypatch.setattr(run_module, "payslip_build", real)
    run = payroll_run_execute(run=run)
    assert run.status == PayrollRunStatus.DONE
    assert Payslip.objects.count() == 3
    assert LedgerEntry.objects.filter(kind=LedgerEntryKind.SALARY_EMPLOYER_COST).count() == 3
    for contract in contracts:
        assert Payslip.objects.filter(employment_contract=contract).count() == 1


def test_cdd_posts_the_end_of_contract_indemnity_and_its_paid_leave(company, staff_user):
    contract = make_contract(kind="cdd", term_type="precise", initial_end_date=date(2026, 6, 30))
    fund(contract.consultant, "6000.00")
    run_all(staff_user)
    payslip = Payslip.objects.get()
    s, a = payslip.base_salary, payslip.business_bonus
    precarity = cents((s + a) * Decimal("0.10"))  # L1243-8: 10 % of S + A
    paid_leave_on_it = cents(precarity * Decimal("0.10"))
    assert payslip.end_of_contract_indemnity == precarity + paid_leave_on_it
    assert payslip.financial_reserve == 0
    ratio = payslip.employer_cost / payslip.gross
    kinds = dict(entries_of(payslip).values_list("kind", "amount"))
    loaded_total = cents((precarity + paid_leave_on_it) * ratio)
    assert kinds[LedgerEntryKind.PAID_LEAVE_PROVISION] == -cents(paid_leave_on_it * ratio)
    assert (
        kinds[LedgerEntryKind.FINANCIAL_RESERVE] + kinds[LedgerEntryKind.PAID_LEAVE_PROVISION]
        == -loaded_total
    )
    assert "cpf_cdd" in set(payslip.lines.values_list("code", flat=True))


def test_top_up_to_minimum_when_the_company_says_so(company, staff_user, settings):
    settings.PAYROLL_TOP_UP_TO_MINIMUM = True
    contract = make_contract(classification=1)
    fund(contract.consultant, "1000.00")
    run = run_all(staff_user)
    item = run.items.get()
    assert item.status == PayrollRunItemStatus.DONE and "Topped up" in item.message
    payslip = item.payslip
    remuneration = payslip.base_salary + payslip.business_bonus + payslip.paid_leave_allowance
    # At least the minimum (2 255.61 €), at most one cent of base salary above it.
    assert Decimal("2255.61") <= remuneration <= Decimal("2255.61") + Decimal("0.03")
    assert ledger_available(contract.consultant) < 0


def test_second_month_carries_the_year_to_date(company, staff_user):
    # In the RGDU zone (gross below 3 SMIC), where the year to date matters.
    contract = make_contract(classification=1)
    fund(contract.consultant, "4000.00", day=date(2026, 1, 10))
    run_all(staff_user)
    fund(contract.consultant, "4000.00", day=date(2026, 2, 10))
    run = payroll_run_execute(run=payroll_run_start(period=date(2026, 2, 1), started_by=staff_user))
    assert run.status == PayrollRunStatus.DONE, list(run.items.values("status", "message"))
    january, february = Payslip.objects.order_by("period")
    assert february.ytd_gross == january.gross + february.gross
    assert february.ytd_employer_cost == january.employer_cost + february.employer_cost
    template = PayslipInput(
        period=date(2026, 2, 1),
        gross=february.gross,
        status="cadre",
        headcount=20,
        ytd_gross=january.ytd_gross,
        ytd_smic=january.ytd_smic,
        ytd_rgdu=january.ytd_rgdu,
    )
    assert february.reductions > 0
    assert february.employer_cost == compute_payslip(replace(template)).employer_cost


def test_unvalidated_reports_are_warnings(company, staff_user, monkeypatch):
    make_contract()
    from apps.payroll.services import run as run_module

    class Report:
        pk = 7
        consultant_id = 1
        consultant = "Claire Durand"

        def get_status_display(self):
            return "Draft"

    monkeypatch.setattr(run_module, "payroll_unvalidated_reports", lambda **kw: [Report()])
    run = payroll_run_start(period=PERIOD, started_by=staff_user)
    assert run.warnings[0]["code"] == "activity_report_not_validated"
    assert "Claire Durand" in run.warnings[0]["message"]
    assert run.items.count() == 1  # a warning, not a block


def test_contracts_outside_the_month_are_not_paid(company, staff_user):
    make_contract(start_date=date(2026, 2, 1))
    make_contract(status="draft")
    make_contract(
        kind="cdd",
        term_type="precise",
        initial_end_date=date(2025, 12, 31),
        start_date=date(2025, 10, 1),
    )
    paid = make_contract()
    run = payroll_run_start(period=PERIOD, started_by=staff_user)
    assert list(run.items.values_list("employment_contract_id", flat=True)) == [paid.pk]
