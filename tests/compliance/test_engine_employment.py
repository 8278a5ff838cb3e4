"""check_employment_contract: one test per rule and per threshold edge (pure, no database)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from apps.compliance.engine import Severity, check_employment_contract, has_blocking

from .factories import codes, employment_facts

START = date(2025, 6, 15)
CDD_LIMIT = date(2026, 12, 14)  # 2025-06-15 + 18 months - 1 day


def only(findings, code):
    matching = [finding for finding in findings if finding.code == code]
    assert len(matching) == 1, codes(findings)
    return matching[0]


def test_a_compliant_cdd_has_no_finding():
    assert check_employment_contract(employment_facts()) == []


def test_a_compliant_cdi_has_no_finding_and_skips_cdd_rules():
    facts = employment_facts(
        kind="cdi",
        end_date=None,
        end_of_contract_indemnity_rate=None,
        linked_commercial_contracts=3,
        renewal_count=0,
    )
    assert check_employment_contract(facts) == []


# --- PR-12 18 months ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "blocked"),
    [
        (CDD_LIMIT - timedelta(days=1), False),
        (CDD_LIMIT, False),
        (CDD_LIMIT + timedelta(days=1), True),
    ],
    ids=["day-before", "day-of", "day-after"],
)
def test_pr12_18_months_edges(end, blocked):
    findings = check_employment_contract(employment_facts(start_date=START, end_date=end))
    assert ("cdd_too_long" in codes(findings)) is blocked


def test_pr12_message_gives_duration_and_limit():
    finding = only(
        check_employment_contract(employment_facts(start_date=START, end_date=date(2027, 1, 14))),
        "cdd_too_long",
    )
    assert (finding.rule_id, finding.severity) == ("PR-12", Severity.BLOCK)
    assert (finding.figures["months"], finding.figures["days"]) == ("19", "0")
    assert finding.figures["limit_date"] == "2026-12-14"
    assert "19 months" in finding.message and "2026-12-14" in finding.message


@pytest.mark.parametrize(("renewals", "blocked"), [(1, False), (2, False), (3, True)])
def test_pr12_at_most_two_renewals(renewals, blocked):
    findings = check_employment_contract(employment_facts(renewal_count=renewals))
    assert ("cdd_too_many_renewals" in codes(findings)) is blocked


def test_pr12_imprecise_term_minimum_duration_over_18_months_is_blocked():
    facts = employment_facts(term_type="imprecise", end_date=None, minimum_duration_months=19)
    assert (
        only(check_employment_contract(facts), "cdd_minimum_duration_too_long").rule_id == "PR-12"
    )
    ok = employment_facts(term_type="imprecise", end_date=None, minimum_duration_months=18)
    assert check_employment_contract(ok) == []


# --- PR-13 prospection postponement --------------------------------------------------------


PROSPECTION_END = date(2026, 12, 14)  # + 3 months = 2027-03-14, that is 90 days later


@pytest.mark.parametrize(
    ("days", "blocked"), [(89, False), (90, False), (91, True)], ids=["before", "of", "after"]
)
def test_pr13_prospection_extension_edges(days, blocked):
    assert (date(2027, 3, 14) - PROSPECTION_END).days == 90
    findings = check_employment_contract(
        employment_facts(
            start_date=START, end_date=PROSPECTION_END, prospection_extension_days=days
        )
    )
    assert ("prospection_extension_too_long" in codes(findings)) is blocked
    # the postponement is beyond the 18 months: it never triggers PR-12
    assert "cdd_too_long" not in codes(findings)


# --- PR-14 term -----------------------------------------------------------------------------


def test_pr14_precise_term_needs_an_end_date():
    finding = only(
        check_employment_contract(employment_facts(end_date=None)), "cdd_end_date_missing"
    )
    assert (finding.rule_id, finding.severity) == ("PR-14", Severity.BLOCK)


def test_pr14_imprecise_term_needs_a_minimum_duration():
    facts = employment_facts(term_type="imprecise", end_date=None, minimum_duration_months=None)
    assert only(check_employment_contract(facts), "cdd_minimum_duration_missing").rule_id == "PR-14"


# --- PR-18 end-of-contract indemnity --------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "code"),
    [
        (None, "cdd_indemnity_rate_missing"),
        (Decimal("9.99"), "cdd_indemnity_rate_too_low"),
        (Decimal("10.00"), None),
        (Decimal("12.00"), None),
    ],
)
def test_pr18_indemnity_rate(rate, code):
    findings = check_employment_contract(employment_facts(end_of_contract_indemnity_rate=rate))
    found = [f for f in findings if f.rule_id == "PR-18"]
    assert codes(found) == ([code] if code else [])
    if code:
        assert found[0].severity == Severity.BLOCK


# --- PR-15 one CDD, one prestation ---------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "code"),
    [(0, "cdd_without_mission"), (1, None), (2, "cdd_several_missions")],
)
def test_pr15_linked_commercial_contracts(count, code):
    findings = check_employment_contract(employment_facts(linked_commercial_contracts=count))
    found = [f for f in findings if f.rule_id == "PR-15"]
    assert codes(found) == ([code] if code else [])
    assert not has_blocking(findings)


# --- PR-27 level 1 --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "code"),
    [
        (21, None),
        (22, "level_1_near_limit"),
        (23, "level_1_near_limit"),
        (24, "level_1_near_limit"),
        (25, "level_1_too_long"),
    ],
)
def test_pr27_level_1_edges(months, code):
    facts = employment_facts(classification=1, months_at_level_1=months, expected_daily_rate=None)
    found = [f for f in check_employment_contract(facts) if f.rule_id == "PR-27"]
    assert codes(found) == ([code] if code else [])
    if code == "level_1_too_long":
        assert found[0].severity == Severity.BLOCK


def test_pr27_only_level_1_and_only_after_avenant_12():
    assert check_employment_contract(employment_facts(classification=2, months_at_level_1=30)) == []
    before = employment_facts(
        on_date=date(2024, 7, 17), classification=1, months_at_level_1=30, expected_daily_rate=None
    )
    assert "level_1_too_long" not in codes(check_employment_contract(before))


# --- EC-C10 forfait jours -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "code", "severity"),
    [
        (218, None, None),
        (219, "forfait_days_above_standard", Severity.WARN),
        (229, "forfait_days_above_standard", Severity.WARN),
        (230, "forfait_days_over_cap", Severity.BLOCK),
    ],
)
def test_forfait_days_edges(days, code, severity):
    found = [
        f
        for f in check_employment_contract(employment_facts(days_per_year=days))
        if f.rule_id == "EC-C10"
    ]
    assert codes(found) == ([code] if code else [])
    if code:
        assert found[0].severity == severity


def test_forfait_days_for_a_non_cadre_warns():
    findings = check_employment_contract(employment_facts(status_cadre="non_cadre"))
    assert only(findings, "forfait_days_non_cadre").severity == Severity.WARN
    hours = employment_facts(
        status_cadre="non_cadre", working_time_mode="hours", days_per_year=None
    )
    assert "forfait_days_non_cadre" not in codes(check_employment_contract(hours))


# --- PR-06 / PR-17 --------------------------------------------------------------------------


def test_pr06_not_eligible_blocks_the_employment_contract():
    facts = employment_facts(consultant_eligible=False, consultant_eligibility_message="No.")
    assert only(check_employment_contract(facts), "consultant_not_eligible").rule_id == "PR-06"


def test_pr17_expected_rate_below_the_minimum_warns():
    facts = employment_facts(expected_daily_rate=Decimal("150.00"), classification=4)
    finding = only(check_employment_contract(facts), "minimum_salary_not_reachable")
    assert finding.figures["level"] == "4"
    assert finding.severity == Severity.WARN


def test_unknown_choices_are_refused():
    for field, value in (("kind", "interim"), ("term_type", "x"), ("working_time_mode", "weeks")):
        with pytest.raises(ValueError, match=field):
            employment_facts(**{field: value})
