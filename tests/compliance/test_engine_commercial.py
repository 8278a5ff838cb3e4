"""check_commercial_contract: one test per rule and per threshold edge (pure, no database)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from apps.compliance.engine import Severity, check_commercial_contract, has_blocking

from .factories import codes, commercial_facts


def only(findings, code):
    matching = [finding for finding in findings if finding.code == code]
    assert len(matching) == 1, codes(findings)
    return matching[0]


def test_a_compliant_contract_has_no_finding():
    findings = check_commercial_contract(commercial_facts())
    assert findings == []
    assert not has_blocking(findings)


# --- PR-01 client ---------------------------------------------------------------------------


def test_pr01_private_individual_client_is_blocked():
    finding = only(
        check_commercial_contract(commercial_facts(client_is_company=False)), "client_not_company"
    )
    assert (finding.rule_id, finding.severity) == ("PR-01", Severity.BLOCK)
    assert "PR-01" in finding.message


def test_pr01_company_without_identifier_is_blocked():
    findings = check_commercial_contract(commercial_facts(client_identifier_ok=False))
    assert only(findings, "client_identifier_missing").severity == Severity.BLOCK
    assert has_blocking(findings)


# --- PR-02 / PR-04 activity -----------------------------------------------------------------


def test_pr02_personal_service_activity_is_blocked():
    finding = only(
        check_commercial_contract(commercial_facts(activity_code="SAP-06")), "activity_excluded"
    )
    assert (finding.rule_id, finding.severity) == ("PR-02", Severity.BLOCK)
    assert finding.figures == {"activity_code": "SAP-06"}
    assert "SAP-06" in finding.message


def test_pr04_dangerous_work_activity_code_is_blocked():
    finding = only(
        check_commercial_contract(commercial_facts(activity_code="DW-01")),
        "activity_dangerous_work",
    )
    assert finding.rule_id == "PR-04"


def test_pr02_missing_activity_is_blocked():
    finding = only(
        check_commercial_contract(commercial_facts(activity_code=" ")), "activity_missing"
    )
    assert finding.severity == Severity.BLOCK


def test_allowed_activity_passes():
    assert "activity_excluded" not in codes(
        check_commercial_contract(commercial_facts(activity_code="TRAINING"))
    )


# --- PR-03 occasional task ------------------------------------------------------------------


def test_pr03_missing_justification_is_a_warning():
    finding = only(
        check_commercial_contract(commercial_facts(occasional_task_justification="  ")),
        "occasional_task_justification_missing",
    )
    assert (finding.rule_id, finding.severity) == ("PR-03", Severity.WARN)


# --- PR-04 forbidden purposes ---------------------------------------------------------------


def test_pr04_striker_declaration_missing_is_blocked():
    finding = only(
        check_commercial_contract(commercial_facts(not_replacing_striker=None)),
        "striker_declaration_missing",
    )
    assert (finding.rule_id, finding.severity) == ("PR-04", Severity.BLOCK)


def test_pr04_replacing_a_striker_is_blocked():
    findings = check_commercial_contract(commercial_facts(not_replacing_striker=False))
    assert only(findings, "replaces_striker").severity == Severity.BLOCK
    assert "striker_declaration_missing" not in codes(findings)


def test_pr04_dangerous_work_is_blocked():
    finding = only(
        check_commercial_contract(commercial_facts(dangerous_work=True)), "dangerous_work"
    )
    assert finding.rule_id == "PR-04"


# --- PR-05 36 months ------------------------------------------------------------------------

FIRST = date(2024, 1, 1)
LIMIT = date(2026, 12, 31)  # 2024-01-01 + 36 months - 1 day


def continuous(end: date, **overrides):
    return commercial_facts(
        start_date=date(2026, 1, 1),
        end_date=end,
        first_start_with_client=FIRST,
        cumulated_days_with_client=(end - FIRST).days + 1,
        **overrides,
    )


def test_pr05_day_before_the_limit_is_only_a_warning():
    findings = check_commercial_contract(continuous(LIMIT - timedelta(days=1)))
    assert "mission_too_long" not in codes(findings)
    assert only(findings, "mission_near_limit").severity == Severity.WARN


def test_pr05_day_of_the_limit_is_allowed():
    findings = check_commercial_contract(continuous(LIMIT))
    assert not has_blocking(findings)
    finding = only(findings, "mission_near_limit")
    assert "last 36 months (" in finding.message
    assert finding.figures["limit_date"] == "2026-12-31"


def test_pr05_day_after_the_limit_is_blocked():
    finding = only(
        check_commercial_contract(continuous(LIMIT + timedelta(days=1))), "mission_too_long"
    )
    assert (finding.rule_id, finding.severity) == ("PR-05", Severity.BLOCK)
    assert "36 months and 1 day" in finding.message
    assert "mission_near_limit" not in codes(
        check_commercial_contract(continuous(LIMIT + timedelta(days=1)))
    )


def test_pr05_message_gives_the_figures():
    finding = only(check_commercial_contract(continuous(date(2027, 1, 31))), "mission_too_long")
    assert finding.message == (
        "The missions of this consultant with this client would last 37 months (1127 days of "
        "prestation from 2024-01-01 to 2027-01-31), over the legal maximum of 36 months, "
        "reached on 2026-12-31 (L1254-4, PR-05)."
    )
    assert finding.figures["cumulated_days"] == "1127"
    assert finding.figures["max_days"] == "1096"


WARN_START = date(2026, 9, 30)  # 2024-01-01 + 33 months - 1 day


def test_pr05_warning_edge_33_months():
    assert "mission_near_limit" not in codes(
        check_commercial_contract(continuous(WARN_START - timedelta(days=1)))
    )
    assert "mission_near_limit" in codes(check_commercial_contract(continuous(WARN_START)))
    assert "mission_near_limit" in codes(
        check_commercial_contract(continuous(WARN_START + timedelta(days=1)))
    )


def test_pr05_gaps_are_not_counted_but_do_not_reset():
    # 37 months of calendar time, but a 2-month gap: 35 months of prestation -> warning only
    end = date(2027, 1, 31)
    gap_days = (date(2025, 3, 1) - date(2025, 1, 1)).days
    facts = commercial_facts(
        end_date=end,
        first_start_with_client=FIRST,
        cumulated_days_with_client=(end - FIRST).days + 1 - gap_days,
    )
    findings = check_commercial_contract(facts)
    assert "mission_too_long" not in codes(findings)
    finding = only(findings, "mission_near_limit")
    assert finding.figures["limit_date"] == (LIMIT + timedelta(days=gap_days)).isoformat()


def test_pr05_without_end_date_warns_and_still_blocks_a_past_excess():
    facts = commercial_facts(
        end_date=None, first_start_with_client=FIRST, cumulated_days_with_client=1200
    )
    assert {"mission_end_date_missing", "mission_too_long"} <= set(
        codes(check_commercial_contract(facts))
    )


# --- PR-06 eligibility ----------------------------------------------------------------------


def test_pr06_not_eligible_is_blocked_with_the_consultant_detail():
    detail = "Not eligible for portage (L1254-2 / CCN art. 2.2): diploma level 3 and 1 years."
    finding = only(
        check_commercial_contract(
            commercial_facts(consultant_eligible=False, consultant_eligibility_message=detail)
        ),
        "consultant_not_eligible",
    )
    assert (finding.rule_id, finding.severity) == ("PR-06", Severity.BLOCK)
    assert detail in finding.message


def test_pr06_incomplete_eligibility_is_blocked():
    finding = only(
        check_commercial_contract(
            commercial_facts(consultant_eligible=False, consultant_eligibility_complete=False)
        ),
        "consultant_eligibility_incomplete",
    )
    assert finding.severity == Severity.BLOCK


# --- economic dependence (PR-03 screening) -------------------------------------------------


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        (None, None),
        (Decimal("50.00"), None),
        (Decimal("50.01"), "client_dependence_high"),
        (Decimal("75.00"), "client_dependence_high"),
        (Decimal("75.01"), "client_dependence_very_high"),
        (Decimal("100"), "client_dependence_very_high"),
    ],
)
def test_dependence_thresholds(share, expected):
    findings = check_commercial_contract(commercial_facts(client_share_12m=share))
    found = [f for f in findings if f.code.startswith("client_dependence")]
    if expected is None:
        assert found == []
    else:
        assert codes(found) == [expected]
        assert found[0].severity == Severity.WARN
        assert found[0].figures["share"] == str(share)


# --- PR-17 minimum salary at quote time ----------------------------------------------------


def test_pr17_low_daily_rate_warns_with_figures():
    finding = only(
        check_commercial_contract(commercial_facts(daily_rate=Decimal("150.00"))),
        "minimum_salary_not_reachable",
    )
    assert (finding.rule_id, finding.severity) == ("PR-17", Severity.WARN)
    assert finding.figures["daily_rate"] == "150.00"
    assert Decimal(finding.figures["minimum_daily_rate"]) > Decimal("150")


def test_pr17_not_checked_for_a_fixed_price_or_without_classification():
    low = {"daily_rate": Decimal("150.00")}
    fixed = commercial_facts(pricing_kind="fixed_price", fixed_price=Decimal("5000"), **low)
    unknown_level = commercial_facts(consultant_classification=None, **low)
    assert "minimum_salary_not_reachable" not in codes(check_commercial_contract(fixed))
    assert "minimum_salary_not_reachable" not in codes(check_commercial_contract(unknown_level))


# --- shape ----------------------------------------------------------------------------------


def test_blocking_findings_come_first_and_messages_are_plain_strings():
    findings = check_commercial_contract(
        commercial_facts(occasional_task_justification="", client_is_company=False)
    )
    assert [f.severity for f in findings] == [Severity.BLOCK, Severity.WARN]
    assert all(type(f.message) is str for f in findings)
    assert all(isinstance(v, str) for f in findings for v in f.figures.values())
    assert findings[0].as_dict()["severity"] == "block"


def test_unknown_pricing_kind_is_refused():
    with pytest.raises(ValueError, match="pricing_kind"):
        commercial_facts(pricing_kind="hourly")
