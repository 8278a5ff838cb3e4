"""Helpers to post ledger entries in tests: always through the services, like the apps do."""

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import Group

from apps.ledger.models import LedgerEntryKind
from apps.ledger.services import ledger_post

_counter = {"n": 0}


def source_document() -> Group:
    """Any saved row can be a source; a Group stands in for invoices and payslips."""
    _counter["n"] += 1
    return Group.objects.create(name=f"ledger-factory-source-{_counter['n']}")


def post(
    consultant,
    amount,
    *,
    kind: str = LedgerEntryKind.TURNOVER_COLLECTED,
    entry_date: date = date(2026, 3, 15),
    label: str = "Payment of invoice F-2026-000001",
    source=None,
    created_by=None,
):
    """Post one entry; a fresh source document unless one is given (or the kind needs none)."""
    if source is None and created_by is None:
        source = source_document()
    return ledger_post(
        consultant=consultant,
        kind=kind,
        amount=Decimal(amount),
        entry_date=entry_date,
        label=label,
        source=source,
        created_by=created_by,
    )
