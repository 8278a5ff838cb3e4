"""Invoices issued per second under concurrency (issue 5): 8 threads issue 200 drafts at
once; every issue takes the locked sequence row of its series (DESIGN §3.5), so this
measures how much the gapless numbering serialises. PostgreSQL only (SQLite has no row
locks): point DATABASE_URL at a PostgreSQL server; the benchmark creates and drops its own
throwaway test database there. Rendering the PDF is left out (measured by bench_invoice_pdf).
"""

import atexit
import os
import threading
from datetime import date
from decimal import Decimal
from unittest import mock

from django.db import connection, connections

from .run import Benchmark

THREADS = 8
PER_THREAD = 25
_state: dict = {}


def _setup() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit(
            "bench_invoice_issue needs PostgreSQL: set DATABASE_URL=postgres://... "
            "(or run `python -m bench.run` without 'invoice.issue')."
        )
    if "db" not in _state:
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        atexit.register(lambda: connection.creation.destroy_test_db(old_name, verbosity=0))
        _state["db"] = True
    from apps.accounts.roles import Role, roles_sync
    from apps.accounts.services import user_create
    from tests.company import make_company_profile
    from tests.consultants.factories import ConsultantFactory
    from tests.invoices.factories import draft_invoice, invoice_client

    roles_sync()
    make_company_profile()
    staff = user_create(
        email=f"bench{len(_state)}@example.test", role=Role.STAFF, password="bench-pass-2026"
    )
    client, consultant = invoice_client(), ConsultantFactory()
    drafts = [
        draft_invoice(client=client, consultant=consultant, lines=[("Conseil", "1", "100.00")])
        for _index in range(THREADS * PER_THREAD)
    ]
    _state["staff"] = staff
    _state["chunks"] = [drafts[index::THREADS] for index in range(THREADS)]


def _issue_concurrently() -> None:
    from apps.invoices.services.invoicing import invoice_issue

    chunks = _state.pop("chunks")
    barrier = threading.Barrier(THREADS, timeout=60)
    errors = []

    def worker(chunk):
        try:
            barrier.wait()
            for draft in chunk:
                invoice_issue(
                    invoice=draft, issued_by=_state["staff"], issue_date=date(2026, 3, 16)
                )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
    with mock.patch("apps.invoices.services.invoicing.issue._schedule_render"):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    if errors:
        raise errors[0]


_total = Decimal(THREADS * PER_THREAD)

# Only on PostgreSQL: `make bench` on SQLite lists the other benchmarks and skips this one.
BENCHMARKS = [
    Benchmark(
        name=f"invoice.issue_concurrent ({THREADS} threads x {PER_THREAD} invoices)",
        func=_issue_concurrently,
        repeat=1,
        unit="s",
        setup=_setup,
        extra={"invoices": int(_total), "note": "invoices per second = invoices / median"},
    ),
]
if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    BENCHMARKS = []
