"""Helpers shared by the commercial-contract services (not public)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.compliance.engine import Finding, Severity
from apps.core.errors import DomainError

from ..models import CommercialContract

# Rules whose BLOCK findings refuse creating, changing or amending a contract at all
# (PR-01 client is a company, PR-02 no services à la personne, PR-05 36 months). Other
# blocking findings (striker declaration, dangerous work, eligibility) refuse signature and
# activation but let a draft be saved and completed.
STRUCTURAL_RULES = frozenset({"PR-01", "PR-02", "PR-05"})


class ComplianceBlocked(DomainError):
    """A BLOCK finding refuses the action. `fields["findings"]` lists "rule: message"."""

    code = "compliance_blocked"
    status_code = 400


class WarningsNotAcknowledged(DomainError):
    code = "warnings_not_acknowledged"
    status_code = 400


def finding_line(finding: Finding) -> str:
    return f"{finding.rule_id}: {finding.message}"


def blocking(findings: list[Finding], rules: frozenset[str] | None = None) -> list[Finding]:
    return [
        finding
        for finding in findings
        if finding.severity == Severity.BLOCK and (rules is None or finding.rule_id in rules)
    ]


def warnings(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.severity == Severity.WARN]


def raise_if_blocked(findings: list[Finding], rules: frozenset[str] | None = None) -> None:
    """ComplianceBlocked naming every blocking rule and its message (with its figures)."""
    blocked = blocking(findings, rules)
    if not blocked:
        return
    raise ComplianceBlocked(
        _("Refused by the compliance check: %(findings)s")
        % {"findings": " ".join(finding_line(finding) for finding in blocked)},
        fields={"findings": [finding_line(finding) for finding in blocked]},
    )


def lock(contract: CommercialContract) -> CommercialContract:
    return CommercialContract.objects.select_for_update().get(pk=contract.pk)


def set_history_user(instance, user) -> None:
    # Only when given: None would hide the request user set by the history middleware.
    if user is not None:
        instance._history_user = user


def schedule_pdf(contract: CommercialContract) -> None:
    """Re-render the contract PDF after commit (the task does nothing if nothing changed)."""
    from ..tasks import render_commercial_contract_pdf

    contract_id = contract.pk
    transaction.on_commit(lambda: render_commercial_contract_pdf.delay(contract_id))
