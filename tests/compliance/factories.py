"""Facts built by hand for the pure engine, and model factories for the database tests."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import factory

from apps.compliance.engine import CommercialContractFacts, EmploymentContractFacts
from apps.compliance.models import ContractAlert

ON = date(2026, 3, 2)


def commercial_facts(**overrides) -> CommercialContractFacts:
    """A compliant one-year mission: company client, IT consulting, TJM 600 x 18 days."""
    facts = CommercialContractFacts(
        on_date=ON,
        client_is_company=True,
        client_identifier_ok=True,
        activity_code="IT-CONSULTING",
        occasional_task_justification="Migration project the client has no in-house skills for.",
        not_replacing_striker=True,
        dangerous_work=False,
        start_date=date(2026, 3, 2),
        end_date=date(2027, 3, 1),
        cumulated_days_with_client=365,
        first_start_with_client=date(2026, 3, 2),
        pricing_kind="daily_rate",
        daily_rate=Decimal("600.00"),
        fixed_price=None,
        estimated_days_per_month=Decimal("18"),
        management_fee_rate=Decimal("7.00"),
        consultant_status_cadre="cadre",
        consultant_classification=3,
        client_share_12m=Decimal("40"),
        consultant_eligible=True,
        consultant_eligibility_complete=True,
        consultant_eligibility_message="Eligible (L1254-2 / CCN art. 2.2): diploma level 7.",
    )
    return replace(facts, **overrides)


def employment_facts(**overrides) -> EmploymentContractFacts:
    """A compliant 12-month CDD, level 3, forfait 218 days, one commercial contract."""
    facts = EmploymentContractFacts(
        on_date=ON,
        kind="cdd",
        start_date=date(2026, 3, 2),
        end_date=date(2027, 3, 1),
        term_type="precise",
        minimum_duration_months=None,
        renewal_count=0,
        prospection_extension_days=0,
        cdd_reason="Prestation at one client",
        end_of_contract_indemnity_rate=Decimal("10.00"),
        linked_commercial_contracts=1,
        classification=3,
        months_at_level_1=0,
        working_time_mode="days",
        days_per_year=218,
        consultant_eligible=True,
        consultant_eligibility_complete=True,
        consultant_eligibility_message="Eligible (L1254-2 / CCN art. 2.2): diploma level 7.",
        expected_daily_rate=Decimal("600.00"),
        expected_days_per_month=Decimal("18"),
        management_fee_rate=Decimal("7.00"),
        status_cadre="cadre",
    )
    return replace(facts, **overrides)


def codes(findings) -> list[str]:
    return [finding.code for finding in findings]


class ContractAlertFactory(factory.django.DjangoModelFactory):
    """Alerts need a saved document: by default a consultant (any model works)."""

    class Meta:
        model = ContractAlert

    content_object = factory.SubFactory("tests.consultants.factories.ConsultantFactory")
    kind = "end_date"
    threshold_days = 30
    due_date = date(2026, 12, 31)
    message = factory.Sequence(lambda n: f"Contract {n} ends on 2026-12-31.")
