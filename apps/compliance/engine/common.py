"""Helpers shared by the commercial and employment checks."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..types import Finding, Severity


def has_blocking(findings: list[Finding]) -> bool:
    return any(finding.severity == Severity.BLOCK for finding in findings)


def block(
    rule_id: str, code: str, message: str, figures: dict[str, str], words: dict | None = None
) -> Finding:
    """`figures` are stored (language-neutral); `words` only fill the message."""
    return Finding(rule_id, Severity.BLOCK, code, message % {**figures, **(words or {})}, figures)


def warn(
    rule_id: str, code: str, message: str, figures: dict[str, str], words: dict | None = None
) -> Finding:
    return Finding(rule_id, Severity.WARN, code, message % {**figures, **(words or {})}, figures)


def duration_text(months: int, days: int) -> str:
    """A duration in words in the active language, e.g. "37 months", "36 months and 1 day"."""
    months_text = ngettext("%(count)s month", "%(count)s months", months) % {"count": months}
    if not days:
        return months_text
    days_text = ngettext("%(count)s day", "%(count)s days", days) % {"count": days}
    return _("%(months)s and %(days)s") % {"months": months_text, "days": days_text}


def eligibility_findings(eligible: bool, complete: bool, detail: str) -> list[Finding]:
    """PR-06 (L1254-2 I, CCN 2.2): diploma >= Bac+2 or 3 years' experience, recorded."""
    if eligible:
        return []
    figures = {"detail": detail}
    if not complete:
        return [
            block(
                "PR-06",
                "consultant_eligibility_incomplete",
                _(
                    "The consultant's eligibility for portage is not established, so no "
                    "contract can be signed until the diploma level or the experience is "
                    "recorded (L1254-2, PR-06): %(detail)s"
                ),
                figures,
            )
        ]
    return [
        block(
            "PR-06",
            "consultant_not_eligible",
            _(
                "The consultant does not meet the eligibility conditions of portage "
                "(L1254-2, PR-06): %(detail)s"
            ),
            figures,
        )
    ]


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda finding: finding.severity != Severity.BLOCK)
