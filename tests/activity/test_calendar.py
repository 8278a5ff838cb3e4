"""Month calendars against hand-counted months, and the rules on the days declared."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.activity.services.calendar import (
    french_holidays,
    month_calendar,
    parse_fraction,
    validate_days,
    working_days,
)

# May 2026, counted on a paper calendar (1 May 2026 is a Friday):
#   31 days; weekends: Sat 2, 9, 16, 23, 30 and Sun 3, 10, 17, 24, 31 -> 10 days -> 21 weekdays;
#   public holidays on weekdays: Fri 1 (Fête du Travail), Fri 8 (Victoire 1945),
#   Thu 14 (Ascension = Easter 5 April + 39 days), Mon 25 (Pentecost Monday = Easter + 50)
#   -> 21 - 4 = 17 working days.
MAY = date(2026, 5, 1)
MAY_WEEKENDS = {2, 3, 9, 10, 16, 17, 23, 24, 30, 31}
MAY_HOLIDAYS = {1, 8, 14, 25}


def may(day: int) -> date:
    return date(2026, 5, day)


def test_may_2026_has_17_working_days():
    assert working_days(MAY) == 17


def test_may_2026_calendar_marks_weekends_and_holidays_by_hand_count():
    calendar = month_calendar(month=MAY)
    assert len(calendar.days) == 31
    assert {d.day.day for d in calendar.days if d.is_weekend} == MAY_WEEKENDS
    assert {d.day.day for d in calendar.days if d.is_holiday} == MAY_HOLIDAYS
    assert sum(1 for d in calendar.days if d.is_working_day) == 17
    assert calendar.working_days == 17


def test_may_2026_grid_is_five_monday_to_sunday_weeks():
    weeks = month_calendar(month=MAY).weeks
    assert len(weeks) == 5 and all(len(week) == 7 for week in weeks)
    # 1 May is a Friday: Monday to Thursday of the first row are empty.
    assert weeks[0][:4] == [None] * 4
    assert weeks[0][4].day == may(1)
    assert weeks[-1][-1].day == may(31)


def test_august_2026_holiday_on_a_saturday_does_not_remove_a_working_day():
    # August 2026: 1 August is a Saturday, 31 days. Weekends: 1, 2, 8, 9, 15, 16, 22, 23, 29,
    # 30 -> 10 days -> 21 weekdays. Assumption (15 August) falls on Saturday 15: no weekday
    # holiday -> 21 working days.
    august = date(2026, 8, 1)
    calendar = month_calendar(month=august)
    assumption = calendar.days[14]
    assert assumption.is_weekend and assumption.is_holiday
    assert working_days(august) == 21


def test_november_2026_all_saints_on_a_sunday():
    # November 2026: 1 November is a Sunday (All Saints' Day: weekend, no effect); weekends
    # 1, 7, 8, 14, 15, 21, 22, 28, 29 -> 9 days -> 21 weekdays; Armistice (Wed 11) -> 20.
    assert working_days(date(2026, 11, 1)) == 20


def test_holidays_are_metropolitan_france_only():
    # Good Friday (3 April 2026) and 26 December are holidays only in Alsace-Moselle.
    holidays_2026 = french_holidays(2026)
    assert date(2026, 4, 3) not in holidays_2026
    assert date(2026, 12, 26) not in holidays_2026
    assert date(2026, 7, 14) in holidays_2026
    assert len(holidays_2026) == 11


def test_holiday_names_follow_the_language():
    with translation.override("fr"):
        assert french_holidays(2026)[may(1)] == "Fête du Travail"
    with translation.override("en"):
        assert french_holidays(2026)[may(14)] == "Ascension Day"


def test_calendar_marks_days_outside_the_contract_and_counts_available_days():
    calendar = month_calendar(month=MAY, contract_start=may(11), contract_end=may(20))
    inside = [d.day.day for d in calendar.days if d.in_contract]
    assert inside == list(range(11, 21))
    # 11 to 20 May: weekdays 11-15 and 18-20 = 8, minus Ascension (14) = 7.
    assert calendar.available_days == 7
    assert calendar.days[0].kind == "outside"
    assert not calendar.days[0].selectable


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", Decimal("1.0")),
        (1, Decimal("1.0")),
        ("1.0", Decimal("1.0")),
        ("0.5", Decimal("0.5")),
        ("0,5", Decimal("0.5")),
        ("½", Decimal("0.5")),
        ("", Decimal("0")),
        (None, Decimal("0")),
        ("0", Decimal("0")),
    ],
)
def test_parse_fraction_accepts_full_half_and_nothing(raw, expected):
    assert parse_fraction(raw) == expected


@pytest.mark.parametrize("raw", ["0.25", "2", "-1", "abc", "1.5", 0.5])
def test_parse_fraction_refuses_anything_else(raw):
    with pytest.raises(ValueError):
        parse_fraction(raw)


def _validate(days, start=date(2026, 1, 1), end=date(2026, 12, 31)):
    return validate_days(month=MAY, days=days, contract_start=start, contract_end=end)


def test_validate_days_keeps_full_and_half_days_and_drops_zeros():
    cleaned = _validate({may(4): "1", may(5): "0.5", may(6): "0"})
    assert cleaned == {may(4): Decimal("1.0"), may(5): Decimal("0.5")}


def test_half_day_on_a_public_holiday_is_refused_with_its_name():
    with pytest.raises(ValidationError) as error:
        _validate({may(14): "0.5", may(4): "1"})
    messages = error.value.message_dict["days"]
    assert len(messages) == 1
    assert "public holiday (Ascension Day)" in messages[0]


def test_weekend_day_is_refused():
    with pytest.raises(ValidationError) as error:
        _validate({may(9): "1"})
    assert "weekend day" in error.value.message_dict["days"][0]


def test_day_outside_the_contract_is_refused():
    with pytest.raises(ValidationError) as error:
        _validate({may(4): "1", may(20): "1"}, start=may(5), end=may(19))
    messages = error.value.message_dict["days"]
    assert len(messages) == 2
    assert all("outside the contract period" in message for message in messages)


def test_day_of_another_month_is_refused():
    with pytest.raises(ValidationError) as error:
        _validate({date(2026, 6, 1): "1"})
    assert "not in the month of the report" in error.value.message_dict["days"][0]


def test_invalid_fraction_is_refused_with_the_value():
    with pytest.raises(ValidationError) as error:
        _validate({may(4): "0.25"})
    assert "“0.25” is not a valid fraction" in error.value.message_dict["days"][0]


def test_every_problem_is_listed_at_once():
    with pytest.raises(ValidationError) as error:
        _validate({may(1): "1", may(2): "1", may(4): "3"})
    assert len(error.value.message_dict["days"]) == 3


def test_more_days_than_working_days_refused_even_when_non_working_days_allowed(settings):
    settings.ACTIVITY_ALLOW_NON_WORKING_DAYS = True
    # 18 days: the 17 working days plus Saturday 9 May.
    days = {d.day: "1" for d in month_calendar(month=MAY).days if d.is_working_day}
    days[may(9)] = "1"
    with pytest.raises(ValidationError) as error:
        _validate(days)
    assert error.value.message_dict["days"] == [
        "18 days declared, more than the 17 working days of May 2026."
    ]


def test_weekend_work_accepted_when_the_setting_allows_it(settings):
    settings.ACTIVITY_ALLOW_NON_WORKING_DAYS = True
    assert _validate({may(9): "1", may(14): "0.5"}) == {
        may(9): Decimal("1.0"),
        may(14): Decimal("0.5"),
    }


def test_all_working_days_of_may_fit_exactly():
    days = {d.day: "1" for d in month_calendar(month=MAY).days if d.is_working_day}
    assert sum(_validate(days).values()) == Decimal("17")
