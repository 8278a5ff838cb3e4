"""The monthly payroll run for N consultants (budget: 10,000 in 60 s on PostgreSQL).

Not part of `make bench` by default (it writes thousands of rows): run it on a throwaway
database, e.g.

    DATABASE_URL=postgres://postgres@127.0.0.1:55432/bench \\
        .venv/bin/python -m bench.bench_payroll_run 10000 [workers]

It migrates nothing: migrate the database first. It creates N consultants with an active
CDI each and money on their compte d'activité (bulk inserts, not timed), starts the run of
the first 2026 month without a run, then times `payroll_run_execute`: total seconds, the
median and max per payslip (each batch's time over its size) and the queries per item
(counted by an execute wrapper, so the counting costs nothing noticeable; the lines' COPY
is not a counted query). With `workers` > 1, that many processes execute the run together
(SKIP LOCKED hands each a different batch); per-payslip figures and queries then cover the
parent only, the total is the wall time of all. `BENCH_PAYROLL_RUN=1 make bench` adds a small run
(BENCH_PAYROLL_N, default 200) to the standard report.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date
from decimal import Decimal

from .run import Benchmark

DEFAULT_N = 10_000


def _seed(n: int, tag: str):
    from django.contrib.contenttypes.models import ContentType

    from apps.consultants.models import Consultant
    from apps.core.models import CompanyProfile
    from apps.employment_contracts.models import EmploymentContract
    from apps.ledger.models import LedgerEntry, LedgerEntryKind

    if not CompanyProfile.objects.exists():
        CompanyProfile.objects.create(
            legal_name="Bench Portage SAS",
            siren="732829320",
            siret="73282932000074",
            vat_number="FR44732829320",
            rcs_city="Paris",
            address_line1="1 rue de Rivoli",
            postal_code="75001",
            city="Paris",
            email="bench@example.test",
            headcount=250,
        )
    consultants = Consultant.objects.bulk_create(
        [
            Consultant(
                civility="mrs",
                first_name=f"Bench{i}",
                last_name=f"{tag}{i}",
                birth_date=date(1985, 5, 17),
                birth_place="Lyon",
                nir=f"2{tag[-4:]}{i:010d}"[:15],
                address_line1="1 rue du Bench",
                postal_code="69001",
                city="Lyon",
                email=f"bench-{tag}-{i}@example.test",
                status="active",
                management_fee_rate=Decimal("7.00"),
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
    EmploymentContract.objects.bulk_create(
        [
            EmploymentContract(
                reference=f"B{tag[-6:]}{i:07d}",
                consultant=consultant,
                kind="cdi",
                start_date=date(2025, 1, 1),
                working_time_mode="days",
                status_cadre="cadre" if i % 3 else "non_cadre",
                classification=1 + i % 4,
                management_fee_rate=Decimal("7.00"),
                status="active",
            )
            for i, consultant in enumerate(consultants)
        ],
        batch_size=1000,
    )
    source_type = ContentType.objects.get_for_model(Consultant)
    # Between 6 000 and 12 000 € each: every payslip is above the level minimum.
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                consultant=consultant,
                entry_date=date(2025, 12, 31),
                kind=LedgerEntryKind.TURNOVER_COLLECTED,
                amount=Decimal(6000 + (i * 37) % 6000),
                label="Bench payment",
                source_content_type=source_type,
                source_object_id=consultant.pk,
            )
            for i, consultant in enumerate(consultants)
        ],
        batch_size=1000,
    )


def _free_period() -> date:
    from apps.payroll.models import PayrollRun

    taken = set(PayrollRun.objects.values_list("period", flat=True))
    for month in range(1, 13):
        if date(2026, month, 1) not in taken:
            return date(2026, month, 1)
    raise SystemExit("every 2026 month already has a run: use a fresh database")


def _execute_in_workers(run_id: int, workers: int) -> None:
    """`workers` processes execute the same run: SKIP LOCKED gives each other batches."""
    import subprocess

    env = {**os.environ, "BENCH_PAYROLL_EXECUTE_RUN": str(run_id)}
    children = [
        subprocess.Popen([sys.executable, "-m", "bench.bench_payroll_run"], env=env)
        for _ in range(workers)
    ]
    for child in children:
        if child.wait():
            raise SystemExit(f"a worker failed ({child.returncode})")


def measure(n: int, workers: int = 1) -> dict:
    from django.db import connection

    from apps.payroll.models import PayrollRunItemStatus
    from apps.payroll.services import payroll_run_execute, payroll_run_start
    from apps.payroll.services import run as run_module

    tag = f"{int(time.time()) % 10**8:08d}"
    started = time.perf_counter()
    _seed(n, tag)
    seeded = time.perf_counter() - started
    period = _free_period()
    run = payroll_run_start(period=period, started_by=None)
    # Only this bench's contracts: others (demo data) would be paid too, and timed.
    run.items.exclude(employment_contract__reference__startswith=f"B{tag[-6:]}").delete()

    durations: list[float] = []  # per payslip: each batch's time over its size
    real = run_module._process_batch

    def timed(ids, context):
        begin = time.perf_counter()
        real(ids, context)
        durations.append((time.perf_counter() - begin) / len(ids))

    queries = {"n": 0}

    def count(execute, sql, params, many, context):
        queries["n"] += 1
        return execute(sql, params, many, context)

    run_module._process_batch = timed
    run_module.schedule_payslip_render = lambda payslip_id: None  # PDFs are benched apart
    try:
        with connection.execute_wrapper(count):
            begin = time.perf_counter()
            if workers > 1:
                _execute_in_workers(run.pk, workers)
                run = payroll_run_execute(run=run)  # closes the run
            else:
                run = payroll_run_execute(run=run)
            total = time.perf_counter() - begin
    finally:
        run_module._process_batch = real
    done = run.items.filter(status=PayrollRunItemStatus.DONE).count()
    samples = sorted(durations) or [total / max(n, 1)]
    return {
        "vendor": connection.vendor,
        "workers": workers,
        "consultants": n,
        "payslips": done,
        "status": run.status,
        "seed_s": round(seeded, 2),
        "total_s": round(total, 2),
        "batches": len(samples),
        "per_payslip_median_ms": round(statistics.median(samples) * 1000, 2),
        "per_payslip_max_ms": round(samples[-1] * 1000, 2),
        "queries": queries["n"],
        "queries_per_item": round(queries["n"] / max(n, 1), 2),
        "extrapolated_10000_s": round(total / max(n, 1) * 10_000, 1),
    }


def _small_run():
    return measure(int(os.environ.get("BENCH_PAYROLL_N", "200")))


BENCHMARKS = (
    [Benchmark("payroll.monthly_run (BENCH_PAYROLL_N)", _small_run, repeat=1, unit="s")]
    if os.environ.get("BENCH_PAYROLL_RUN") == "1"
    else []
)


def main(argv: list[str]) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portage_office.settings.local")
    django.setup()
    if os.environ.get("BENCH_PAYROLL_EXECUTE_RUN"):  # a worker of _execute_in_workers
        from apps.payroll.models import PayrollRun
        from apps.payroll.services import payroll_run_execute
        from apps.payroll.services import run as run_module

        run_module.schedule_payslip_render = lambda payslip_id: None
        payroll_run_execute(run=PayrollRun.objects.get(pk=os.environ["BENCH_PAYROLL_EXECUTE_RUN"]))
        return 0
    n = int(argv[0]) if argv else int(os.environ.get("BENCH_PAYROLL_N", DEFAULT_N))
    workers = int(argv[1]) if len(argv) > 1 else 1
    result = measure(n, workers)
    for key, value in result.items():
        print(f"{key:<24} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
