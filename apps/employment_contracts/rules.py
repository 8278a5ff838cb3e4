"""Rules of the employment contract itself: date arithmetic, trial periods, working time, the
mandatory mentions of the contract document (EC-xx of docs/contracts-law.md).

The limits that compliance checks (PR-12 18 months / 2 renewals, PR-13 +3 months, PR-15,
PR-27 ...) live in apps/compliance (rules.py + engine.py); this module only keeps what the
contract form validates field by field, as dated parameters with their source.
"""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.compliance.periods import add_months, period_last_day
from apps.compliance.rules import rule_source, rule_value

__all__ = ["add_months", "last_day_of_period"]


def last_day_of_period(start: date, months: int) -> date:
    """Last day of a period of `months` months starting on `start`, both days included
    (compliance.periods.period_last_day: months counted "de date à date").

    How every "maximum N months" of this app is counted: a CDD starting on 1 January 2026
    may last 18 months, i.e. end on 30 June 2027 at the latest (= start + 18 months - 1 day);
    ending on 1 July 2027 would be 18 months and one day.
    """
    return period_last_day(start, months)


def months_begun(start: date, on: date) -> int:
    """Number of months begun in the period [start, on], both days included (0 before start).

    1 January -> 31 December is 12 months; 1 January -> 1 January of the next year is a 13th
    month begun, i.e. "more than 12 months". Used for time spent at classification level 1
    (PR-27): `months_begun(...) > 24` exactly when the period exceeds 24 months.
    """
    if on < start:
        return 0
    # month number k begins on add_months(start, k): count the k >= 0 that began by `on`
    last = (on.year - start.year) * 12 + (on.month - start.month)
    if add_months(start, last) > on:
        last -= 1
    return last + 1


# --- trial period (EC-C09) --------------------------------------------------------------------
# Each entry: valid_from, the values, source. Selected by the contract's start date.
TRIAL_PERIOD_RULES: list[dict] = [
    {
        "valid_from": date(2017, 7, 1),
        # CDI: legal maximum of the category, CCN art. 19.1 (renewable once by express
        # agreement: the renewal is a separate written agreement, not this first period).
        "cdi_max_months": {"cadre": 4, "non_cadre": 3},
        # CDD: L1242-10 (made applicable by L1254-18): 1 day per week of contract, at most
        # 2 weeks when the contract lasts 6 months or less, 1 month beyond; for an imprecise
        # term the minimum duration is the basis.
        "cdd_days_per_week": 1,
        "cdd_short_contract_months": 6,
        "cdd_short_max_days": 14,
        "cdd_long_max_months": 1,
        "source": "CCN IDCC 3219 art. 19.1, 19.2; Code du travail L1242-10",
    },
]

# --- working time (EC-C10) --------------------------------------------------------------------
# The forfait jours default (218) and cap (229) are compliance parameters (CCN 27.1.2-27.1.3);
# the weekly maximum for hours is the legal one.
WORKING_TIME_RULES: list[dict] = [
    {
        "valid_from": date(2017, 7, 1),
        "max_hours_per_week": 48,
        "source": "Code du travail L3121-20 (48 hours in one week)",
    },
]


def _dated(rules: list[dict], on: date | None) -> dict:
    on = on or timezone.localdate()
    applicable = [rule for rule in rules if rule["valid_from"] <= on]
    if not applicable:
        return min(rules, key=lambda rule: rule["valid_from"])
    return max(applicable, key=lambda rule: rule["valid_from"])


def trial_period_rule(on: date | None = None) -> dict:
    return _dated(TRIAL_PERIOD_RULES, on)


def working_time_rule(on: date | None = None) -> dict:
    """Forfait jours default and cap (compliance rules) and the weekly maximum of hours."""
    on = on or timezone.localdate()
    return {
        **_dated(WORKING_TIME_RULES, on),
        "forfait_days_default": rule_value("forfait_days_per_year", on),
        "forfait_days_cap": rule_value("forfait_days_cap", on),
        "forfait_source": rule_source("forfait_days_cap", on),
    }


def trial_period_last_day(
    *, kind: str, start: date, status_cadre: str, contract_last_day: date | None
) -> date | None:
    """Latest allowed last day of the trial period, or None when no maximum can be computed
    (CDD without an end date or minimum duration yet)."""
    rule = trial_period_rule(start)
    if kind == "cdi":
        months = rule["cdi_max_months"].get(status_cadre, rule["cdi_max_months"]["non_cadre"])
        return last_day_of_period(start, months)
    if contract_last_day is None:
        return None
    contract_days = (contract_last_day - start).days + 1
    by_weeks = (contract_days // 7) * rule["cdd_days_per_week"]
    if contract_last_day <= last_day_of_period(start, rule["cdd_short_contract_months"]):
        cap_last_day = start + timedelta(days=rule["cdd_short_max_days"] - 1)
    else:
        cap_last_day = last_day_of_period(start, rule["cdd_long_max_months"])
    if by_weeks == 0:
        return start - timedelta(days=1)  # under a week: no trial period possible
    return min(start + timedelta(days=by_weeks - 1), cap_last_day)


# --- mandatory mentions of the contract document ----------------------------------------------
# (ID, short label) of docs/contracts-law.md §2; the PDF template prints one section per ID and
# the tests assert that every ID of the contract's kind is in the rendered text.
CDD_MENTIONS: list[tuple[str, str]] = [
    ("EC-D01", _("Title: fixed-term employment contract in portage salarial (L1254-14)")),
    ("EC-D02", _("End date and renewal clause (L1254-15 1° a)")),
    ("EC-D03", _("Calculation of pay, business bonus, charges and management fees")),
    ("EC-D04", _("Deduction of professional expenses")),
    ("EC-D05", _("Consultant's skills, qualifications and fields of expertise")),
    ("EC-D06", _("Trial period")),
    ("EC-D07", _("Paid leave")),
    ("EC-D08", _("Supplementary pension fund and provident body")),
    ("EC-D09", _("Frequency of activity reports")),
    ("EC-D10", _("Financial guarantor")),
    ("EC-D11", _("Identity and address of the client company")),
    ("EC-D12", _("Object of the prestation and conditions of performance")),
    ("EC-D13", _("Duration of the prestation")),
    ("EC-D14", _("Imprecise term: minimum duration and ending event")),
    ("EC-D15", _("Price of the prestation and its breakdown")),
    ("EC-D16", _("Client's responsibility for working conditions")),
    ("EC-D17", _("Personal protective equipment")),
    ("EC-D18", _("Civil-liability insurer and policy number")),
]
CDI_MENTIONS: list[tuple[str, str]] = [
    ("EC-I01", _("Title: permanent employment contract in portage salarial (L1254-20)")),
    ("EC-I02", _("Calculation of pay applied to the price of each prestation")),
    ("EC-I03", _("Deduction of professional expenses")),
    ("EC-I04", _("Consultant's skills, qualifications and fields of expertise")),
    ("EC-I05", _("Paid leave")),
    ("EC-I06", _("Trial period")),
    ("EC-I07", _("Pension fund and provident body")),
    ("EC-I08", _("Frequency of activity reports")),
    ("EC-I09", _("Financial guarantor")),
    ("EC-I10", _("Periods without prestation are not paid")),
    ("EC-I11", _("One commercial contract per mission")),
]
# IDCC 3219 clauses printed on both kinds (EC-C01 ... EC-C13; EC-C08 and EC-C14 are CDI only).
CCN_CLAUSES_BOTH = [
    "EC-C01",
    "EC-C02",
    "EC-C03",
    "EC-C04",
    "EC-C05",
    "EC-C06",
    "EC-C07",
    "EC-C09",
    "EC-C10",
    "EC-C11",
    "EC-C12",
    "EC-C13",
]
CCN_CLAUSES_CDI_ONLY = ["EC-C08", "EC-C14"]


def mention_ids(kind: str) -> list[str]:
    """Every EC-xx ID the contract document of this kind must show."""
    if kind == "cdi":
        return [code for code, _label in CDI_MENTIONS] + CCN_CLAUSES_BOTH + CCN_CLAUSES_CDI_ONLY
    return [code for code, _label in CDD_MENTIONS] + CCN_CLAUSES_BOTH
