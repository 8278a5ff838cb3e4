"""The term of a CDD after signature: renewals (L1254-17, PR-12) and the one prospection
extension (L1254-13, PR-13). The limits themselves are decided by the compliance engine on
the facts the contract would have after the change: nothing is saved when a finding blocks.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.compliance.engine import check_employment_contract
from apps.core.errors import DomainError

from ..models import EmploymentContract, EmploymentContractRenewal
from ._common import (
    lock,
    refuse_blocking,
    refuse_if_closed,
    save,
    schedule_pdf,
    set_history_user,
)
from .checks import employment_contract_facts, months_at_level_1

# Rules that decide whether the term may move (18 months / 2 renewals, +3 months, imprecise
# term, level 1 for more than 24 months at the new end: PR-27 "BLOCK renewal at level 1").
TERM_RULES = frozenset({"PR-12", "PR-13", "PR-14", "PR-27"})


def _precise_cdd_in_force(contract: EmploymentContract, *, action) -> None:
    refuse_if_closed(contract, action=action)
    if not contract.is_cdd:
        raise DomainError(
            _("%(action)s refused: only a CDD has a term; %(reference)s is a CDI.")
            % {"action": action, "reference": contract.reference},
            code="not_a_cdd",
        )
    if contract.term_type != EmploymentContract.TermType.PRECISE:
        raise DomainError(
            _(
                "%(action)s refused: a CDD with an imprecise term ends with its prestation and "
                "has no end date to move."
            )
            % {"action": action},
            code="imprecise_term",
        )
    if contract.status not in (EmploymentContract.Status.SIGNED, EmploymentContract.Status.ACTIVE):
        raise DomainError(
            _(
                "%(action)s refused: contract %(reference)s is not signed yet; change its end "
                "date in the draft instead."
            )
            % {"action": action, "reference": contract.reference},
            code="not_signed",
        )


def _refuse_term_findings(contract: EmploymentContract, *, action, **overrides) -> None:
    facts = employment_contract_facts(contract=contract, **overrides)
    findings = check_employment_contract(facts)
    refuse_blocking([f for f in findings if f.rule_id in TERM_RULES], action=action)


@transaction.atomic
def employment_contract_renew(
    *,
    contract: EmploymentContract,
    by,
    new_end_date: date,
    reason: str,
    signed_on: date | None = None,
) -> EmploymentContract:
    """Renew a signed or active CDD with a precise term until `new_end_date` (an avenant
    agreed on `signed_on`, before the current end). At most 2 renewals and 18 months in all
    (PR-12), never after the prospection extension."""
    action = _("Renewal")
    locked = lock(contract)
    _precise_cdd_in_force(locked, action=action)
    if locked.prospection_extension_end:
        raise DomainError(
            _(
                "Renewal refused: the term of %(reference)s was already postponed for "
                "prospection until %(end)s (L1254-13)."
            )
            % {"reference": locked.reference, "end": locked.prospection_extension_end},
            code="already_extended",
        )
    current_end = locked.planned_end_date
    signed_on = signed_on or timezone.localdate()
    errors = {}
    if not new_end_date or new_end_date <= current_end:
        errors["new_end_date"] = _(
            "The new end date must be after the current end date (%(end)s)."
        ) % {"end": current_end.isoformat()}
    if signed_on > current_end:
        errors["signed_on"] = _(
            "A renewal must be agreed before the current end date (%(end)s, L1254-17)."
        ) % {"end": current_end.isoformat()}
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the renewal.")
    if errors:
        raise ValidationError(errors)
    number = locked.renewal_count + 1
    _refuse_term_findings(
        locked,
        action=action,
        end_date=new_end_date,
        renewal_count=number,
        months_at_level_1=months_at_level_1(locked, new_end_date),
    )
    renewal = EmploymentContractRenewal(
        contract=locked,
        number=number,
        previous_end_date=current_end,
        new_end_date=new_end_date,
        signed_on=signed_on,
        reason=reason.strip(),
        created_by=by,
    )
    renewal.full_clean()
    renewal.save()
    set_history_user(locked, by)
    locked.save(update_fields=["updated_at"])
    schedule_pdf(locked)
    return EmploymentContract.objects.get(pk=locked.pk)


@transaction.atomic
def employment_contract_extend_for_prospection(
    *, contract: EmploymentContract, by, extension_end: date, reason: str
) -> EmploymentContract:
    """Postpone the term of a CDD once, by agreement, to let the consultant prospect new
    clients: at most 3 months after the end including renewals (L1254-13, PR-13)."""
    action = _("Prospection extension")
    locked = lock(contract)
    _precise_cdd_in_force(locked, action=action)
    if locked.prospection_extension_end:
        raise DomainError(
            _(
                "Prospection extension refused: the term of %(reference)s was already postponed "
                "until %(end)s; L1254-13 allows one postponement."
            )
            % {"reference": locked.reference, "end": locked.prospection_extension_end},
            code="already_extended",
        )
    planned_end = locked.planned_end_date
    errors = {}
    if not extension_end or extension_end <= planned_end:
        errors["extension_end"] = _(
            "The extension must end after the current end date (%(end)s)."
        ) % {"end": planned_end.isoformat()}
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the extension (the agreement reached).")
    if errors:
        raise ValidationError(errors)
    _refuse_term_findings(
        locked, action=action, prospection_extension_days=(extension_end - planned_end).days
    )
    locked.prospection_extension_end = extension_end
    locked.prospection_extension_reason = reason.strip()
    save(locked, by=by, update_fields=["prospection_extension_end", "prospection_extension_reason"])
    schedule_pdf(locked)
    return locked
