"""Calendar arithmetic of the duration rules (pure Python, no dateutil).

Months are counted "de date à date" (civil-law way of counting a period of months): a period
of N months starting on day D ends on the day before day D of the N-th following month. When
that month has no day D (31st, 29 February), add_months() clamps to the month's last day, so
a period starting on 31 January lasts one month until 27/28 February inclusive.

PR-05 (36 months, L1254-4 II) is counted in calendar DAYS of prestation: the contract apps
give the union of the prestation periods of one consultant at one client (overlaps once,
gaps neither reset the counter nor count). The maximum in days is the number of days of a
continuous prestation of 36 months from the first start:

    max_days   = (add_months(first_start, 36) - first_start).days
    exceeded  <=> cumulated_days > max_days
    limit date = the last day the prestation may run if it continues without a gap after the
                 planned end: end_date + (max_days - cumulated_days) days
                 (= add_months(first_start, 36) - 1 day when there is no gap).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta


def add_months(value: date, months: int) -> date:
    """`value` moved by `months` calendar months, the day clamped to the month's length."""
    index = value.year * 12 + (value.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    day = min(value.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def period_last_day(start: date, months: int) -> date:
    """Last day (inclusive) of a period of `months` months starting on `start`."""
    return add_months(start, months) - timedelta(days=1)


def months_and_days(start: date, end: date) -> tuple[int, int]:
    """Length of the inclusive period start..end as (whole months, remaining days)."""
    after_end = end + timedelta(days=1)
    if after_end <= start:
        return 0, 0
    months = (after_end.year - start.year) * 12 + (after_end.month - start.month)
    while months > 0 and add_months(start, months) > after_end:
        months -= 1
    return months, (after_end - add_months(start, months)).days


def whole_months_between(start: date, end: date) -> int:
    """Whole months elapsed from `start` to `end` (e.g. months spent at level 1, PR-27)."""
    if end <= start:
        return 0
    return months_and_days(start, end - timedelta(days=1))[0]


def months_in_days(first_start: date, months: int) -> int:
    """Calendar days of a continuous period of `months` months from `first_start`."""
    return (add_months(first_start, months) - first_start).days


def equivalent_end(first_start: date, cumulated_days: int) -> date:
    """End of a continuous period from `first_start` lasting `cumulated_days` days."""
    return first_start + timedelta(days=max(cumulated_days, 1) - 1)


def mission_limit_date(
    *, first_start: date, cumulated_days: int, end_date: date, max_months: int = 36
) -> date:
    """Last day the prestation may last (PR-05) if it goes on without a gap after `end_date`.

    Before `end_date` when the limit is already exceeded. Give `max_months` from
    rules.rule_value("mission_max_months", on_date).
    """
    remaining = months_in_days(first_start, max_months) - cumulated_days
    return end_date + timedelta(days=remaining)


def alert_threshold_reached(
    *, due_date: date, today: date, thresholds: Sequence[int]
) -> int | None:
    """The tightest threshold (days before `due_date`) reached on `today`, or None.

    thresholds (90, 30): 120 days before -> None; 90..31 days -> 90; 30..0 days -> 30;
    after the due date -> None (the event is past).
    """
    remaining = (due_date - today).days
    if remaining < 0:
        return None
    reached = [threshold for threshold in thresholds if remaining <= threshold]
    return min(reached) if reached else None
