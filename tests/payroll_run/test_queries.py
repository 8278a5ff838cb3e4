"""The queries of a run grow by a constant per item: batch reads do not depend on N."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.payroll.models import PayrollRunItemStatus
from apps.payroll.selectors import period_end
from apps.payroll.services import payroll_run_execute, payroll_run_start

from .conftest import PERIOD, fund, make_contract

pytestmark = pytest.mark.django_db
# Per batch: ids, items + contracts + consultants, available, year to date, lock, 4 for the
# numbers, INSERT payslips, INSERT lines, the ledger's savepoint + pre-check + INSERT +
# release, UPDATE items, and the savepoint pair around the batch.
PER_BATCH_MAX = 20


def _run_queries(n, staff_user, period):
    # CDDs of one month each, so that the next period pays only its own contracts.
    for _ in range(n):
        contract = make_contract(
            kind="cdd", term_type="precise", start_date=period, initial_end_date=period_end(period)
        )
        fund(contract.consultant, "6000.00", day=period)
    run = payroll_run_start(period=period, started_by=staff_user)
    with CaptureQueriesContext(connection) as captured:
        run = payroll_run_execute(run=run)
    assert run.items.filter(status=PayrollRunItemStatus.DONE).count() == run.items.count() == n
    return len(captured.captured_queries)


def test_queries_of_a_batch_do_not_depend_on_its_size(company, staff_user):
    from datetime import date

    _run_queries(1, staff_user, PERIOD)  # creates the year's number sequence
    three = _run_queries(3, staff_user, date(2026, 2, 1))
    six = _run_queries(6, staff_user, date(2026, 3, 1))
    if connection.vendor == "sqlite":
        # SQLite binds at most 999 parameters: Django splits the lines' INSERT every 90 rows.
        assert six - three <= 1
    else:
        assert six == three
    assert three <= 35  # 31 today on SQLite: the run (11) plus one batch (20)


def test_batches_cost_a_constant_each(company, staff_user):
    from datetime import date

    _run_queries(1, staff_user, PERIOD)
    for _ in range(6):
        contract = make_contract()
        fund(contract.consultant, "6000.00")
    run = payroll_run_start(period=date(2026, 2, 1), started_by=staff_user)
    with CaptureQueriesContext(connection) as by_two:
        payroll_run_execute(run=run, batch_size=2)
    run3 = payroll_run_start(period=date(2026, 3, 1), started_by=staff_user)
    for item in run3.items.all():
        fund(item.employment_contract.consultant, "6000.00", day=date(2026, 3, 1))
    with CaptureQueriesContext(connection) as by_three:
        payroll_run_execute(run=run3, batch_size=3)
    # 3 batches vs 2 batches of the same items: the difference is one batch's queries.
    per_batch = len(by_two.captured_queries) - len(by_three.captured_queries)
    assert 0 < per_batch <= PER_BATCH_MAX
