"""Month calendars for activity reports: weekends, French public holidays, the contract's
period, and the rules a set of worked days must follow.

Pure functions (no ORM): the report services and selectors pass the contract's dates and the
days worked.

Rules (docs/activity.md, "Activity reports"):
- a day is worked in full (1) or by half (0.5); nothing else;
- a day outside the contract (before its start, after its effective end) is refused;
- a weekend day or a public holiday of metropolitan France (the `holidays` package) is
  refused by default: commercial contracts have no field allowing work on those days, so
  such work needs the setting ACTIVITY_ALLOW_NON_WORKING_DAYS (then the day is accepted and
  shown as worked on a non-working day);
- the total may never exceed the working days of the month (weekdays minus holidays), even
  when non-working days are allowed: a consultant who works a Saturday does it instead of a
  weekday, not on top of a full month (working time in days, forfait-jours logic).
"""

from __future__ import annotations

import calendar as std_calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import holidays
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _

from ..models.reports import DayFraction

FULL = DayFraction.FULL
HALF = DayFraction.HALF
ZERO = Decimal("0")


# --- months -----------------------------------------------------------------------------------
def month_first(day: date) -> date:
    return day.replace(day=1)


def month_last(day: date) -> date:
    return day.replace(day=std_calendar.monthrange(day.year, day.month)[1])


def month_days(month: date) -> list[date]:
    first = month_first(month)
    return [first + timedelta(days=offset) for offset in range(month_last(first).day)]


def add_months(day: date, months: int) -> date:
    """First day of the month `months` after (or before) the month of `day`."""
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


# --- public holidays --------------------------------------------------------------------------
def _holiday_language() -> str:
    return "fr" if (translation.get_language() or "fr").startswith("fr") else "en_US"


@lru_cache(maxsize=64)
def _holidays_of(year: int, language: str) -> dict[date, str]:
    # No subdivision: metropolitan France (Alsace-Moselle's Good Friday and 26 December,
    # and the overseas departments' days, are not included).
    return dict(holidays.France(years=year, language=language).items())


def french_holidays(year: int) -> dict[date, str]:
    """{date: name} of the public holidays (jours fériés) of metropolitan France in `year`,
    named in the active language; cached per year and language."""
    return _holidays_of(year, _holiday_language())


def holiday_name(day: date) -> str:
    return french_holidays(day.year).get(day, "")


def is_weekend(day: date) -> bool:
    return day.weekday() >= 5


def working_days(month: date) -> int:
    """Weekdays of the month minus the public holidays falling on a weekday."""
    holidays_of_year = french_holidays(month.year)
    return sum(
        1 for day in month_days(month) if not is_weekend(day) and day not in holidays_of_year
    )


def non_working_days_allowed() -> bool:
    return bool(getattr(settings, "ACTIVITY_ALLOW_NON_WORKING_DAYS", False))


# --- the calendar of one report ---------------------------------------------------------------
@dataclass(frozen=True)
class CalendarDay:
    day: date
    is_weekend: bool
    holiday: str  # name of the public holiday, "" if none
    in_contract: bool
    fraction: Decimal = ZERO  # 0 when not worked

    @property
    def is_holiday(self) -> bool:
        return bool(self.holiday)

    @property
    def is_working_day(self) -> bool:
        return not self.is_weekend and not self.is_holiday

    @property
    def is_worked(self) -> bool:
        return self.fraction > 0

    @property
    def selectable(self) -> bool:
        """Can the consultant declare work on this day?"""
        if not self.in_contract:
            return False
        return self.is_working_day or non_working_days_allowed()

    @property
    def kind(self) -> str:
        """One word for templates and the API: outside / holiday / weekend / working."""
        if not self.in_contract:
            return "outside"
        if self.is_holiday:
            return "holiday"
        if self.is_weekend:
            return "weekend"
        return "working"

    @property
    def label(self) -> str:
        """A readable label of the state of the day (used as the title in the grid)."""
        if not self.in_contract:
            return str(_("Outside the contract period"))
        if self.is_holiday:
            return str(_("Public holiday: %(name)s") % {"name": self.holiday})
        if self.is_weekend:
            return str(_("Weekend"))
        return str(_("Working day"))

    @property
    def fraction_value(self) -> str:
        """ "1", "0.5" or "" (form values)."""
        if self.fraction == FULL:
            return "1"
        if self.fraction == HALF:
            return "0.5"
        return ""


@dataclass(frozen=True)
class MonthCalendar:
    month: date
    days: list[CalendarDay]
    working_days: int
    contract_start: date | None = None
    contract_end: date | None = None
    weeks: list[list[CalendarDay | None]] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((day.fraction for day in self.days), ZERO).quantize(Decimal("0.1"))

    @property
    def available_days(self) -> int:
        """Working days of the month inside the contract period."""
        return sum(1 for day in self.days if day.in_contract and day.is_working_day)

    @property
    def worked_days(self) -> list[CalendarDay]:
        return [day for day in self.days if day.is_worked]

    @property
    def holidays(self) -> list[CalendarDay]:
        return [day for day in self.days if day.is_holiday]


def _weeks(days: list[CalendarDay]) -> list[list[CalendarDay | None]]:
    """Monday-to-Sunday rows, padded with None before the 1st and after the last day."""
    cells: list[CalendarDay | None] = [None] * days[0].day.weekday() + list(days)
    cells += [None] * (-len(cells) % 7)
    return [cells[index : index + 7] for index in range(0, len(cells), 7)]


def month_calendar(
    *,
    month: date,
    contract_start: date | None = None,
    contract_end: date | None = None,
    worked: Mapping[date, Decimal] | None = None,
) -> MonthCalendar:
    """Every day of the month with its state and the fraction worked."""
    worked = worked or {}
    holidays_of_year = french_holidays(month.year)
    days = [
        CalendarDay(
            day=day,
            is_weekend=is_weekend(day),
            holiday=holidays_of_year.get(day, ""),
            in_contract=(contract_start is None or day >= contract_start)
            and (contract_end is None or day <= contract_end),
            fraction=Decimal(worked.get(day, ZERO)),
        )
        for day in month_days(month)
    ]
    return MonthCalendar(
        month=month_first(month),
        days=days,
        working_days=working_days(month),
        contract_start=contract_start,
        contract_end=contract_end,
        weeks=_weeks(days),
    )


# --- validation of the days declared ----------------------------------------------------------
def parse_fraction(value) -> Decimal:
    """1 / "1" / "1.0" -> 1.0; "0.5" / "½" -> 0.5; 0 / "" / None -> 0. Anything else: ValueError."""
    if value is None:
        return ZERO
    if isinstance(value, float):
        raise ValueError("float")
    text = str(value).strip().replace(",", ".")
    if text in {"", "-", "—"}:
        return ZERO
    if text == "½":
        return HALF
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise ValueError(text) from error
    if number == 0:
        return ZERO
    if number == FULL:
        return FULL
    if number == HALF:
        return HALF
    raise ValueError(text)


def format_days(value: Decimal) -> str:
    """17 -> "17", 16.5 -> "16.5" (never "1.7E+1")."""
    value = Decimal(value)
    return str(int(value)) if value == value.to_integral_value() else str(value.quantize(HALF))


def _date(day: date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def validate_days(
    *,
    month: date,
    days: Mapping[date, object],
    contract_start: date,
    contract_end: date,
) -> dict[date, Decimal]:
    """Check every declared day against the rules; returns {day: 1.0 or 0.5} for the days
    worked (zeros dropped). Raises ValidationError({"days": [every problem]}) naming each
    refused day, so that the caller writes nothing."""
    first, last = month_first(month), month_last(month)
    holidays_of_year = french_holidays(month.year)
    allow_non_working = non_working_days_allowed()
    errors: list[str] = []
    cleaned: dict[date, Decimal] = {}
    for day, raw in sorted(days.items(), key=lambda item: item[0]):
        try:
            fraction = parse_fraction(raw)
        except ValueError:
            errors.append(
                _("%(date)s: “%(value)s” is not a valid fraction; use 1 (full day) or 0.5.")
                % {"date": _date(day), "value": raw}
            )
            continue
        if fraction == ZERO:
            continue
        if not first <= day <= last:
            errors.append(
                _("%(date)s is not in the month of the report (%(month)s).")
                % {"date": _date(day), "month": formats.date_format(first, "YEAR_MONTH_FORMAT")}
            )
            continue
        if day < contract_start or day > contract_end:
            errors.append(
                _(
                    "%(date)s is outside the contract period (%(start)s to %(end)s): no work"
                    " can be declared on that day."
                )
                % {"date": _date(day), "start": _date(contract_start), "end": _date(contract_end)}
            )
            continue
        if not allow_non_working:
            holiday = holidays_of_year.get(day)
            if holiday:
                errors.append(
                    _(
                        "%(date)s is a public holiday (%(holiday)s): the contract does not"
                        " provide for work on public holidays."
                    )
                    % {"date": _date(day), "holiday": holiday}
                )
                continue
            if is_weekend(day):
                errors.append(
                    _(
                        "%(date)s is a weekend day: the contract does not provide for work"
                        " on weekends."
                    )
                    % {"date": _date(day)}
                )
                continue
        cleaned[day] = fraction
    if not errors:
        total = sum(cleaned.values(), ZERO)
        available = working_days(month)
        if total > available:
            errors.append(
                _("%(total)s days declared, more than the %(working)s working days of %(month)s.")
                % {
                    "total": format_days(total),
                    "working": available,
                    "month": formats.date_format(first, "YEAR_MONTH_FORMAT"),
                }
            )
    if errors:
        raise ValidationError({"days": errors})
    return cleaned
