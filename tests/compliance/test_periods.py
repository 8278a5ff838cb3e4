"""Calendar arithmetic of the duration rules (pure, no database)."""

from datetime import date, timedelta

import pytest

from apps.compliance.periods import (
    add_months,
    alert_threshold_reached,
    equivalent_end,
    mission_limit_date,
    months_and_days,
    months_in_days,
    period_last_day,
    whole_months_between,
)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 1), 36, date(2027, 1, 1)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # clamped, leap year
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 11, 15), 3, date(2025, 2, 15)),  # across the year
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_month_length(start, months, expected):
    assert add_months(start, months) == expected


def test_period_last_day_is_the_day_before_the_same_date():
    assert period_last_day(date(2024, 1, 1), 36) == date(2026, 12, 31)
    assert period_last_day(date(2025, 6, 15), 18) == date(2026, 12, 14)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2024, 1, 1), date(2027, 1, 31), (37, 0)),
        (date(2024, 1, 1), date(2026, 12, 31), (36, 0)),
        (date(2024, 1, 1), date(2027, 1, 1), (36, 1)),
        (date(2024, 1, 1), date(2026, 12, 30), (35, 30)),
        (date(2024, 1, 1), date(2024, 1, 1), (0, 1)),
        (date(2024, 1, 2), date(2024, 1, 1), (0, 0)),
    ],
)
def test_months_and_days_of_an_inclusive_period(start, end, expected):
    assert months_and_days(start, end) == expected


def test_whole_months_between():
    assert whole_months_between(date(2024, 7, 18), date(2026, 7, 18)) == 24
    assert whole_months_between(date(2024, 7, 18), date(2026, 7, 17)) == 23
    assert whole_months_between(date(2024, 7, 18), date(2024, 7, 1)) == 0


def test_months_in_days_and_equivalent_end():
    assert months_in_days(date(2024, 1, 1), 36) == 1096  # 2024 is a leap year
    assert months_in_days(date(2025, 1, 1), 36) == 1095
    assert equivalent_end(date(2024, 1, 1), 1096) == date(2026, 12, 31)


def test_mission_limit_date_without_gap_is_36_months_minus_one_day():
    first = date(2024, 1, 1)
    end = date(2025, 6, 30)
    days = (end - first).days + 1
    assert mission_limit_date(first_start=first, cumulated_days=days, end_date=end) == date(
        2026, 12, 31
    )


def test_mission_limit_date_moves_later_by_the_gap():
    # 2024-01-01..2024-06-30 (182 days), gap, 2025-01-01..2025-06-30 (181 days)
    first = date(2024, 1, 1)
    days = 182 + 181
    limit = mission_limit_date(first_start=first, cumulated_days=days, end_date=date(2025, 6, 30))
    gap = (date(2025, 1, 1) - date(2024, 7, 1)).days
    assert gap == 184
    assert limit == date(2026, 12, 31) + timedelta(days=gap)


@pytest.mark.parametrize(
    ("days_before", "expected"),
    [(120, None), (91, None), (90, 90), (31, 90), (30, 30), (1, 30), (0, 30), (-1, None)],
)
def test_alert_threshold_reached_edges(days_before, expected):
    due = date(2027, 1, 31)
    today = due - timedelta(days=days_before)
    assert alert_threshold_reached(due_date=due, today=today, thresholds=(90, 30)) == expected
