"""Dated parameters of the portage rules (portage-rules.md PR-xx, docs/contracts-law.md).

Every threshold the compliance engine uses is a row here with the date it applies from, the
date it stops applying (None: still in force) and its source. A change of the law, of the
branch agreement or of company policy is a new row, never an edit of the old one, so a
contract checked for a past date keeps the rule in force on that date.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

ORDINANCE_2015 = date(2015, 4, 4)  # ordonnance n° 2015-380, in force 4 April 2015
CCN_2017 = date(2017, 7, 1)  # IDCC 3219, in force 1 July 2017 (CCN art. 3.1)
AVENANT_12 = date(2024, 7, 18)  # avenant n° 12, extension arrêté 10/07/2024, JO 17/07/2024

PARAMETERS: dict[str, list[dict[str, Any]]] = {
    # PR-05: one prestation at one client may not exceed 36 months.
    "mission_max_months": [
        {
            "valid_from": ORDINANCE_2015,
            "valid_to": None,
            "value": 36,
            "source": "Code du travail L1254-4 II (PR-05)",
        }
    ],
    "mission_warn_months": [
        {
            "valid_from": ORDINANCE_2015,
            "valid_to": None,
            "value": 33,
            "source": "Company policy: warn 3 months before the L1254-4 II limit (PR-05)",
        }
    ],
    # Daily job: days before a due date at which an alert is recorded (tightest first wins).
    "mission_limit_alert_days": [
        {
            "valid_from": ORDINANCE_2015,
            "valid_to": None,
            "value": (90, 30),
            "source": "Company policy: alerts 90 and 30 days before the 36-month limit (PR-05)",
        }
    ],
    "end_date_alert_days": [
        {
            "valid_from": ORDINANCE_2015,
            "valid_to": None,
            "value": (30,),
            "source": "Company policy: alert 30 days before a contract's end date",
        }
    ],
    "cdd_renewal_alert_days": [
        {
            "valid_from": ORDINANCE_2015,
            "valid_to": None,
            "value": (30,),
            "source": "Company policy: a CDD renewal must be signed before the term (L1254-17)",
        }
    ],
    # PR-12, PR-13: CDD limits.
    "cdd_max_months": [
        {
            "valid_from": ORDINANCE_2015,
            "valid_to": None,
            "value": 18,
            "source": "Code du travail L1254-12 (PR-12): renewals included",
        }
    ],
    "cdd_max_renewals": [
        {
            "valid_from": ORDINANCE_2015,
            "valid_to": None,
            "value": 2,
            "source": "Code du travail L1254-17 (PR-12)",
        }
    ],
    "cdd_prospection_max_months": [
        {
            "valid_from": ORDINANCE_2015,
            "valid_to": None,
            "value": 3,
            "source": "Code du travail L1254-13 (PR-13): by agreement, beyond the 18 months",
        }
    ],
    # PR-18: CDD end-of-contract indemnity.
    "cdd_end_of_contract_indemnity_rate": [
        {
            "valid_from": CCN_2017,
            "valid_to": None,
            "value": Decimal("10.00"),
            "source": "CCN IDCC 3219 art. 21.3, 21.4; Code du travail L1243-8 (PR-18)",
        }
    ],
    # PR-27: level 1 (premier niveau) at most 24 months for missions of the same nature.
    "level1_max_months": [
        {
            "valid_from": AVENANT_12,
            "valid_to": None,
            "value": 24,
            "source": "CCN IDCC 3219 art. 37 (avenant n° 12 of 20/12/2022) (PR-27)",
        }
    ],
    "level1_warn_months": [
        {
            "valid_from": AVENANT_12,
            "valid_to": None,
            "value": 22,
            "source": "Company policy: warn 2 months before the level-1 limit (PR-27)",
        }
    ],
    # Economic dependence: no French threshold; screening levels (contracts-law.md §5).
    "dependence_warn_percent": [
        {
            "valid_from": ORDINANCE_2015,
            "valid_to": None,
            "value": Decimal("50"),
            "source": (
                "Company policy (no legal threshold): more than half of the consultant's "
                "turnover over 12 months from one client, analogy § 12a TVG (DE); L1254-3"
            ),
        }
    ],
    "dependence_alert_percent": [
        {
            "valid_from": ORDINANCE_2015,
            "valid_to": None,
            "value": Decimal("75"),
            "source": (
                "Company policy (no legal threshold): analogy Ley 20/2007 art. 11 (ES); "
                "re-confirm the L1254-3 justification"
            ),
        }
    ],
    # Forfait jours (CCN 27.1.2-27.1.3).
    "forfait_days_per_year": [
        {
            "valid_from": CCN_2017,
            "valid_to": None,
            "value": 218,
            "source": "CCN IDCC 3219 art. 27.1.2 (218 days including the solidarity day)",
        }
    ],
    "forfait_days_cap": [
        {
            "valid_from": CCN_2017,
            "valid_to": None,
            "value": 229,
            "source": "CCN IDCC 3219 art. 27.1.3 (hard cap with extra days by yearly avenant)",
        }
    ],
    # Minimum-salary check (PR-17, PR-29): pro-rating and the payroll assumptions.
    "hours_per_day": [
        {
            "valid_from": ORDINANCE_2015,
            "valid_to": None,
            "value": Decimal("7"),
            "source": "Assumption: 35 hours a week over 5 days (Code du travail L3121-27)",
        }
    ],
    "monthly_hours_full_time": [
        {
            "valid_from": ORDINANCE_2015,
            "valid_to": None,
            "value": Decimal("151.67"),
            "source": "Code du travail L3121-27: 35 h x 52 / 12",
        }
    ],
    "minimum_check_headcount": [
        {
            "valid_from": ORDINANCE_2015,
            "valid_to": None,
            "value": 20,
            "source": (
                "Assumption used when the caller gives no headcount: the company profile's "
                "default (payroll thresholds 11/50/250 employees)"
            ),
        }
    ],
}

_MISSING = object()


class RuleNotInForce(LookupError):
    """No row of the parameter applies on the date asked."""


def rule_entry(name: str, on_date: date) -> dict[str, Any]:
    """The row of `name` in force on `on_date` (valid_from <= on_date <= valid_to)."""
    try:
        rows = PARAMETERS[name]
    except KeyError:
        raise KeyError(f"unknown compliance parameter {name!r}") from None
    applicable = [
        row
        for row in rows
        if row["valid_from"] <= on_date and (row["valid_to"] is None or on_date <= row["valid_to"])
    ]
    if not applicable:
        raise RuleNotInForce(f"{name}: no value in force on {on_date.isoformat()}")
    return max(applicable, key=lambda row: row["valid_from"])


def rule_value(name: str, on_date: date, default: Any = _MISSING) -> Any:
    """The value of `name` in force on `on_date`; `default` if none (else RuleNotInForce)."""
    try:
        return rule_entry(name, on_date)["value"]
    except RuleNotInForce:
        if default is _MISSING:
            raise
        return default


def rule_source(name: str, on_date: date) -> str:
    return rule_entry(name, on_date)["source"]
