"""Helpers shared by the services of this package (not part of the public API)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError, InvalidTransition

from ..models import EmploymentContract


def lock(contract: EmploymentContract) -> EmploymentContract:
    """The contract row locked for this transaction (SELECT ... FOR UPDATE)."""
    return EmploymentContract.objects.select_for_update().get(pk=contract.pk)


def set_history_user(contract: EmploymentContract, user) -> None:
    # Only when given: None would hide the request user set by the history middleware.
    if user is not None:
        contract._history_user = user


def save(contract: EmploymentContract, *, by, update_fields: list[str] | None = None):
    """Validate the whole record, then save, recording who did it in the history."""
    contract.full_clean()
    set_history_user(contract, by)
    if update_fields is not None:
        contract.save(update_fields=[*update_fields, "updated_at"])
    else:
        contract.save()
    return contract


def schedule_pdf(contract: EmploymentContract) -> None:
    """Render the contract PDF after the commit (the task is idempotent: fingerprint)."""
    from ..tasks import render_employment_contract_pdf

    contract_id = contract.pk
    transaction.on_commit(lambda: render_employment_contract_pdf.delay(contract_id))


def finding_lines(findings) -> list[str]:
    """Findings as "PR-12: message" lines for the error's `fields`."""
    return [f"{finding.rule_id}: {finding.message}" for finding in findings]


def refuse_blocking(findings, *, action: str) -> None:
    """Raise a `compliance_blocked` DomainError naming each blocking rule and its figures."""
    from apps.compliance.engine import Severity

    blocking = [finding for finding in findings if finding.severity == Severity.BLOCK]
    if not blocking:
        return
    raise DomainError(
        _("%(action)s refused: %(findings)s")
        % {"action": action, "findings": " ".join(finding_lines(blocking))},
        code="compliance_blocked",
        fields={"findings": finding_lines(blocking)},
    )


def refuse_if_closed(contract: EmploymentContract, *, action: str) -> None:
    if contract.status in EmploymentContract.FINAL_STATUSES:
        raise InvalidTransition(
            _("%(action)s refused: contract %(reference)s is already %(status)s.")
            % {
                "action": action,
                "reference": contract.reference,
                "status": contract.get_status_display().lower(),
            },
            code="contract_closed",
        )
