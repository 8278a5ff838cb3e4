"""Date arithmetic and field rules of the employment contract (pure functions)."""

from datetime import date

import pytest

from apps.employment_contracts import rules


@pytest.mark.parametrize(
    ("start", "months", "last_day"),
    [
        # 18 months from 1 January 2026: the last day is 30 June 2027 (L1254-12).
        (date(2026, 1, 1), 18, date(2027, 6, 30)),
        (date(2026, 3, 15), 18, date(2027, 9, 14)),
        # 31 August + 18 months has no 31st: clamped to 29 February 2028, minus one day.
        (date(2026, 8, 31), 18, date(2028, 2, 28)),
        (date(2026, 1, 1), 3, date(2026, 3, 31)),
    ],
)
def test_last_day_of_period_counts_from_date_to_date(start, months, last_day):
    assert rules.last_day_of_period(start, months) == last_day


@pytest.mark.parametrize(
    ("on", "months"),
    [
        (date(2024, 12, 31), 0),  # before the start
        (date(2025, 1, 1), 1),  # the first day begins month 1
        (date(2025, 12, 31), 12),  # exactly 12 months
        (date(2026, 1, 1), 13),  # one day more: a 13th month has begun
        (date(2026, 12, 31), 24),  # exactly 24 months (PR-27 limit: still allowed)
        (date(2027, 1, 1), 25),  # more than 24 months
    ],
)
def test_months_begun(on, months):
    assert rules.months_begun(date(2025, 1, 1), on) == months


def test_trial_period_cdi_maximum_depends_on_status():
    start = date(2026, 1, 1)
    cadre = rules.trial_period_last_day(
        kind="cdi", start=start, status_cadre="cadre", contract_last_day=None
    )
    non_cadre = rules.trial_period_last_day(
        kind="cdi", start=start, status_cadre="non_cadre", contract_last_day=None
    )
    assert cadre == date(2026, 4, 30)  # 4 months (CCN 19.1)
    assert non_cadre == date(2026, 3, 31)  # 3 months


def test_trial_period_cdd_one_day_per_week_capped():
    start = date(2026, 1, 1)
    # 8 weeks of contract: 8 days of trial (L1242-10: 1 day per week)
    eight_weeks = rules.trial_period_last_day(
        kind="cdd", start=start, status_cadre="cadre", contract_last_day=date(2026, 2, 25)
    )
    assert eight_weeks == date(2026, 1, 8)
    # 6 months: capped at 2 weeks
    six_months = rules.trial_period_last_day(
        kind="cdd", start=start, status_cadre="cadre", contract_last_day=date(2026, 6, 30)
    )
    assert six_months == date(2026, 1, 14)
    # 12 months: capped at 1 month
    twelve_months = rules.trial_period_last_day(
        kind="cdd", start=start, status_cadre="cadre", contract_last_day=date(2026, 12, 31)
    )
    assert twelve_months == date(2026, 1, 31)


def test_mention_ids_per_kind():
    cdd = rules.mention_ids("cdd")
    cdi = rules.mention_ids("cdi")
    assert [f"EC-D{n:02d}" for n in range(1, 19)] == [i for i in cdd if i.startswith("EC-D")]
    assert [f"EC-I{n:02d}" for n in range(1, 12)] == [i for i in cdi if i.startswith("EC-I")]
    assert "EC-C08" in cdi and "EC-C08" not in cdd  # allocation de prospection: CDI only
    assert "EC-C12" in cdd and "EC-C12" in cdi
