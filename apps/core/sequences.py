"""Gapless document numbering (DESIGN.md §3.5).

One `DocumentSequence` row per (series, year), locked with SELECT ... FOR UPDATE inside the
caller's transaction: a number is taken only when the document is really issued, and a
rolled-back issue gives its number back. Never MAX(number)+1, never the primary key.
"""

from django.db import transaction

from .models import DocumentSequence


def sequence_next(*, series: str, year: int) -> int:
    """The next number of the series for the year. Must run inside transaction.atomic()."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("sequence_next() must be called inside a transaction.")
    sequence, _created = DocumentSequence.objects.select_for_update().get_or_create(
        series=series, year=year
    )
    # get_or_create may have created the row without a lock on some databases: lock it now.
    sequence = DocumentSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number", "updated_at"])
    return sequence.last_number


def format_number(*, prefix: str, year: int, number: int, width: int = 6) -> str:
    """e.g. F-2026-000123, AV-2026-000004."""
    return f"{prefix}-{year}-{number:0{width}d}"
