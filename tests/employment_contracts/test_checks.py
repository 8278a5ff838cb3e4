"""employment_contract_check: the facts built from the models and the findings that matter for
an employment contract (PR-15, PR-27, PR-17 figures, mentions)."""

from datetime import date
from decimal import Decimal

import pytest

from apps.core.errors import DomainError
from apps.employment_contracts import services
from apps.employment_contracts.models import EmploymentContract

from .factories import (
    CommercialContractFactory,
    ConsultantFactory,
    cdd_create,
    cdi_create,
    company_profile_replaced,
    signed,
)

pytestmark = pytest.mark.django_db


def _rules(findings, severity=None) -> set[str]:
    return {f.rule_id for f in findings if severity is None or f.severity == severity}


def test_facts_come_from_the_contract_and_its_commercial_contract():
    contract = cdd_create()
    facts = services.employment_contract_facts(contract=contract, on_date=date(2026, 3, 1))
    assert facts.kind == "cdd" and facts.term_type == "precise"
    assert facts.start_date == date(2026, 1, 1) and facts.end_date == date(2026, 6, 30)
    assert facts.renewal_count == 0 and facts.prospection_extension_days == 0
    assert facts.linked_commercial_contracts == 1
    assert facts.end_of_contract_indemnity_rate == Decimal("10.00")
    # the commercial contract: 600 € a day, 110 days over 181 days (5.95 average months)
    assert facts.expected_daily_rate == Decimal("600.00")
    assert facts.expected_days_per_month == Decimal("18.5")
    assert facts.consultant_eligible is True
    assert facts.management_fee_rate == contract.management_fee_rate


def test_expected_terms_sum_the_missions_running_together():
    consultant = ConsultantFactory()
    first = CommercialContractFactory(consultant=consultant, terms__estimated_days=Decimal("60"))
    second = CommercialContractFactory(
        consultant=consultant,
        terms__daily_rate=Decimal("900.00"),
        terms__estimated_days=Decimal("30"),
    )
    contract = cdi_create(consultant=consultant, commercial_contracts=[first, second])
    rate, days = services.expected_terms(contract, date(2026, 4, 1))
    # both from 2 March to 31 August 2026 (183 days = 6.01 average months):
    # 60 days -> 10.0 a month at 600 €, 30 days -> 5.0 a month at 900 €
    assert days == Decimal("15.0")
    assert rate == Decimal("700.00")  # (600 x 10 + 900 x 5) / 15


def test_pr15_warns_when_a_cdd_covers_two_commercial_contracts(staff_user):
    contract = cdd_create()
    assert "PR-15" not in _rules(services.employment_contract_check(contract=contract))
    other = CommercialContractFactory(consultant=contract.consultant)
    contract = services.employment_contract_link_commercial_contracts(
        contract=contract, commercial_contracts=[other], by=staff_user
    )
    findings = [
        f for f in services.employment_contract_check(contract=contract) if f.rule_id == "PR-15"
    ]
    assert [(f.severity, f.figures["count"]) for f in findings] == [("warn", "2")]


def test_pr15_not_for_a_cdi_with_several_missions():
    consultant = ConsultantFactory()
    missions = [CommercialContractFactory(consultant=consultant) for _ in range(2)]
    contract = cdi_create(consultant=consultant, commercial_contracts=missions)
    assert "PR-15" not in _rules(services.employment_contract_check(contract=contract))


@pytest.mark.parametrize(
    ("on_date", "expected"),
    [
        (date(2026, 9, 30), None),  # 21 months at level 1: nothing yet
        (date(2026, 10, 1), "warn"),  # 22nd month begun: warning (PR-27 warns from 22)
        (date(2026, 12, 30), "warn"),  # day before the 24-month limit
        (date(2026, 12, 31), "warn"),  # day of the limit: exactly 24 months
        (date(2027, 1, 1), "block"),  # day after: more than 24 months
    ],
)
def test_pr27_level_1_for_more_than_24_months(on_date, expected):
    contract = cdi_create(
        classification=EmploymentContract.Classification.LEVEL_1,
        start_date=date(2025, 6, 1),
        level_1_since=date(2025, 1, 1),
    )
    findings = [
        f
        for f in services.employment_contract_check(contract=contract, on_date=on_date)
        if f.rule_id == "PR-27"
    ]
    assert [f.severity for f in findings] == ([expected] if expected else [])


@pytest.mark.parametrize(
    ("new_end", "allowed"),
    [(date(2026, 12, 30), True), (date(2026, 12, 31), True), (date(2027, 1, 1), False)],
    ids=["day-before", "day-of", "day-after"],
)
def test_pr27_renewal_at_level_1_beyond_24_months_refused(staff_user, new_end, allowed):
    consultant = ConsultantFactory()
    mission = CommercialContractFactory(
        consultant=consultant, start_date=date(2026, 1, 1), end_date=date(2027, 6, 30)
    )
    contract = signed(
        cdd_create(
            consultant=consultant,
            commercial_contracts=[mission],
            classification=EmploymentContract.Classification.LEVEL_1,
            level_1_since=date(2025, 1, 1),
            initial_end_date=date(2026, 6, 30),
        ),
        staff_user,
    )
    call = {
        "contract": contract,
        "by": staff_user,
        "new_end_date": new_end,
        "reason": "Prolongation",
        "signed_on": date(2026, 6, 1),
    }
    if allowed:
        assert services.employment_contract_renew(**call).planned_end_date == new_end
        return
    with pytest.raises(DomainError) as excinfo:
        services.employment_contract_renew(**call)
    assert any(line.startswith("PR-27:") for line in excinfo.value.fields["findings"])


def test_level_1_since_defaults_to_the_start_date():
    contract = cdi_create(classification=1, start_date=date(2026, 1, 1))
    facts = services.employment_contract_facts(contract=contract, on_date=date(2026, 3, 15))
    assert facts.months_at_level_1 == 3
    senior = cdi_create(classification=3)
    assert services.employment_contract_facts(contract=senior).months_at_level_1 == 0


def test_a_complete_company_profile_gives_no_company_finding():
    assert services.mention_findings(cdd_create()) == []
    assert services.mention_findings(cdi_create()) == []


@pytest.mark.parametrize(
    ("create", "field", "rule_id", "article"),
    [
        (cdd_create, "financial_guarantor_name", "EC-D10", "L1254-15 1° i"),
        (cdd_create, "pension_fund_name", "EC-D08", "L1254-15 1° g"),
        (cdd_create, "rc_insurer_name", "EC-D18", "L1254-15 2° h"),
        (cdd_create, "rc_policy_number", "EC-D18", "L1254-15 2° h"),
        (cdi_create, "financial_guarantor_name", "EC-I09", "L1254-21 I 8°"),
        (cdi_create, "pension_fund_name", "EC-I07", "L1254-21 I 6°"),
    ],
)
def test_an_empty_company_mention_blocks_with_its_rule_and_article(create, field, rule_id, article):
    company_profile_replaced(**{field: ""})
    findings = services.mention_findings(create())
    assert [(f.rule_id, f.severity, f.code) for f in findings] == [
        (rule_id, "block", f"company_{field}_missing")
    ]
    assert article in findings[0].message


@pytest.mark.parametrize(
    ("create", "field"),
    [
        # a CDI does not carry the insurer among its L1254-21 mentions
        (cdi_create, "rc_insurer_name"),
        (cdi_create, "rc_policy_number"),
        # the provident body is printed "where applicable" (L1254-15 1° g, L1254-21 I 6°)
        (cdd_create, "provident_body_name"),
        (cdi_create, "provident_body_name"),
    ],
)
def test_company_data_a_contract_does_not_require_does_not_block(create, field):
    company_profile_replaced(**{field: ""})
    assert services.mention_findings(create()) == []


def test_sending_is_refused_while_a_company_mention_is_empty(staff_user):
    company = company_profile_replaced(financial_guarantor_name="", rc_policy_number="")
    contract = cdd_create()
    with pytest.raises(DomainError) as excinfo:
        services.employment_contract_send_for_signature(contract=contract, by=staff_user)
    assert excinfo.value.code == "compliance_blocked"
    lines = excinfo.value.fields["findings"]
    assert [line.split(":")[0] for line in lines] == ["EC-D10", "EC-D18"]
    assert "financial guarantor" in lines[0] and "L1254-15 1° i" in lines[0]
    assert "policy number" in lines[1] and "L1254-15 2° h" in lines[1]
    contract.refresh_from_db()
    assert contract.status == EmploymentContract.Status.DRAFT

    company.financial_guarantor_name = "Banque Garante Exemple"
    company.rc_policy_number = "RCP-000123"
    company.save()
    contract = services.employment_contract_send_for_signature(contract=contract, by=staff_user)
    assert contract.status == EmploymentContract.Status.SENT_FOR_SIGNATURE


def test_check_returns_engine_and_mention_findings_with_figures():
    consultant = ConsultantFactory(highest_diploma_level=None, years_of_experience=None)
    findings = services.employment_contract_check(contract=cdd_create(consultant=consultant))
    eligibility = [f for f in findings if f.rule_id == "PR-06"]
    assert eligibility and eligibility[0].severity == "block"
    assert "detail" in eligibility[0].figures
    assert findings[0].severity == "block"  # blocking findings first


def test_pr17_warns_with_figures_when_the_daily_rate_cannot_fund_the_minimum():
    """150 € a day for 5 days a month cannot pay a level-3 consultant's minimum."""
    consultant = ConsultantFactory()
    mission = CommercialContractFactory(
        consultant=consultant,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 6, 30),
        terms__daily_rate=Decimal("150.00"),
        terms__estimated_days=Decimal("30"),
    )
    contract = cdd_create(consultant=consultant, commercial_contracts=[mission])
    findings = [
        f
        for f in services.employment_contract_check(contract=contract, on_date=date(2026, 3, 1))
        if f.rule_id == "PR-17"
    ]
    assert [f.severity for f in findings] == ["warn"]
    figures = findings[0].figures
    assert figures["daily_rate"] == "150.00" and figures["days_per_month"] == "5.0"
    assert figures["level"] == "3"
    assert Decimal(figures["minimum_daily_rate"]) > Decimal("150.00")


def test_pr17_silent_when_the_daily_rate_is_enough():
    contract = cdd_create()  # 600 € a day, 18.5 days a month
    findings = services.employment_contract_check(contract=contract, on_date=date(2026, 3, 1))
    assert "PR-17" not in _rules(findings)
