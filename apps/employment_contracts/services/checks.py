"""Compliance check of an employment contract: facts built from the models, rules applied by
apps.compliance.engine (PR-06, PR-12, PR-13, PR-15, PR-17, PR-27 ...), plus the findings on
the mandatory mentions the contract document needs (EC-xx, docs/contracts-law.md §2)."""

import dataclasses
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.commercial_contracts.selectors import (
    commercial_contract_latest_terms,
    commercial_contract_terms_at,
)
from apps.compliance.engine import (
    EmploymentContractFacts,
    Finding,
    Severity,
    check_employment_contract,
)
from apps.consultants.rules import consultant_eligibility
from apps.core.selectors import company_profile_get

from .. import rules
from ..models import EmploymentContract

# Company data printed in every contract (EC-D08/D10/D18, EC-I07/I09), read from the company
# profile: field -> (rule and article for a CDD, rule and article for a CDI or None when a CDI
# does not require it). The same field names as the commercial contract's CC-08/CC-09.
COMPANY_MENTION_FIELDS = {
    "financial_guarantor_name": (("EC-D10", "L1254-15 1° i"), ("EC-I09", "L1254-21 I 8°")),
    "pension_fund_name": (("EC-D08", "L1254-15 1° g"), ("EC-I07", "L1254-21 I 6°")),
    "rc_insurer_name": (("EC-D18", "L1254-15 2° h"), None),
    "rc_policy_number": (("EC-D18", "L1254-15 2° h"), None),
}
COMPANY_BODY_FIELDS = (
    "financial_guarantor_name",
    "financial_guarantor_address",
    "pension_fund_name",
    "pension_fund_address",
    "provident_body_name",
    "provident_body_address",
    "rc_insurer_name",
    "rc_insurer_address",
    "rc_policy_number",
)


def company_legal_bodies(company) -> dict[str, str]:
    """Financial guarantor, pension fund, provident body and civil-liability insurer of the
    company, as recorded on its profile ("" for what is not filled in)."""
    return {name: getattr(company, name).strip() for name in COMPANY_BODY_FIELDS}


def linked_commercial_contracts(contract: EmploymentContract) -> list:
    """The linked commercial contracts (from the prefetch when the selector made one)."""
    if contract.pk is None:
        return []
    return sorted(contract.commercial_contracts.all(), key=lambda cc: cc.pk)


def _contracts_for_terms(linked: list, on_date: date) -> list:
    """The linked commercial contracts whose terms fund the pay on `on_date`: those running
    that day, else the next ones to start (a contract signed before its mission starts)."""
    open_contracts = [cc for cc in linked if cc.status not in cc.CLOSED] or linked
    running = [cc for cc in open_contracts if cc.start_date <= on_date <= cc.effective_end]
    if running:
        return running
    upcoming = [cc for cc in open_contracts if cc.start_date > on_date]
    if upcoming:
        first = min(cc.start_date for cc in upcoming)
        return [cc for cc in upcoming if cc.start_date == first]
    return open_contracts[-1:]


def expected_terms(contract: EmploymentContract, on_date: date) -> tuple:
    """(daily rate, days per month) expected from the linked commercial contracts: days summed
    over the missions running together, rate weighted by their days. (None, None) if unknown."""
    turnover, days = Decimal("0"), Decimal("0")
    for commercial in _contracts_for_terms(linked_commercial_contracts(contract), on_date):
        terms = commercial_contract_terms_at(
            contract=commercial, on_date=on_date
        ) or commercial_contract_latest_terms(commercial)
        if terms is None:
            continue
        rate, per_month = terms.estimated_daily_rate, terms.estimated_days_per_month
        if rate is None or per_month is None:
            continue
        turnover += Decimal(rate) * Decimal(per_month)
        days += Decimal(per_month)
    if days <= 0:
        return None, None
    return (turnover / days).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), days


def months_at_level_1(contract: EmploymentContract, on_date: date) -> int:
    """Months begun at level 1 by `on_date` (rules.months_begun), so that the engine's
    "months > 24" (PR-27) holds exactly from the first day beyond 24 months: a consultant at
    level 1 since 1 January 2025 is blocked from 1 January 2027, not from 1 February."""
    if contract.classification != EmploymentContract.Classification.LEVEL_1:
        return 0
    return rules.months_begun(contract.level_1_start, on_date)


def employment_contract_facts(
    *, contract: EmploymentContract, on_date: date | None = None, **overrides
) -> EmploymentContractFacts:
    """The facts compliance checks; `overrides` replace some (a renewal being tried)."""
    on_date = on_date or timezone.localdate()
    eligibility = consultant_eligibility(contract.consultant, on=on_date)
    planned_end = contract.planned_end_date
    extension_days = 0
    if contract.prospection_extension_end and planned_end:
        extension_days = (contract.prospection_extension_end - planned_end).days
    daily_rate, days_per_month = expected_terms(contract, on_date)
    facts = EmploymentContractFacts(
        on_date=on_date,
        kind=contract.kind,
        start_date=contract.start_date,
        end_date=planned_end,
        # the engine wants a term type even for a CDI (it reads it for a CDD only)
        term_type=contract.term_type or EmploymentContract.TermType.PRECISE,
        minimum_duration_months=contract.minimum_duration_months,
        renewal_count=contract.renewal_count,
        prospection_extension_days=extension_days,
        cdd_reason=contract.cdd_reason,
        end_of_contract_indemnity_rate=contract.end_of_contract_indemnity_rate,
        linked_commercial_contracts=len(linked_commercial_contracts(contract)),
        classification=contract.classification,
        months_at_level_1=months_at_level_1(contract, on_date),
        working_time_mode=contract.working_time_mode,
        days_per_year=contract.days_per_year,
        consultant_eligible=eligibility.eligible,
        consultant_eligibility_complete=eligibility.complete,
        consultant_eligibility_message=eligibility.message,
        expected_daily_rate=daily_rate,
        expected_days_per_month=days_per_month,
        management_fee_rate=contract.management_fee_rate,
        status_cadre=contract.status_cadre,
    )
    return dataclasses.replace(facts, **overrides) if overrides else facts


def _finding(rule_id: str, severity: str, code: str, message: str, **figures) -> Finding:
    return Finding(
        rule_id=rule_id,
        severity=Severity(severity),
        code=code,
        message=message,
        figures={key: str(value) for key, value in figures.items()},
    )


def mention_findings(contract: EmploymentContract) -> list[Finding]:
    """What the contract document cannot be signed without (EC-xx) and the company data it
    prints. Anything missing blocks: sending for signature, signature and activation are
    refused until it is filled in (the PDF prints "à compléter" in its place)."""
    findings = []
    cdd = contract.is_cdd
    if not (contract.consultant_expertise or "").strip():
        findings.append(
            _finding(
                "EC-D05" if cdd else "EC-I04",
                "block",
                "mention_expertise_missing",
                _(
                    "The contract must state the consultant's skills, qualifications and fields of "
                    "expertise (%(article)s)."
                )
                % {"article": "L1254-15 1° d" if cdd else "L1254-21 I 3°"},
            )
        )
    if cdd and not linked_commercial_contracts(contract):
        findings.append(
            _finding(
                "EC-D11",
                "block",
                "mention_client_missing",
                _(
                    "A CDD must name the client company, the prestation, its duration and its "
                    "price (L1254-15 2°): link the commercial contract of the prestation."
                ),
            )
        )
    company = company_profile_get()
    if company is None:
        findings.append(
            _finding(
                "EC-D10" if cdd else "EC-I09",
                "block",
                "company_profile_missing",
                _(
                    "The company profile is missing: the contract cannot show the employer's "
                    "identity and financial guarantor."
                ),
            )
        )
        return findings
    bodies = company_legal_bodies(company)
    for field, (cdd_mention, cdi_mention) in COMPANY_MENTION_FIELDS.items():
        mention = cdd_mention if cdd else cdi_mention
        if mention is None or bodies[field]:
            continue
        rule_id, article = mention
        findings.append(
            _finding(
                rule_id,
                "block",
                f"company_{field}_missing",
                _(
                    "The company profile does not record %(item)s, which the contract must show "
                    "(%(article)s): complete the company profile."
                )
                % {"item": COMPANY_ITEM_LABELS[field](), "article": article},
                field=field,
            )
        )
    return findings


COMPANY_ITEM_LABELS = {
    "financial_guarantor_name": lambda: _("the financial guarantor"),
    "pension_fund_name": lambda: _("the supplementary pension fund"),
    "rc_insurer_name": lambda: _("the civil-liability insurer"),
    "rc_policy_number": lambda: _("the civil-liability policy number"),
}


def employment_contract_check(
    *, contract: EmploymentContract, on_date: date | None = None
) -> list[Finding]:
    """Every finding on the contract on `on_date` (today by default): compliance rules, then
    the mandatory mentions. Blocking findings refuse sending, signature and activation."""
    facts = employment_contract_facts(contract=contract, on_date=on_date)
    return [*check_employment_contract(facts), *mention_findings(contract)]


def findings_as_dicts(findings) -> list[dict]:
    """JSON-ready findings (API, admin)."""
    return [
        {
            "rule_id": finding.rule_id,
            "severity": str(finding.severity),
            "code": finding.code,
            "message": str(finding.message),
            "figures": dict(finding.figures),
        }
        for finding in findings
    ]
