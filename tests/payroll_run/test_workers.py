"""Two workers on one run (PostgreSQL): while the first holds a batch in its transaction,
the second takes the other items instead of skipping everything or waiting."""

import threading

import pytest
from django.db import connection, connections

from apps.payroll.models import PayrollRunItemStatus
from apps.payroll.services import payroll_run_execute, payroll_run_start
from apps.payroll.services import run as run_module
from apps.payslips.models import Payslip

from .conftest import PERIOD, fund, make_contract


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_a_second_worker_takes_the_items_the_first_does_not_hold(company, staff_user, monkeypatch):
    for _ in range(4):
        contract = make_contract()
        fund(contract.consultant, "6000.00")
    run = payroll_run_start(period=PERIOD, started_by=staff_user)
    items = list(run.items.order_by("pk").values_list("pk", "employment_contract_id"))

    holding, release = threading.Event(), threading.Event()
    real_write = run_module._write

    def write(outcomes, context):
        if threading.current_thread().name == "first-worker":
            holding.set()  # inside the batch's transaction, its items locked
            release.wait(timeout=60)
        return real_write(outcomes, context)

    monkeypatch.setattr(run_module, "_write", write)
    errors = []

    def first_worker():
        try:
            payroll_run_execute(run=run, batch_size=2)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    first = threading.Thread(target=first_worker, name="first-worker")
    first.start()
    try:
        assert holding.wait(timeout=30)
        with connection.cursor() as cursor:  # before the fix this waited on the run's row
            cursor.execute("SET lock_timeout = '10s'")
        payroll_run_execute(run=run, batch_size=2)
        # The second worker made the payslips of the two items the first does not hold.
        second_half = {contract for _pk, contract in items[2:]}
        made = set(Payslip.objects.values_list("employment_contract_id", flat=True))
        assert made == second_half
    finally:
        release.set()
        first.join(timeout=60)
    assert errors == []
    assert run.items.filter(status=PayrollRunItemStatus.DONE).count() == 4


@pytest.mark.django_db
def test_schedule_queues_one_task_per_worker_after_commit(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    from apps.payroll import tasks

    settings.PAYROLL_RUN_WORKERS = 3
    queued = []
    monkeypatch.setattr(
        tasks.payroll_run_execute_task, "delay", lambda *a, **k: queued.append((a, k))
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.payroll_run_schedule(7, retry_failed=True)
        assert queued == []  # nothing before the commit
    assert queued == [
        ((7,), {"retry_failed": True}),
        ((7,), {"retry_failed": False}),
        ((7,), {"retry_failed": False}),
    ]
