"""Create, change and move a commercial contract through its statuses.

Each service runs in one transaction, locks the contract row before a status change,
re-checks the state against CommercialContract.ALLOWED_TRANSITIONS, validates with
full_clean, and schedules the PDF rendering after commit.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.compliance.selectors import findings_unacknowledged
from apps.compliance.services import findings_acknowledge
from apps.core.errors import DomainError
from apps.core.sequences import format_number, sequence_next

from ..models import CommercialContract, CommercialContractVersion, ContractStatus
from ._common import (
    STRUCTURAL_RULES,
    WarningsNotAcknowledged,
    finding_line,
    lock,
    raise_if_blocked,
    schedule_pdf,
    set_history_user,
)
from .checks import commercial_contract_check
from .documents import company_mentions_missing, store_signed_pdf, validate_signed_pdf

# Fields create/update may set on the contract row. Status, dates of status changes, files
# and the reference change only through their own services.
CONTRACT_FIELDS = frozenset(
    {
        "client",
        "consultant",
        "description",
        "consultant_expertise",
        "activity_category",
        "occasional_task_justification",
        "not_replacing_striker",
        "dangerous_work",
        "protective_equipment",
        "place_of_work",
        "remote_allowed",
        "rebill_expenses",
        "purchase_order_reference",
        "payment_terms_note",
        "start_date",
        "end_date",
    }
)
# Fields of the original terms (version 0) that create/update may set.
TERMS_FIELDS = frozenset({"pricing_kind", "daily_rate", "fixed_price", "estimated_days"})


def _check_fields(fields: dict, allowed: frozenset) -> None:
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise ValidationError(
            {
                name: _("This field cannot be set here; use the dedicated action.")
                for name in unknown
            }
        )


def _validate_parties(contract: CommercialContract, changed: set[str]) -> None:
    """New contracts need an active client, a consultant still with the company and an
    activity category in use."""
    errors = {}
    if "client" in changed and not contract.client.is_active:
        errors["client"] = _(
            "The client “%(client)s” is deactivated: reactivate it to sign new contracts."
        ) % {"client": contract.client}
    if "consultant" in changed and contract.consultant.status == "left":
        errors["consultant"] = _("The consultant %(consultant)s has left the company.") % {
            "consultant": contract.consultant
        }
    if "activity_category" in changed and not contract.activity_category.is_active:
        errors["activity_category"] = _(
            "The activity category “%(category)s” is no longer in use."
        ) % {"category": contract.activity_category}
    if errors:
        raise ValidationError(errors)


def _save_original_terms(contract: CommercialContract, terms: dict, user) -> None:
    """Create or update version 0 from the contract's dates and the given terms."""
    version = contract.versions.filter(number=0).first() or CommercialContractVersion(
        contract=contract, number=0, created_by=user
    )
    version.start_date = contract.start_date
    version.end_date = contract.end_date
    version.effective_from = contract.start_date
    for name, value in terms.items():
        setattr(version, name, value)
    version.full_clean()
    version.save()


@transaction.atomic
def commercial_contract_create(
    *,
    client,
    consultant,
    description: str,
    activity_category,
    start_date: date,
    end_date: date,
    pricing_kind: str,
    daily_rate=None,
    fixed_price=None,
    estimated_days=None,
    created_by,
    **fields,
) -> CommercialContract:
    """A new draft with its original terms (version 0) and a reference CC-YYYY-NNNNNN.

    Refused (ComplianceBlocked, nothing saved) when the check blocks on PR-01, PR-02 or
    PR-05. The other findings are returned on `contract.findings`.
    """
    _check_fields(fields, CONTRACT_FIELDS - {"client", "consultant", "description"})
    contract = CommercialContract(
        client=client,
        consultant=consultant,
        description=description,
        activity_category=activity_category,
        start_date=start_date,
        end_date=end_date,
        created_by=created_by,
        **fields,
    )
    _validate_parties(contract, {"client", "consultant", "activity_category"})
    contract.full_clean(exclude=["reference"])
    year = timezone.localdate().year
    contract.reference = format_number(
        prefix="CC", year=year, number=sequence_next(series="CC", year=year)
    )
    set_history_user(contract, created_by)
    contract.save()
    _save_original_terms(
        contract,
        {
            "pricing_kind": pricing_kind,
            "daily_rate": daily_rate,
            "fixed_price": fixed_price,
            "estimated_days": estimated_days,
        },
        created_by,
    )
    findings = commercial_contract_check(contract=contract)
    raise_if_blocked(findings, STRUCTURAL_RULES)
    contract.findings = findings
    schedule_pdf(contract)
    return contract


@transaction.atomic
def commercial_contract_update(
    *, contract: CommercialContract, updated_by, **fields
) -> CommercialContract:
    """Change a draft (contract fields and original terms). Same refusals as creation."""
    _check_fields(fields, CONTRACT_FIELDS | TERMS_FIELDS)
    locked = lock(contract)
    if not locked.is_editable:
        raise DomainError(
            _(
                "Contract %(reference)s is “%(status)s”: only a draft can be changed."
                " Amend a signed contract instead."
            )
            % {"reference": locked.reference, "status": locked.get_status_display()},
            code="contract_not_editable",
        )
    terms = {name: fields.pop(name) for name in list(fields) if name in TERMS_FIELDS}
    for name, value in fields.items():
        setattr(locked, name, value)
    _validate_parties(locked, set(fields) & {"client", "consultant", "activity_category"})
    locked.full_clean()
    set_history_user(locked, updated_by)
    locked.save()
    if terms and "pricing_kind" in terms:
        # Switching the pricing clears the other price unless it is given too.
        other = "fixed_price" if terms["pricing_kind"] == "daily_rate" else "daily_rate"
        terms.setdefault(other, None)
    _save_original_terms(locked, terms, updated_by)
    findings = commercial_contract_check(contract=locked)
    raise_if_blocked(findings, STRUCTURAL_RULES)
    locked.findings = findings
    schedule_pdf(locked)
    return locked


@transaction.atomic
def commercial_contract_send_for_signature(
    *, contract: CommercialContract, by
) -> CommercialContract:
    """Draft -> sent for signature, once every mention the contract must carry is filled."""
    locked = lock(contract)
    locked.check_transition(ContractStatus.SENT_FOR_SIGNATURE)
    errors = {}
    if not locked.occasional_task_justification.strip():
        errors["occasional_task_justification"] = _(
            "PR-03 (L1254-3): state the occasional task or the expertise the client lacks"
            " before sending the contract."
        )
    if not locked.consultant_expertise.strip():
        errors["consultant_expertise"] = _(
            "Describe the consultant's skills, qualifications and fields of expertise"
            " (L1254-23 2°) before sending the contract."
        )
    if errors:
        raise ValidationError(errors)
    missing = company_mentions_missing()
    if missing:
        raise DomainError(
            _(
                "Sending for signature refused: the company profile lacks mandatory mentions "
                "of the contract: %(missing)s. Complete the company profile first."
            )
            % {"missing": "; ".join(missing)},
            code="company_mentions_missing",
            fields={"findings": missing},
        )
    findings = commercial_contract_check(contract=locked)
    raise_if_blocked(findings, STRUCTURAL_RULES)
    locked.status = ContractStatus.SENT_FOR_SIGNATURE
    locked.sent_for_signature_at = timezone.now()
    set_history_user(locked, by)
    locked.save(update_fields=["status", "sent_for_signature_at", "updated_at"])
    locked.findings = findings
    schedule_pdf(locked)
    return locked


@transaction.atomic
def commercial_contract_reopen(*, contract: CommercialContract, by) -> CommercialContract:
    """Sent for signature -> draft, when the client asks for changes before signing."""
    locked = lock(contract)
    locked.check_transition(ContractStatus.DRAFT)
    locked.status = ContractStatus.DRAFT
    locked.sent_for_signature_at = None
    set_history_user(locked, by)
    locked.save(update_fields=["status", "sent_for_signature_at", "updated_at"])
    return locked


def _acknowledge_or_refuse(locked, findings, *, user, acknowledge: bool) -> None:
    """Warnings not acknowledged yet on this contract (same code and figures) refuse the
    signature unless `acknowledge`; then they are recorded with `user`."""
    pending = findings_unacknowledged(obj=locked, findings=findings)
    if not pending:
        return
    if not acknowledge:
        raise WarningsNotAcknowledged(
            _("Acknowledge the warnings before signing: %(warnings)s")
            % {"warnings": " ".join(finding_line(finding) for finding in pending)},
            fields={"findings": [finding_line(finding) for finding in pending]},
        )
    findings_acknowledge(obj=locked, findings=pending, user=user)


@transaction.atomic
def commercial_contract_sign(
    *,
    contract: CommercialContract,
    by,
    signed_pdf=None,
    signed_by_client_name: str = "",
    signed_at: datetime | None = None,
    acknowledge_warnings: bool = False,
) -> CommercialContract:
    """Sent for signature -> signed, with the scan of the contract signed by the client.

    Refused when a finding blocks (any rule), or when there are warnings and
    `acknowledge_warnings` is False; acknowledged warnings are recorded with `by`.
    """
    locked = lock(contract)
    locked.check_transition(ContractStatus.SIGNED)
    if signed_pdf is None:
        raise ValidationError({"signed_pdf": _("Upload the contract signed by the client (PDF).")})
    validate_signed_pdf(signed_pdf)
    signed_at = signed_at or timezone.now()
    if signed_at > timezone.now():
        raise ValidationError({"signed_at": _("The signature date cannot be in the future.")})
    findings = commercial_contract_check(contract=locked)
    raise_if_blocked(findings)
    _acknowledge_or_refuse(locked, findings, user=by, acknowledge=acknowledge_warnings)
    store_signed_pdf(locked, signed_pdf)
    locked.status = ContractStatus.SIGNED
    locked.signed_at = signed_at
    locked.signed_by_client_name = (signed_by_client_name or "").strip()
    set_history_user(locked, by)
    locked.full_clean()
    locked.save(
        update_fields=["status", "signed_at", "signed_by_client_name", "signed_pdf", "updated_at"]
    )
    locked.findings = findings
    return locked


@transaction.atomic
def commercial_contract_activate(*, contract: CommercialContract, by) -> CommercialContract:
    """Signed -> active (the prestation starts). Re-checked: a blocking finding refuses it;
    warnings still present are recorded as acknowledged by `by`."""
    locked = lock(contract)
    locked.check_transition(ContractStatus.ACTIVE)
    findings = commercial_contract_check(contract=locked)
    raise_if_blocked(findings)
    pending = findings_unacknowledged(obj=locked, findings=findings)
    if pending:
        findings_acknowledge(obj=locked, findings=pending, user=by)
    locked.status = ContractStatus.ACTIVE
    locked.activated_at = timezone.now()
    set_history_user(locked, by)
    locked.save(update_fields=["status", "activated_at", "updated_at"])
    locked.findings = findings
    return locked


@transaction.atomic
def commercial_contract_terminate(
    *, contract: CommercialContract, by, terminated_on: date, reason: str
) -> CommercialContract:
    """Any open contract -> terminated early, with its date and reason. A draft or a contract
    not signed yet is abandoned the same way."""
    locked = lock(contract)
    locked.check_transition(ContractStatus.TERMINATED)
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the early termination.")
    if terminated_on is None:
        errors["terminated_on"] = _("Give the termination date.")
    elif terminated_on > locked.end_date:
        errors["terminated_on"] = _(
            "The termination date (%(date)s) is after the planned end (%(end)s): end the"
            " contract instead."
        ) % {"date": terminated_on.isoformat(), "end": locked.end_date.isoformat()}
    if errors:
        raise ValidationError(errors)
    locked.status = ContractStatus.TERMINATED
    locked.terminated_on = terminated_on
    locked.termination_reason = reason.strip()
    set_history_user(locked, by)
    locked.save(update_fields=["status", "terminated_on", "termination_reason", "updated_at"])
    return locked


@transaction.atomic
def commercial_contract_end(
    *, contract: CommercialContract, by, ended_on: date | None = None
) -> CommercialContract:
    """Active -> ended, on the planned end date by default."""
    locked = lock(contract)
    locked.check_transition(ContractStatus.ENDED)
    ended_on = ended_on or locked.end_date
    if not locked.start_date <= ended_on <= locked.end_date:
        raise ValidationError(
            {
                "ended_on": _(
                    "The end date (%(date)s) must lie between the start (%(start)s) and the"
                    " planned end (%(end)s); amend the contract to extend it."
                )
                % {
                    "date": ended_on.isoformat(),
                    "start": locked.start_date.isoformat(),
                    "end": locked.end_date.isoformat(),
                }
            }
        )
    locked.status = ContractStatus.ENDED
    locked.ended_on = ended_on
    set_history_user(locked, by)
    locked.save(update_fields=["status", "ended_on", "updated_at"])
    return locked
