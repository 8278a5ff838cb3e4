"""Dated parameters: the row in force on a date, with its source."""

from datetime import date
from decimal import Decimal

import pytest

from apps.compliance import rules
from apps.compliance.rules import PARAMETERS, RuleNotInForce, rule_entry, rule_source, rule_value


def test_every_parameter_row_is_dated_and_sourced():
    for name, rows in PARAMETERS.items():
        for row in rows:
            assert isinstance(row["valid_from"], date), name
            assert row["valid_to"] is None or row["valid_to"] >= row["valid_from"], name
            assert row["source"].strip(), name


def test_values_of_the_spec():
    on = date(2026, 6, 1)
    assert rule_value("mission_max_months", on) == 36
    assert rule_value("mission_warn_months", on) == 33
    assert rule_value("mission_limit_alert_days", on) == (90, 30)
    assert rule_value("cdd_max_months", on) == 18
    assert rule_value("cdd_max_renewals", on) == 2
    assert rule_value("cdd_prospection_max_months", on) == 3
    assert rule_value("cdd_end_of_contract_indemnity_rate", on) == Decimal("10.00")
    assert rule_value("level1_max_months", on) == 24
    assert rule_value("level1_warn_months", on) == 22
    assert rule_value("dependence_warn_percent", on) == 50
    assert rule_value("dependence_alert_percent", on) == 75
    assert rule_value("forfait_days_per_year", on) == 218
    assert "L1254-4" in rule_source("mission_max_months", on)


def test_the_row_in_force_is_chosen_by_date(monkeypatch):
    rows = [
        {
            "valid_from": date(2015, 4, 4),
            "valid_to": date(2026, 12, 31),
            "value": 50,
            "source": "a",
        },
        {"valid_from": date(2027, 1, 1), "valid_to": None, "value": 60, "source": "b"},
    ]
    monkeypatch.setitem(rules.PARAMETERS, "dependence_warn_percent", rows)
    assert rule_value("dependence_warn_percent", date(2026, 12, 31)) == 50
    assert rule_value("dependence_warn_percent", date(2027, 1, 1)) == 60
    assert rule_entry("dependence_warn_percent", date(2027, 1, 1))["source"] == "b"


def test_before_the_first_row_nothing_is_in_force():
    with pytest.raises(RuleNotInForce):
        rule_value("level1_max_months", date(2024, 7, 17))
    assert rule_value("level1_max_months", date(2024, 7, 17), default=None) is None
    assert rule_value("level1_max_months", date(2024, 7, 18)) == 24


def test_unknown_parameter_is_an_error():
    with pytest.raises(KeyError):
        rule_value("no_such_rule", date(2026, 1, 1))
