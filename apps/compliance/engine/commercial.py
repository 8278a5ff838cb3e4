"""check_commercial_contract: PR-01..PR-06, PR-17 and the dependence screening."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..data import exclusion_rule_for_code
from ..minimum import minimum_salary_check
from ..periods import equivalent_end, mission_limit_date, months_and_days, months_in_days
from ..rules import rule_value
from ..types import Finding
from .common import block, duration_text, eligibility_findings, sort_findings, warn
from .facts import CommercialContractFacts


def _client(facts: CommercialContractFacts) -> list[Finding]:
    """PR-01 (L1254-1): the client is a company identified by a SIREN or a foreign company id."""
    if not facts.client_is_company:
        return [
            block(
                "PR-01",
                "client_not_company",
                _(
                    "The client must be a company: portage cannot serve a private individual "
                    "(L1254-1, PR-01)."
                ),
                {},
            )
        ]
    if not facts.client_identifier_ok:
        return [
            block(
                "PR-01",
                "client_identifier_missing",
                _(
                    "The client has no valid company identifier: record its SIREN (or, for a "
                    "foreign company, its registration number) (L1254-1, PR-01)."
                ),
                {},
            )
        ]
    return []


def _activity(facts: CommercialContractFacts) -> list[Finding]:
    """PR-02 (L1254-5: no services à la personne) and DW- codes (PR-04, D4154-1)."""
    code = (facts.activity_code or "").strip()
    if not code:
        return [
            block(
                "PR-02",
                "activity_missing",
                _(
                    "The activity category of the prestation is missing: it is needed to check "
                    "the activities excluded from portage (L1254-5, PR-02)."
                ),
                {},
            )
        ]
    rule_id = exclusion_rule_for_code(code)
    if rule_id == "PR-02":
        return [
            block(
                "PR-02",
                "activity_excluded",
                _(
                    "The activity %(activity_code)s is a personal service (services à la "
                    "personne), which cannot be performed in portage (L1254-5, D7231-1, PR-02)."
                ),
                {"activity_code": code},
            )
        ]
    if rule_id == "PR-04":
        return [
            block(
                "PR-04",
                "activity_dangerous_work",
                _(
                    "The activity %(activity_code)s is a particularly dangerous work listed "
                    "under D4154-1, forbidden in portage (L1254-4, PR-04)."
                ),
                {"activity_code": code},
            )
        ]
    return []


def _occasional_task(facts: CommercialContractFacts) -> list[Finding]:
    """PR-03 (L1254-3): occasional task outside the normal activity, or a lacking expertise."""
    if (facts.occasional_task_justification or "").strip():
        return []
    return [
        warn(
            "PR-03",
            "occasional_task_justification_missing",
            _(
                "Explain why the client uses portage: an occasional task outside its normal and "
                "permanent activity, or an expertise it does not have (L1254-3, PR-03)."
            ),
            {},
        )
    ]


def _forbidden_purposes(facts: CommercialContractFacts) -> list[Finding]:
    """PR-04 (L1254-4 I): no replacement of strikers, no D4154-1 dangerous work."""
    findings = []
    if facts.not_replacing_striker is None:
        findings.append(
            block(
                "PR-04",
                "striker_declaration_missing",
                _(
                    "Declare that the prestation does not replace an employee on strike: "
                    "this explicit declaration is required before signature (L1254-4, PR-04)."
                ),
                {},
            )
        )
    elif not facts.not_replacing_striker:
        findings.append(
            block(
                "PR-04",
                "replaces_striker",
                _(
                    "A prestation in portage may not replace an employee whose contract is "
                    "suspended by a strike (L1254-4, PR-04)."
                ),
                {},
            )
        )
    if facts.dangerous_work:
        findings.append(
            block(
                "PR-04",
                "dangerous_work",
                _(
                    "A prestation in portage may not include the particularly dangerous works "
                    "listed under D4154-1 (L1254-4, L4154-1, PR-04)."
                ),
                {},
            )
        )
    return findings


def _mission_duration(facts: CommercialContractFacts) -> list[Finding]:
    """PR-05 (L1254-4 II): 36 months per consultant and client, counted in days (periods.py)."""
    on = facts.on_date
    max_months = rule_value("mission_max_months", on)
    warn_months = rule_value("mission_warn_months", on)
    first = facts.first_start_with_client
    cumulated = facts.cumulated_days_with_client
    max_days = months_in_days(first, max_months)
    months, days = months_and_days(first, equivalent_end(first, cumulated))
    reference_end = facts.end_date or equivalent_end(first, cumulated)
    limit = mission_limit_date(
        first_start=first, cumulated_days=cumulated, end_date=reference_end, max_months=max_months
    )
    figures = {
        "first_start": first.isoformat(),
        "end_date": facts.end_date.isoformat() if facts.end_date else "",
        "cumulated_days": str(cumulated),
        "months": str(months),
        "days": str(days),
        "max_months": str(max_months),
        "max_days": str(max_days),
        "warn_months": str(warn_months),
        "limit_date": limit.isoformat(),
    }
    words = {"duration": duration_text(months, days)}
    findings = []
    if facts.end_date is None:
        findings.append(
            warn(
                "PR-05",
                "mission_end_date_missing",
                _(
                    "The prestation has no end date, so the legal maximum of %(max_months)s "
                    "months cannot be checked; without a break it is reached on "
                    "%(limit_date)s (L1254-4, PR-05)."
                ),
                figures,
            )
        )
    if cumulated > max_days:
        findings.append(
            block(
                "PR-05",
                "mission_too_long",
                _(
                    "The missions of this consultant with this client would last %(duration)s "
                    "(%(cumulated_days)s days of prestation from %(first_start)s to "
                    "%(end_date)s), over the legal maximum of %(max_months)s months, reached "
                    "on %(limit_date)s (L1254-4, PR-05)."
                ),
                figures,
                words,
            )
        )
    elif cumulated >= months_in_days(first, warn_months):
        findings.append(
            warn(
                "PR-05",
                "mission_near_limit",
                _(
                    "The missions of this consultant with this client will last %(duration)s "
                    "(%(cumulated_days)s days of prestation since %(first_start)s), close to "
                    "the legal maximum of %(max_months)s months, reached on %(limit_date)s "
                    "(L1254-4, PR-05)."
                ),
                figures,
                words,
            )
        )
    return findings


def _dependence(facts: CommercialContractFacts) -> list[Finding]:
    """Share of the consultant's 12-month turnover from this client (screening, WARN only)."""
    share = facts.client_share_12m
    if share is None:
        return []
    warn_at = rule_value("dependence_warn_percent", facts.on_date)
    alert_at = rule_value("dependence_alert_percent", facts.on_date)
    figures = {"share": str(share), "warn_percent": str(warn_at), "alert_percent": str(alert_at)}
    if share > alert_at:
        return [
            warn(
                "PR-03",
                "client_dependence_very_high",
                _(
                    "This client represents %(share)s %% of the consultant's turnover over 12 "
                    "months (above %(alert_percent)s %%): confirm that the prestation is an "
                    "occasional task or an expertise the client lacks, and that the consultant "
                    "keeps his autonomy (L1254-3, L1254-2, PR-03)."
                ),
                figures,
            )
        ]
    if share > warn_at:
        return [
            warn(
                "PR-03",
                "client_dependence_high",
                _(
                    "This client represents %(share)s %% of the consultant's turnover over 12 "
                    "months (above %(warn_percent)s %%): risk of economic dependence "
                    "(L1254-3, L1254-2, PR-03)."
                ),
                figures,
            )
        ]
    return []


def check_commercial_contract(facts: CommercialContractFacts) -> list[Finding]:
    """Every finding on a commercial contract, blocking ones first."""
    findings = [
        *_client(facts),
        *_activity(facts),
        *_occasional_task(facts),
        *_forbidden_purposes(facts),
        *_mission_duration(facts),
        *eligibility_findings(
            facts.consultant_eligible,
            facts.consultant_eligibility_complete,
            facts.consultant_eligibility_message,
        ),
    ]
    if facts.pricing_kind == "daily_rate":
        minimum = minimum_salary_check(
            daily_rate=facts.daily_rate,
            days_per_month=facts.estimated_days_per_month,
            management_fee_rate=facts.management_fee_rate,
            classification=facts.consultant_classification,
            status_cadre=facts.consultant_status_cadre,
            on_date=facts.on_date,
            working_time_mode="days",
        )
        if minimum:
            findings.append(minimum)
    findings += _dependence(facts)
    return sort_findings(findings)
