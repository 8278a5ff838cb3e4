"""Create, change and move an employment contract through its statuses:
draft -> sent for signature -> signed -> active -> ended, or terminated early (with reason).

Every function runs in one transaction, locks the contract row before a status change,
validates the whole record and schedules the PDF after the commit. Blocking compliance
findings refuse sending, signature and activation.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.compliance.engine import Severity, check_employment_contract
from apps.compliance.selectors import findings_unacknowledged
from apps.compliance.services import findings_acknowledge
from apps.core.errors import DomainError, InvalidTransition
from apps.core.sequences import format_number, sequence_next

from .. import rules
from ..models import EmploymentContract
from ._common import (
    finding_lines,
    lock,
    refuse_blocking,
    refuse_if_closed,
    save,
    schedule_pdf,
    set_history_user,
)
from .checks import employment_contract_check, employment_contract_facts

# Fields a create/update may set; status, dates of status changes, renewals and the
# prospection extension change only through their own services.
EDITABLE_FIELDS = frozenset(
    {
        "kind",
        "cdd_reason",
        "term_type",
        "start_date",
        "initial_end_date",
        "minimum_duration_months",
        "imprecise_term_event",
        "trial_period_end",
        "working_time_mode",
        "days_per_year",
        "hours_per_week",
        "status_cadre",
        "classification",
        "level_1_since",
        "consultant_expertise",
        "professional_expenses_terms",
        "salary_rule",
        "business_bonus_rate",
        "reserve_rate",
        "end_of_contract_indemnity_rate",
        "paid_leave_mode",
        "management_fee_rate",
    }
)
# Rules whose blocking findings are bad input: refused at creation and on every change.
INPUT_BLOCKING_RULES = frozenset({"PR-12", "PR-13", "PR-14"})
SIGNED_PDF_MAGIC = b"%PDF-"


def _check_fields(fields: dict) -> None:
    unknown = sorted(set(fields) - EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            {
                name: _("This field cannot be set here; use the dedicated action.")
                for name in unknown
            }
        )


def _apply_defaults(contract: EmploymentContract, given: set[str]) -> None:
    """Values that follow from the contract type and working time unless given explicitly."""
    cdd = contract.kind == EmploymentContract.Kind.CDD
    if cdd:
        if "reserve_rate" not in given:
            contract.reserve_rate = None
        if "end_of_contract_indemnity_rate" not in given and (
            contract.end_of_contract_indemnity_rate is None
        ):
            contract.end_of_contract_indemnity_rate = EmploymentContract._meta.get_field(
                "end_of_contract_indemnity_rate"
            ).get_default()
        if not contract.term_type and "term_type" not in given:
            contract.term_type = (
                EmploymentContract.TermType.IMPRECISE
                if contract.minimum_duration_months
                else EmploymentContract.TermType.PRECISE
            )
    else:
        if "end_of_contract_indemnity_rate" not in given:
            contract.end_of_contract_indemnity_rate = None
        if "reserve_rate" not in given and contract.reserve_rate is None:
            contract.reserve_rate = EmploymentContract._meta.get_field("reserve_rate").get_default()
        if "term_type" not in given:
            contract.term_type = ""
    if not contract.working_time_mode:
        contract.working_time_mode = (
            EmploymentContract.WorkingTimeMode.DAYS
            if contract.status_cadre == EmploymentContract.StatusCadre.CADRE
            else EmploymentContract.WorkingTimeMode.HOURS
        )
    if contract.working_time_mode == EmploymentContract.WorkingTimeMode.DAYS:
        contract.hours_per_week = None
        if not contract.days_per_year and "days_per_year" not in given:
            contract.days_per_year = rules.working_time_rule(contract.start_date)[
                "forfait_days_default"
            ]
    else:
        contract.days_per_year = None


def _set_commercial_contracts(contract: EmploymentContract, commercial_contracts) -> None:
    """Link the prestations; they must be the same consultant's commercial contracts."""
    commercial_contracts = list(commercial_contracts)
    others = [cc for cc in commercial_contracts if cc.consultant_id != contract.consultant_id]
    if others:
        raise ValidationError(
            {
                "commercial_contracts": _(
                    "Commercial contract %(reference)s is not a contract of %(consultant)s."
                )
                % {"reference": others[0].reference, "consultant": contract.consultant}
            }
        )
    contract.commercial_contracts.set(commercial_contracts)
    if not (contract.consultant_expertise or "").strip():
        expertise = next(
            (cc.consultant_expertise for cc in commercial_contracts if cc.consultant_expertise),
            "",
        )
        if expertise:
            contract.consultant_expertise = expertise
            contract.save(update_fields=["consultant_expertise", "updated_at"])


def input_blocking_findings(contract: EmploymentContract) -> list:
    """Blocking findings that make the input itself wrong (durations, PR-12 ... PR-14); works
    on an unsaved contract too (the admin form shows them next to the fields)."""
    facts = employment_contract_facts(contract=contract)
    return [
        finding
        for finding in check_employment_contract(facts)
        if finding.rule_id in INPUT_BLOCKING_RULES and finding.severity == Severity.BLOCK
    ]


def _refuse_bad_terms(contract: EmploymentContract) -> None:
    refuse_blocking(input_blocking_findings(contract), action=_("Saving the contract"))


@transaction.atomic
def employment_contract_create(
    *,
    consultant,
    kind: str,
    start_date: date,
    created_by,
    commercial_contracts=(),
    **fields,
) -> EmploymentContract:
    """A new contract in draft, with its reference (CT-YYYY-NNNNNN). Executive status and
    management fee default to the consultant's. Refused (nothing saved) on bad input and on
    blocking duration findings (PR-12 ... PR-14)."""
    _check_fields(fields)
    contract = EmploymentContract(consultant=consultant, kind=kind, start_date=start_date)
    for name, value in fields.items():
        setattr(contract, name, value)
    if "status_cadre" not in fields:
        contract.status_cadre = consultant.status_cadre
    if "management_fee_rate" not in fields:
        contract.management_fee_rate = consultant.management_fee_rate
    _apply_defaults(contract, set(fields))
    year = timezone.localdate().year
    contract.reference = format_number(
        prefix="CT", year=year, number=sequence_next(series="CT", year=year)
    )
    save(contract, by=created_by)
    _set_commercial_contracts(contract, commercial_contracts)
    _refuse_bad_terms(contract)
    schedule_pdf(contract)
    return contract


@transaction.atomic
def employment_contract_update(
    *, contract: EmploymentContract, updated_by, commercial_contracts=None, **fields
) -> EmploymentContract:
    """Change a draft (a signed contract changes only by renewal or prospection extension)."""
    _check_fields(fields)
    locked = lock(contract)
    if locked.status != EmploymentContract.Status.DRAFT:
        raise InvalidTransition(
            _("Contract %(reference)s is %(status)s: only a draft can be changed.")
            % {"reference": locked.reference, "status": locked.get_status_display().lower()},
            code="not_editable",
        )
    for name, value in fields.items():
        setattr(locked, name, value)
    _apply_defaults(locked, set(fields))
    save(locked, by=updated_by)
    if commercial_contracts is not None:
        _set_commercial_contracts(locked, commercial_contracts)
    _refuse_bad_terms(locked)
    schedule_pdf(locked)
    return locked


@transaction.atomic
def employment_contract_send_for_signature(
    *, contract: EmploymentContract, by
) -> EmploymentContract:
    """draft -> sent for signature; refused while a finding blocks (mentions included)."""
    locked = lock(contract)
    locked.check_transition(EmploymentContract.Status.SENT_FOR_SIGNATURE)
    refuse_blocking(employment_contract_check(contract=locked), action=_("Sending for signature"))
    locked.status = EmploymentContract.Status.SENT_FOR_SIGNATURE
    locked.sent_for_signature_at = timezone.now()
    save(locked, by=by, update_fields=["status", "sent_for_signature_at"])
    schedule_pdf(locked)
    return locked


def _check_signed_pdf(signed_pdf) -> None:
    signed_pdf.seek(0)
    head = signed_pdf.read(len(SIGNED_PDF_MAGIC))
    signed_pdf.seek(0)
    if head != SIGNED_PDF_MAGIC:
        raise ValidationError({"signed_pdf": _("The signed contract must be a PDF file.")})


@transaction.atomic
def employment_contract_sign(
    *,
    contract: EmploymentContract,
    by,
    signed_pdf=None,
    signed_at: datetime | None = None,
    acknowledge_warnings: bool = False,
) -> EmploymentContract:
    """sent for signature -> signed. Refused (409) when already signed, refused while a finding
    blocks, refused while warnings are not acknowledged unless `acknowledge_warnings`, which
    records who acknowledged them."""
    locked = lock(contract)
    locked.check_transition(EmploymentContract.Status.SIGNED)
    findings = employment_contract_check(contract=locked)
    refuse_blocking(findings, action=_("Signature"))
    warnings = findings_unacknowledged(obj=locked, findings=findings)
    if warnings and not acknowledge_warnings:
        raise DomainError(
            _("Signature refused until the warnings are acknowledged: %(findings)s")
            % {"findings": " ".join(finding_lines(warnings))},
            code="warnings_not_acknowledged",
            fields={"findings": finding_lines(warnings)},
        )
    signed_at = signed_at or timezone.now()
    if signed_at > timezone.now():
        raise ValidationError({"signed_at": _("The signature date cannot be in the future.")})
    if warnings:
        findings_acknowledge(obj=locked, findings=warnings, user=by)
    update_fields = ["status", "signed_at"]
    if signed_pdf is not None:
        _check_signed_pdf(signed_pdf)
        locked.signed_pdf.save(f"{locked.reference}-signed.pdf", signed_pdf, save=False)
        update_fields.append("signed_pdf")
    locked.status = EmploymentContract.Status.SIGNED
    locked.signed_at = signed_at
    save(locked, by=by, update_fields=update_fields)
    schedule_pdf(locked)
    return locked


@transaction.atomic
def employment_contract_activate(*, contract: EmploymentContract, by) -> EmploymentContract:
    """signed -> active, after checking again (the facts may have changed since signature)."""
    locked = lock(contract)
    locked.check_transition(EmploymentContract.Status.ACTIVE)
    refuse_blocking(employment_contract_check(contract=locked), action=_("Activation"))
    locked.status = EmploymentContract.Status.ACTIVE
    locked.activated_at = timezone.now()
    return save(locked, by=by, update_fields=["status", "activated_at"])


@transaction.atomic
def employment_contract_terminate(
    *, contract: EmploymentContract, by, terminated_on: date, reason: str
) -> EmploymentContract:
    """Early termination (or abandonment of an unsigned contract), with its reason."""
    errors = {}
    if not terminated_on:
        errors["terminated_on"] = _("Give the termination date.")
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the termination.")
    if errors:
        raise ValidationError(errors)
    locked = lock(contract)
    locked.check_transition(EmploymentContract.Status.TERMINATED)
    end = locked.effective_end_date
    if locked.status == EmploymentContract.Status.ACTIVE and terminated_on < locked.start_date:
        raise ValidationError(
            {
                "terminated_on": _(
                    "The termination date (%(date)s) is before the start date (%(start)s)."
                )
                % {"date": terminated_on.isoformat(), "start": locked.start_date.isoformat()}
            }
        )
    if end and terminated_on > end:
        raise ValidationError(
            {
                "terminated_on": _(
                    "An early termination must be on or before the end date "
                    "(%(end)s); %(date)s is after it."
                )
                % {"end": end.isoformat(), "date": terminated_on.isoformat()}
            }
        )
    locked.status = EmploymentContract.Status.TERMINATED
    locked.terminated_on = terminated_on
    locked.termination_reason = reason.strip()
    return save(locked, by=by, update_fields=["status", "terminated_on", "termination_reason"])


@transaction.atomic
def employment_contract_end(
    *, contract: EmploymentContract, by, ended_on: date | None = None
) -> EmploymentContract:
    """active -> ended. A CDD with a precise term ends on its end date (the default); an
    imprecise term not before its minimum duration; a CDI on the given date (default today)."""
    locked = lock(contract)
    locked.check_transition(EmploymentContract.Status.ENDED)
    end = locked.effective_end_date
    ended_on = ended_on or end or timezone.localdate()
    if end and ended_on != end:
        raise ValidationError(
            {
                "ended_on": _(
                    "This CDD ends on its end date, %(end)s; to stop it on another date "
                    "terminate it early."
                )
                % {"end": end.isoformat()}
            }
        )
    if locked.is_cdd and locked.term_type == EmploymentContract.TermType.IMPRECISE:
        minimum = rules.last_day_of_period(locked.start_date, locked.minimum_duration_months)
        if ended_on < minimum:
            raise ValidationError(
                {
                    "ended_on": _(
                        "This CDD has a minimum duration until %(minimum)s; it cannot end "
                        "on %(date)s."
                    )
                    % {"minimum": minimum.isoformat(), "date": ended_on.isoformat()}
                }
            )
    if ended_on < locked.start_date:
        raise ValidationError(
            {
                "ended_on": _("The end date (%(date)s) is before the start date (%(start)s).")
                % {"date": ended_on.isoformat(), "start": locked.start_date.isoformat()}
            }
        )
    locked.status = EmploymentContract.Status.ENDED
    locked.ended_on = ended_on
    return save(locked, by=by, update_fields=["status", "ended_on"])


@transaction.atomic
def employment_contract_link_commercial_contracts(
    *, contract: EmploymentContract, commercial_contracts, by
) -> EmploymentContract:
    """Add prestations to a contract that is not closed (a CDI gets one commercial contract
    per mission, EC-I11). A CDD linked to more than one is warned about (PR-15)."""
    locked = lock(contract)
    refuse_if_closed(locked, action=_("Linking a commercial contract"))
    current = list(locked.commercial_contracts.all())
    _set_commercial_contracts(locked, [*current, *commercial_contracts])
    set_history_user(locked, by)
    locked.save(update_fields=["updated_at"])
    schedule_pdf(locked)
    return locked
