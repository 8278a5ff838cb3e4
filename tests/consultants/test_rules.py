"""PR-06 eligibility: diploma level >= 5 (Bac+2) OR >= 3 years in the sector."""

from datetime import date
from decimal import Decimal

import pytest

from apps.consultants import rules
from apps.consultants.models import Consultant
from apps.consultants.rules import consultant_eligibility, eligibility_rule_for

L = Consultant.DiplomaLevel


def person(level, years):
    return Consultant(
        highest_diploma_level=level,
        years_of_experience=None if years is None else Decimal(years),
        management_fee_rate=Decimal("7.00"),  # no company-profile lookup: no database here
    )


@pytest.mark.parametrize(
    ("level", "years", "eligible"),
    [
        (L.LEVEL_5, "0", True),  # Bac+2 without experience
        (L.LEVEL_8, None, True),  # diploma alone is enough, experience unknown
        (L.LEVEL_4, "3", True),  # baccalauréat and exactly 3 years
        (None, "3", True),  # experience alone is enough, diploma unknown
        (L.LEVEL_4, "2.9", False),
        (L.LEVEL_4, "2", False),
        (L.NONE, "0", False),
    ],
)
def test_eligibility_thresholds(level, years, eligible):
    assert consultant_eligibility(person(level, years)).eligible is eligible


def test_refusal_cites_the_source_and_the_figures():
    result = consultant_eligibility(person(L.LEVEL_4, "2"))
    assert result.level == "refused"
    assert result.complete is True
    assert "L1254-2 / CCN art. 2.2" in result.message
    assert "diploma level 4 and 2 years of experience" in result.message
    assert "at least level 5 (Bac+2) or 3 years" in result.message


@pytest.mark.parametrize(("level", "years"), [(None, None), (L.LEVEL_4, None), (None, "1")])
def test_missing_data_is_a_warning_not_a_refusal(level, years):
    result = consultant_eligibility(person(level, years))
    assert result.eligible is False
    assert result.complete is False
    assert result.level == "warning"
    assert "Eligibility incomplete" in result.message


def test_rule_is_selected_by_date(monkeypatch):
    later = {
        "valid_from": date(2030, 1, 1),
        "min_diploma_level": 6,
        "min_years": Decimal("5"),
        "reference": "future rule",
        "source": "test",
    }
    monkeypatch.setattr(rules, "ELIGIBILITY_RULES", [*rules.ELIGIBILITY_RULES, later])
    assert eligibility_rule_for(date(2029, 12, 31))["min_diploma_level"] == 5
    assert eligibility_rule_for(date(2030, 1, 1))["min_diploma_level"] == 6
    bac2 = person(L.LEVEL_5, "0")
    assert consultant_eligibility(bac2, on=date(2029, 12, 31)).eligible is True
    assert consultant_eligibility(bac2, on=date(2030, 1, 1)).eligible is False


def test_current_rule_has_its_source():
    rule = eligibility_rule_for(date(2026, 1, 1))
    assert rule["min_diploma_level"] == 5
    assert rule["min_years"] == Decimal("3")
    assert "L1254-2" in rule["source"]
