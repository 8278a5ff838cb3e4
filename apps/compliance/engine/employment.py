"""check_employment_contract: PR-06, PR-12..PR-15, PR-17, PR-18, PR-27, EC-C10."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext as _

from ..minimum import minimum_salary_check
from ..periods import add_months, months_and_days, period_last_day
from ..rules import rule_value
from ..types import Finding
from .common import block, duration_text, eligibility_findings, sort_findings, warn
from .facts import EmploymentContractFacts


def _cdd_term(facts: EmploymentContractFacts) -> list[Finding]:
    """PR-14 (L1254-11): a precise end date, or a minimum duration for an imprecise term."""
    if facts.term_type == "precise" and facts.end_date is None:
        return [
            block(
                "PR-14",
                "cdd_end_date_missing",
                _(
                    "A fixed-term contract with a precise term needs its end date (L1254-11, PR-14)."
                ),
                {},
            )
        ]
    if facts.term_type == "imprecise" and not facts.minimum_duration_months:
        return [
            block(
                "PR-14",
                "cdd_minimum_duration_missing",
                _(
                    "A fixed-term contract without a precise term needs a minimum duration "
                    "(L1254-11, PR-14)."
                ),
                {},
            )
        ]
    return []


def _cdd_duration(facts: EmploymentContractFacts) -> list[Finding]:
    """PR-12 (L1254-12, L1254-17): 18 months renewals included, at most 2 renewals."""
    on = facts.on_date
    max_months = rule_value("cdd_max_months", on)
    max_renewals = rule_value("cdd_max_renewals", on)
    findings = []
    if facts.end_date is not None:
        limit = period_last_day(facts.start_date, max_months)
        months, days = months_and_days(facts.start_date, facts.end_date)
        if facts.end_date > limit:
            words = {"duration": duration_text(months, days)}
            figures = {
                "start_date": facts.start_date.isoformat(),
                "end_date": facts.end_date.isoformat(),
                "months": str(months),
                "days": str(days),
                "max_months": str(max_months),
                "limit_date": limit.isoformat(),
            }
            findings.append(
                block(
                    "PR-12",
                    "cdd_too_long",
                    _(
                        "The fixed-term contract would last %(duration)s (from %(start_date)s to "
                        "%(end_date)s, renewals included), over the legal maximum of "
                        "%(max_months)s months ending on %(limit_date)s (L1254-12, PR-12)."
                    ),
                    figures,
                    words,
                )
            )
    if facts.minimum_duration_months and facts.minimum_duration_months > max_months:
        findings.append(
            block(
                "PR-12",
                "cdd_minimum_duration_too_long",
                _(
                    "The minimum duration of %(minimum_months)s months exceeds the legal "
                    "maximum of %(max_months)s months of a fixed-term contract (L1254-12, PR-12)."
                ),
                {
                    "minimum_months": str(facts.minimum_duration_months),
                    "max_months": str(max_months),
                },
            )
        )
    if facts.renewal_count > max_renewals:
        findings.append(
            block(
                "PR-12",
                "cdd_too_many_renewals",
                _(
                    "The fixed-term contract would be renewed %(renewals)s times; it can be "
                    "renewed at most %(max_renewals)s times (L1254-17, PR-12)."
                ),
                {"renewals": str(facts.renewal_count), "max_renewals": str(max_renewals)},
            )
        )
    return findings


def _cdd_prospection(facts: EmploymentContractFacts) -> list[Finding]:
    """PR-13 (L1254-13): the term may be postponed by at most 3 months to prospect."""
    if facts.prospection_extension_days <= 0 or facts.end_date is None:
        return []
    max_months = rule_value("cdd_prospection_max_months", facts.on_date)
    extended_end = facts.end_date + timedelta(days=facts.prospection_extension_days)
    limit = add_months(facts.end_date, max_months)
    if extended_end <= limit:
        return []
    figures = {
        "end_date": facts.end_date.isoformat(),
        "extended_end": extended_end.isoformat(),
        "extension_days": str(facts.prospection_extension_days),
        "max_months": str(max_months),
        "limit_date": limit.isoformat(),
    }
    return [
        block(
            "PR-13",
            "prospection_extension_too_long",
            _(
                "The postponement to prospect new clients would move the term from "
                "%(end_date)s to %(extended_end)s; it may not go beyond %(max_months)s months, "
                "that is %(limit_date)s (L1254-13, PR-13)."
            ),
            figures,
        )
    ]


def _cdd_indemnity(facts: EmploymentContractFacts) -> list[Finding]:
    """PR-18 (L1243-8, CCN 21.3): end-of-contract indemnity rate recorded, at least 10 %."""
    minimum = rule_value("cdd_end_of_contract_indemnity_rate", facts.on_date)
    rate = facts.end_of_contract_indemnity_rate
    figures = {"rate": "" if rate is None else str(rate), "minimum_rate": str(minimum)}
    if rate is None:
        return [
            block(
                "PR-18",
                "cdd_indemnity_rate_missing",
                _(
                    "Record the end-of-contract indemnity rate of the fixed-term contract "
                    "(at least %(minimum_rate)s %%, L1243-8, PR-18)."
                ),
                figures,
            )
        ]
    if rate < minimum:
        return [
            block(
                "PR-18",
                "cdd_indemnity_rate_too_low",
                _(
                    "The end-of-contract indemnity rate of %(rate)s %% is below the minimum of "
                    "%(minimum_rate)s %% (L1243-8, CCN IDCC 3219 art. 21.3, PR-18)."
                ),
                figures,
            )
        ]
    return []


def _cdd_missions(facts: EmploymentContractFacts) -> list[Finding]:
    """PR-15 (CCN 17.1): one CDD for one prestation at one client."""
    count = facts.linked_commercial_contracts
    figures = {"count": str(count)}
    if count > 1:
        return [
            warn(
                "PR-15",
                "cdd_several_missions",
                _(
                    "This fixed-term contract is linked to %(count)s commercial contracts: a "
                    "fixed-term contract covers one prestation at one client; use a permanent "
                    "contract for several (CCN IDCC 3219 art. 17.1, PR-15)."
                ),
                figures,
            )
        ]
    if count == 0:
        return [
            warn(
                "PR-15",
                "cdd_without_mission",
                _(
                    "This fixed-term contract is linked to no commercial contract: it must "
                    "cover one prestation at one client (CCN IDCC 3219 art. 17.1, PR-15)."
                ),
                figures,
            )
        ]
    return []


def _level_1(facts: EmploymentContractFacts) -> list[Finding]:
    """PR-27 (CCN art. 37, avenant 12): level 1 at most 24 months (missions of same nature)."""
    if facts.classification != 1:
        return []
    max_months = rule_value("level1_max_months", facts.on_date, default=None)
    if max_months is None:  # before avenant n° 12
        return []
    warn_months = rule_value("level1_warn_months", facts.on_date)
    figures = {
        "months": str(facts.months_at_level_1),
        "max_months": str(max_months),
        "warn_months": str(warn_months),
    }
    if facts.months_at_level_1 > max_months:
        return [
            block(
                "PR-27",
                "level_1_too_long",
                _(
                    "The consultant would stay %(months)s months at level 1 (premier niveau); "
                    "the branch agreement allows at most %(max_months)s months for missions of "
                    "the same nature: raise the classification (CCN IDCC 3219 art. 37, PR-27)."
                ),
                figures,
            )
        ]
    if facts.months_at_level_1 >= warn_months:
        return [
            warn(
                "PR-27",
                "level_1_near_limit",
                _(
                    "The consultant has been %(months)s months at level 1 (premier niveau); "
                    "the branch agreement allows at most %(max_months)s months for missions of "
                    "the same nature (CCN IDCC 3219 art. 37, PR-27)."
                ),
                figures,
            )
        ]
    return []


def _forfait_days(facts: EmploymentContractFacts) -> list[Finding]:
    """EC-C10 (CCN 27.1): forfait jours for cadres, 218 days a year, never above 229."""
    if facts.working_time_mode != "days":
        return []
    standard = rule_value("forfait_days_per_year", facts.on_date)
    cap = rule_value("forfait_days_cap", facts.on_date)
    days = facts.days_per_year or standard
    figures = {"days": str(days), "standard_days": str(standard), "cap_days": str(cap)}
    findings = []
    if days > cap:
        findings.append(
            block(
                "EC-C10",
                "forfait_days_over_cap",
                _(
                    "A forfait of %(days)s days a year exceeds the cap of %(cap_days)s days of "
                    "the branch agreement (CCN IDCC 3219 art. 27.1.3)."
                ),
                figures,
            )
        )
    elif days > standard:
        findings.append(
            warn(
                "EC-C10",
                "forfait_days_above_standard",
                _(
                    "A forfait of %(days)s days a year is above the standard %(standard_days)s "
                    "days: the extra days need a yearly written agreement with a premium of at "
                    "least 10 %% (CCN IDCC 3219 art. 27.1.3)."
                ),
                figures,
            )
        )
    if facts.status_cadre != "cadre":
        findings.append(
            warn(
                "EC-C10",
                "forfait_days_non_cadre",
                _(
                    "A forfait in days is meant for consultants with executive (cadre) status "
                    "and autonomy (CCN IDCC 3219 art. 27.1.1)."
                ),
                figures,
            )
        )
    return findings


def check_employment_contract(facts: EmploymentContractFacts) -> list[Finding]:
    """Every finding on an employment contract, blocking ones first."""
    findings = eligibility_findings(
        facts.consultant_eligible,
        facts.consultant_eligibility_complete,
        facts.consultant_eligibility_message,
    )
    if facts.kind == "cdd":
        findings += _cdd_term(facts)
        findings += _cdd_duration(facts)
        findings += _cdd_prospection(facts)
        findings += _cdd_indemnity(facts)
        findings += _cdd_missions(facts)
    findings += _level_1(facts)
    findings += _forfait_days(facts)
    minimum = minimum_salary_check(
        daily_rate=facts.expected_daily_rate,
        days_per_month=facts.expected_days_per_month,
        management_fee_rate=facts.management_fee_rate,
        classification=facts.classification,
        status_cadre=facts.status_cadre,
        on_date=facts.on_date,
        working_time_mode=facts.working_time_mode,
        days_per_year=facts.days_per_year,
        contract_kind=facts.kind,
    )
    if minimum:
        findings.append(minimum)
    return sort_findings(findings)
