"""Input checks shared by the simulators: numbers, ranges, periods, engine errors."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..engine import InversionError, PayslipInput, RatesError, RatesNotFound, load_rates
from ..engine.rates import latest_rates_period

ZERO = Decimal("0.00")
DAYS_MIN, DAYS_MAX = Decimal("0.5"), Decimal("23")
# Without a company profile (before setup), any fee from 0 to 30 % may be simulated.
FEE_FALLBACK_BOUNDS = (Decimal("0"), Decimal("30"))
MAX_DAILY_RATE = Decimal("10000")  # above, the figure is a typo, not a TJM
MAX_MONTHLY_AMOUNT = Decimal("1000000")  # a month's gross, employer cost or net
MAX_HEADCOUNT = 1_000_000
MAX_PAS_RATE = Decimal("60")  # highest personalised PAS rate is 43 %; leave room


def parse_period(value: str | date | None) -> date:
    """'YYYY-MM' (or a date) → the first day of that month; None → the current month."""
    if value is None or value == "":
        today = timezone.localdate()
        return today.replace(day=1)
    if isinstance(value, date):
        return value.replace(day=1)
    try:
        year, month = (int(part) for part in str(value).split("-"))
        return date(year, month, 1)
    except (TypeError, ValueError):
        raise ValidationError(
            {"period": _("Enter the pay period as YYYY-MM (for example 2026-01).")},
            code="invalid_period",
        ) from None


def simulation_period(value: str | date | None) -> tuple[date, str]:
    """The month to simulate, and a notice when it is not the one asked for.

    Only the default month falls back: when this month's payroll parameters are not
    published yet (early January, before the new year's rates file exists), the estimate
    uses the latest month that has them and says so. A period asked for explicitly is
    simulated on its own parameters or refused with the missing file named (engine_call).
    """
    period = parse_period(value)
    if value not in (None, ""):
        return period, ""
    try:
        load_rates(period)
    except RatesNotFound:
        fallback = latest_rates_period(period)
        if fallback is None:
            return period, ""
        notice = _(
            "The payroll parameters of %(month)s are not published yet: this estimate uses"
            " those of %(used)s."
        ) % {"month": f"{period:%m/%Y}", "used": f"{fallback:%m/%Y}"}
        return fallback, str(notice)
    return period, ""


def to_number(value, field: str) -> Decimal:
    if isinstance(value, float):
        value = str(value)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("Enter a number.")}, code="invalid") from None
    if not number.is_finite():
        raise ValidationError({field: _("Enter a number.")}, code="invalid")
    return number


def check_range(errors: dict, field: str, value: Decimal, low, high, message) -> None:
    if not low <= value <= high:
        errors[field] = ValidationError(
            message, code="out_of_range", params={"min": low, "max": high}
        )


def check_common(errors: dict, *, headcount, pas_rate, atmp_rate, mobility_rate, mutuelle) -> None:
    if isinstance(headcount, bool) or not isinstance(headcount, int):
        errors["headcount"] = ValidationError(_("Enter a whole number."), code="invalid")
    elif not 0 <= headcount <= MAX_HEADCOUNT:
        errors["headcount"] = ValidationError(
            _("The headcount must be between 0 and %(max)s."),
            code="out_of_range",
            params={"max": MAX_HEADCOUNT},
        )
    for field, value, high in (
        ("pas_rate", pas_rate, MAX_PAS_RATE),
        ("atmp_rate", atmp_rate, Decimal("20")),
        ("mobility_rate", mobility_rate, Decimal("5")),
    ):
        if value is not None:
            check_range(
                errors, field, value, Decimal(0), high,
                _("The rate must be between %(min)s %% and %(max)s %%."),
            )  # fmt: skip
    if mutuelle is not None:
        check_range(
            errors, "mutuelle", mutuelle, Decimal(0), Decimal("1000"),
            _("The monthly health insurance premium must be between %(min)s and %(max)s €."),
        )  # fmt: skip


def payslip_template(period: date, **fields) -> PayslipInput:
    mutuelle = fields.pop("mutuelle", None)
    atmp_rate = fields.pop("atmp_rate", None)
    mobility_rate = fields.pop("mobility_rate", None)
    extra = {}
    if mutuelle is not None:
        extra["mutuelle_total"] = mutuelle
    if atmp_rate is not None:
        extra["atmp_rate"] = atmp_rate
    if mobility_rate is not None:
        extra["mobility_rate"] = mobility_rate
    return PayslipInput(period=period, gross=ZERO, **fields, **extra)


def engine_call(call, *args):
    """Engine errors become field errors: a missing rates file names the file."""
    try:
        return call(*args)
    except RatesError as error:
        raise ValidationError({"period": str(error)}, code="no_rates") from error
    except InversionError as error:
        raise ValidationError(
            _("This amount is too small for a payslip (%(detail)s)."),
            code="unreachable",
            params={"detail": str(error)},
        ) from error


def management_fee_bounds_for_simulation() -> tuple[Decimal, Decimal]:
    from apps.core.selectors import company_profile_get

    profile = company_profile_get()
    if profile is None:
        return FEE_FALLBACK_BOUNDS
    return profile.min_management_fee_rate, profile.max_management_fee_rate


def working_days(period: date) -> int:
    """Monday-to-Friday days of the month (public holidays not deducted)."""
    days = calendar.monthrange(period.year, period.month)[1]
    return sum(
        1 for day in range(1, days + 1) if date(period.year, period.month, day).weekday() < 5
    )
