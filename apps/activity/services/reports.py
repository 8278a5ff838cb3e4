"""Writes on activity reports (CRA): create, fill the days, submit, the client's approval or
rejection through the e-mailed link, the approval recorded by staff, validation, rejection,
invoicing.

Every service runs in one transaction, locks the report row (select_for_update), re-checks
the state against ActivityReport.ALLOWED_TRANSITIONS, validates with full_clean, and sends
e-mails after commit. On any error nothing is written.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from apps.commercial_contracts.models import CommercialContract, CommercialContractVersion
from apps.core.errors import DomainError, InvalidTransition
from apps.core.selectors import company_profile_get

from ..models.reports import (
    ActivityDay,
    ActivityReport,
    ActivityReportStatus,
    ApprovalChannel,
    ApprovalToken,
    ApprovalTokenUse,
    RejectedByKind,
)
from ..selectors.reports import (
    REPORTABLE_CONTRACT_STATUSES,
    activity_report_amount,
    activity_report_contract_period,
    activity_report_recipient,
    approval_token_hash,
)
from .calendar import month_first, month_last, validate_days

Status = ActivityReportStatus

DEFAULT_APPROVAL_LINK_DAYS = 14
MAX_PROOF_BYTES = 10 * 1024 * 1024
# Magic numbers of the accepted proofs (the content decides, never the file name).
PROOF_SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
)
MAX_NAME = 200
ONLY_SUBMITTED_APPROVED = _(
    "The activity report of %(month)s is “%(status)s”: only a submitted report can be approved."
)
ONLY_SUBMITTED_CLIENT_REJECTED = _(
    "The activity report of %(month)s is “%(status)s”: only a submitted report can be"
    " rejected through the approval link."
)
MAX_TEXT = 2000


class ApprovalLinkError(DomainError):
    """The approval link cannot be used. `reason`: invalid (unknown or tampered), expired,
    used, invalidated (replaced by a newer link or the report was withdrawn), other_report."""

    status_code = 400

    def __init__(self, message, *, reason: str, token: ApprovalToken | None = None):
        super().__init__(message, code=f"approval_link_{reason}")
        self.reason = reason
        self.token = token
        if reason == "invalid":
            self.status_code = 404


@dataclass
class BulkValidationResult:
    validated: list[ActivityReport] = field(default_factory=list)
    refused: list[tuple[ActivityReport, str]] = field(default_factory=list)


# --- helpers ----------------------------------------------------------------------------------
def _lock(report: ActivityReport) -> ActivityReport:
    return (
        ActivityReport.objects.select_for_update(of=("self",))
        .select_related("commercial_contract", "commercial_contract__client", "consultant")
        .get(pk=report.pk)
    )


def _set_history_user(instance, user) -> None:
    # Only when given: None would hide the request user set by the history middleware.
    if user is not None:
        instance._history_user = user


def _save(report: ActivityReport, by, fields: Iterable[str]) -> ActivityReport:
    _set_history_user(report, by)
    report.full_clean()
    report.save(update_fields=[*fields, "updated_at"])
    return report


def _month_label(month: date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def _required_text(value, *, field_name: str, message, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field_name: message})
    if len(text) > max_length:
        raise ValidationError(
            {
                field_name: _("At most %(max)s characters (%(length)s given).")
                % {"max": max_length, "length": len(text)}
            }
        )
    return text


def _contract_period(contract: CommercialContract) -> tuple[date, date]:
    period = activity_report_contract_period(contract)
    if period is None:
        raise DomainError(
            _("Contract %(reference)s was terminated before it started: nothing to report.")
            % {"reference": contract.reference},
            code="contract_never_started",
        )
    return period


def _approval_link_days() -> int:
    return int(getattr(settings, "ACTIVITY_APPROVAL_LINK_DAYS", DEFAULT_APPROVAL_LINK_DAYS))


def _invalidate_tokens(report: ActivityReport, now) -> None:
    ApprovalToken.objects.filter(report=report, used_at__isnull=True).update(
        used_at=now, used_action=ApprovalTokenUse.INVALIDATED
    )


def _clear_approval(report: ActivityReport) -> list[str]:
    report.client_approved_at = None
    report.client_approver_name = ""
    report.client_approval_comment = ""
    report.client_approval_channel = ""
    report.approval_proof = ""
    report.approval_recorded_by = None
    report.validated_at = None
    report.validated_by = None
    return [
        "client_approved_at",
        "client_approver_name",
        "client_approval_comment",
        "client_approval_channel",
        "approval_proof",
        "approval_recorded_by",
        "validated_at",
        "validated_by",
    ]


def _clear_amount(report: ActivityReport) -> list[str]:
    report.daily_rate = None
    report.amount = None
    report.amount_breakdown = []
    return ["daily_rate", "amount", "amount_breakdown"]


def approval_url(raw_token: str) -> str:
    path = reverse("activity_report_approval", args=[raw_token])
    return settings.SITE_URL.rstrip("/") + path


# --- create and fill --------------------------------------------------------------------------
def activity_report_create(
    *, commercial_contract: CommercialContract, month: date, created_by
) -> ActivityReport:
    """A draft report for the contract and the month (any day of it). The contract must be
    signed (PR-10, PR-22: the CRA reports work done under a signed contract) and its period
    must overlap the month; one report per contract and month."""
    month = month_first(month)
    with transaction.atomic():
        # Locking the contract serialises two creations of the same month.
        contract = CommercialContract.objects.select_for_update().get(pk=commercial_contract.pk)
        if contract.status not in REPORTABLE_CONTRACT_STATUSES:
            raise DomainError(
                _(
                    "Contract %(reference)s is “%(status)s”: activity can only be reported on"
                    " a signed contract."
                )
                % {"reference": contract.reference, "status": contract.get_status_display()},
                code="contract_not_signed",
                fields={"commercial_contract": _("The contract is not signed.")},
            )
        start, end = _contract_period(contract)
        if start > month_last(month) or end < month:
            raise ValidationError(
                {
                    "month": _(
                        "%(month)s is outside the period of contract %(reference)s"
                        " (%(start)s to %(end)s)."
                    )
                    % {
                        "month": _month_label(month),
                        "reference": contract.reference,
                        "start": formats.date_format(start, "SHORT_DATE_FORMAT"),
                        "end": formats.date_format(end, "SHORT_DATE_FORMAT"),
                    }
                }
            )
        if month > month_first(timezone.localdate()):
            raise ValidationError(
                {
                    "month": _("%(month)s has not started yet: report it from its first day.")
                    % {"month": _month_label(month)}
                }
            )
        if ActivityReport.objects.filter(commercial_contract=contract, month=month).exists():
            raise DomainError(
                _("An activity report already exists for contract %(reference)s in %(month)s.")
                % {"reference": contract.reference, "month": _month_label(month)},
                code="duplicate_report",
                fields={"month": _("A report already exists for this month.")},
            )
        report = ActivityReport(
            commercial_contract=contract,
            consultant_id=contract.consultant_id,
            month=month,
            status=Status.DRAFT,
            created_by=created_by,
        )
        _set_history_user(report, created_by)
        report.full_clean()
        report.save()
    return report


def activity_report_set_days(
    *, report: ActivityReport, days: Mapping[date, Decimal | str | int], by
) -> ActivityReport:
    """Replace the days of a draft by `days` ({date: 1 or 0.5}; 0 or empty = not worked).
    Every day is checked first; one refused day and nothing is written."""
    with transaction.atomic():
        report = _lock(report)
        if not report.is_editable:
            raise DomainError(
                _(
                    "The activity report of %(month)s is “%(status)s”: its days can only be"
                    " changed in draft."
                )
                % {"month": _month_label(report.month), "status": report.get_status_display()},
                code="report_not_editable",
            )
        start, end = _contract_period(report.commercial_contract)
        cleaned = validate_days(
            month=report.month, days=days, contract_start=start, contract_end=end
        )
        rows = [ActivityDay(report=report, day=day, fraction=cleaned[day]) for day in cleaned]
        for row in rows:
            row.full_clean(exclude=["report"], validate_unique=False, validate_constraints=False)
        ActivityDay.objects.filter(report=report).delete()
        ActivityDay.objects.bulk_create(rows)
        report.days_total = sum(cleaned.values(), Decimal("0")).quantize(Decimal("0.1"))
        _save(report, by, ["days_total"])
    return report


# --- submit and the approval link -------------------------------------------------------------
def _approval_email(report: ActivityReport, contact, raw_token: str, expires_at) -> dict:
    """Subject and bodies in the client's document language."""
    client = report.commercial_contract.client
    with translation.override(client.document_language or settings.LANGUAGE_CODE):
        context = {
            "report": report,
            "contact": contact,
            "client": client,
            "consultant": report.consultant,
            "contract": report.commercial_contract,
            "month_label": _month_label(report.month),
            "days_total": report.days_total,
            "amount": report.amount,
            "url": approval_url(raw_token),
            "expires_at": timezone.localtime(expires_at),
            "company": company_profile_get(),
        }
        subject = " ".join(
            render_to_string("activity/reports/email/approval_request_subject.txt", context).split()
        )
        body = render_to_string("activity/reports/email/approval_request.txt", context)
        html = render_to_string("activity/reports/email/approval_request.html", context)
    return {"subject": subject, "message": body, "html_message": html, "to": [contact.email]}


def _send(email: dict) -> None:
    send_mail(
        email["subject"],
        email["message"],
        settings.DEFAULT_FROM_EMAIL,
        email["to"],
        html_message=email.get("html_message"),
    )


def activity_report_submit(*, report: ActivityReport, by) -> ActivityReport:
    """Draft -> submitted: freezes the days, the rate and the amount, creates a single-use
    approval link (only its SHA-256 is stored) and e-mails it, after commit, to the client's
    operational contact (or billing contact). Older unused links of the report stop working."""
    return submit_with_link(report=report, by=by)[0]


def submit_with_link(*, report: ActivityReport, by) -> tuple[ActivityReport, str]:
    """activity_report_submit, also returning the raw token of the link: for the demo seed
    only (the token is otherwise known only to the e-mail)."""
    with transaction.atomic():
        report = _lock(report)
        report.check_transition(Status.SUBMITTED)
        contract = (
            CommercialContract.objects.select_related("client")
            .prefetch_related(
                Prefetch("versions", queryset=CommercialContractVersion.objects.order_by("number")),
                "client__contacts",
            )
            .get(pk=report.commercial_contract_id)
        )
        report.commercial_contract = contract
        worked = dict(ActivityDay.objects.filter(report=report).values_list("day", "fraction"))
        if not worked:
            raise DomainError(
                _("Declare at least one day worked before submitting the report of %(month)s.")
                % {"month": _month_label(report.month)},
                code="report_empty",
                fields={"days": _("No day worked is declared.")},
            )
        # The contract may have changed since the days were saved (terminated early...).
        start, end = _contract_period(contract)
        validate_days(month=report.month, days=worked, contract_start=start, contract_end=end)
        contact = activity_report_recipient(report)
        if contact is None:
            raise DomainError(
                _(
                    "The client %(client)s has no operational or billing contact with an"
                    " e-mail address to approve the report: add one to the client first."
                )
                % {"client": contract.client},
                code="no_client_contact",
            )
        pricing = activity_report_amount(contract=contract, worked=worked)
        now = timezone.now()
        _invalidate_tokens(report, now)
        raw_token = secrets.token_urlsafe(32)
        token = ApprovalToken(
            report=report,
            token_hash=approval_token_hash(raw_token),
            sent_to=contact.email,
            expires_at=now + timedelta(days=_approval_link_days()),
        )
        token.full_clean()
        token.save()

        report.status = Status.SUBMITTED
        report.submitted_at = now
        report.submitted_by = by
        report.days_total = pricing.days_total
        report.daily_rate = pricing.daily_rate
        report.amount = pricing.amount
        report.amount_breakdown = pricing.breakdown
        report.rejected_at = None
        report.rejected_by_kind = ""
        report.rejected_by_name = ""
        report.rejected_by = None
        report.rejection_reason = ""
        fields = [
            "status",
            "submitted_at",
            "submitted_by",
            "days_total",
            "daily_rate",
            "amount",
            "amount_breakdown",
            "rejected_at",
            "rejected_by_kind",
            "rejected_by_name",
            "rejected_by",
            "rejection_reason",
        ]
        fields += _clear_approval(report)
        _save(report, by, fields)
        email = _approval_email(report, contact, raw_token, token.expires_at)
        transaction.on_commit(lambda: _send(email))
    return report, raw_token


def _use_token(raw_token: str, *, report: ActivityReport | None) -> ApprovalToken:
    """Lock the token row of a link and check it can still be used (raises otherwise)."""
    token = (
        ApprovalToken.objects.select_for_update()
        .filter(token_hash=approval_token_hash(raw_token or ""))
        .first()
        if raw_token and len(raw_token) <= 200
        else None
    )
    if token is None:
        raise ApprovalLinkError(
            _("This approval link is not valid: check that it was copied in full."),
            reason="invalid",
        )
    if report is not None and token.report_id != report.pk:
        raise ApprovalLinkError(
            _("This approval link belongs to another activity report."),
            reason="other_report",
            token=token,
        )
    if token.used_at is not None:
        if token.used_action == ApprovalTokenUse.INVALIDATED:
            raise ApprovalLinkError(
                _(
                    "This approval link no longer works: the report was sent back or a newer"
                    " link replaced it."
                ),
                reason="invalidated",
                token=token,
            )
        raise ApprovalLinkError(
            _("This approval link was already used on %(date)s (%(action)s).")
            % {
                "date": formats.date_format(timezone.localtime(token.used_at), "DATETIME_FORMAT"),
                "action": token.get_used_action_display(),
            },
            reason="used",
            token=token,
        )
    if token.expires_at <= timezone.now():
        raise ApprovalLinkError(
            _("This approval link expired on %(date)s (Paris time).")
            % {
                "date": formats.date_format(timezone.localtime(token.expires_at), "DATETIME_FORMAT")
            },
            reason="expired",
            token=token,
        )
    return token


def activity_report_client_approve(
    *, token: str, approver_name: str, comment: str = "", report: ActivityReport | None = None
) -> ActivityReport:
    """The client approves through the link: submitted -> client_approved. The link is used
    up in the same transaction. `report`, when given (the page's form), must be the link's."""
    name = _required_text(
        approver_name,
        field_name="approver_name",
        message=_("Give your name: it is recorded with the approval."),
        max_length=MAX_NAME,
    )
    comment = (comment or "").strip()
    if len(comment) > MAX_TEXT:
        raise ValidationError(
            {"comment": _("At most %(max)s characters (%(length)s given).")
             % {"max": MAX_TEXT, "length": len(comment)}}
        )  # fmt: skip
    with transaction.atomic():
        row = _use_token(token, report=report)
        locked = _lock(row.report)
        _require_submitted(locked, ONLY_SUBMITTED_APPROVED)
        _set_status(locked, Status.CLIENT_APPROVED)
        now = timezone.now()
        row.used_at = now
        row.used_action = ApprovalTokenUse.APPROVED
        row.save(update_fields=["used_at", "used_action"])
        locked.client_approved_at = now
        locked.client_approver_name = name
        locked.client_approval_comment = comment
        locked.client_approval_channel = ApprovalChannel.LINK
        _save(
            locked,
            None,
            [
                "status",
                "client_approved_at",
                "client_approver_name",
                "client_approval_comment",
                "client_approval_channel",
            ],
        )
    return locked


def _set_status(report: ActivityReport, target: str) -> None:
    report.check_transition(target)
    report.status = target


def _require_submitted(report: ActivityReport, message) -> None:
    """`message`: a full sentence with %(month)s and %(status)s."""
    if report.status != Status.SUBMITTED:
        raise InvalidTransition(
            message % {"month": _month_label(report.month), "status": report.get_status_display()}
        )


def _notify_consultant_rejection(report: ActivityReport) -> None:
    """E-mail the consultant (after commit) that the report is back in draft, with why."""
    consultant = report.consultant
    user = getattr(consultant, "user", None)
    address = (user.email if user is not None else "") or consultant.email
    if not address:
        return
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "report": report,
            "month_label": _month_label(report.month),
            "contract": report.commercial_contract,
            "client": report.commercial_contract.client,
            "url": settings.SITE_URL.rstrip("/") + report.get_portal_url(),
        }
        email = {
            "subject": " ".join(
                render_to_string("activity/reports/email/rejected_subject.txt", context).split()
            ),
            "message": render_to_string("activity/reports/email/rejected.txt", context),
            "to": [address],
        }
    transaction.on_commit(lambda: _send(email))


def _back_to_draft(
    report: ActivityReport, *, kind: str, name: str, reason: str, by, now
) -> ActivityReport:
    _set_status(report, Status.DRAFT)
    report.rejected_at = now
    report.rejected_by_kind = kind
    report.rejected_by_name = name
    report.rejected_by = by
    report.rejection_reason = reason
    fields = [
        "status",
        "rejected_at",
        "rejected_by_kind",
        "rejected_by_name",
        "rejected_by",
        "rejection_reason",
    ]
    fields += _clear_approval(report)
    fields += _clear_amount(report)
    _invalidate_tokens(report, now)
    _save(report, by, fields)
    _notify_consultant_rejection(report)
    return report


def activity_report_client_reject(
    *, token: str, approver_name: str, reason: str, report: ActivityReport | None = None
) -> ActivityReport:
    """The client rejects through the link, with a reason: submitted -> draft."""
    name = _required_text(
        approver_name,
        field_name="approver_name",
        message=_("Give your name: it is recorded with the rejection."),
        max_length=MAX_NAME,
    )
    reason = _required_text(
        reason,
        field_name="reason",
        message=_("Explain why the report is rejected: the consultant will correct it."),
        max_length=MAX_TEXT,
    )
    with transaction.atomic():
        row = _use_token(token, report=report)
        locked = _lock(row.report)
        _require_submitted(locked, ONLY_SUBMITTED_CLIENT_REJECTED)
        now = timezone.now()
        row.used_at = now
        row.used_action = ApprovalTokenUse.REJECTED
        row.save(update_fields=["used_at", "used_action"])
        _back_to_draft(
            locked, kind=RejectedByKind.CLIENT, name=name, reason=reason, by=None, now=now
        )
    return locked


# --- staff ------------------------------------------------------------------------------------
def _proof_extension(upload) -> tuple[File, str]:
    """The proof as a File and its real type (pdf/png/jpg) read from its first bytes."""
    if isinstance(upload, bytes | bytearray):
        upload = ContentFile(bytes(upload), name="proof")
    if upload is None or not hasattr(upload, "read"):
        raise ValidationError({"proof_file": _("Attach the proof of the client's approval.")})
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_PROOF_BYTES:
        raise ValidationError(
            {
                "proof_file": _("The proof is %(size)s MB; the maximum is %(max)s MB.")
                % {"size": round(size / 1024 / 1024, 1), "max": MAX_PROOF_BYTES // 1024**2}
            }
        )
    if size == 0:
        raise ValidationError({"proof_file": _("The proof file is empty.")})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, extension in PROOF_SIGNATURES:
        if head.startswith(magic):
            return (upload if isinstance(upload, File) else File(upload)), extension
    raise ValidationError(
        {
            "proof_file": _(
                "The proof must be a PDF, PNG or JPEG file; the content of this file is none of"
                " these, whatever its name."
            )
        }
    )


def activity_report_record_approval(
    *, report: ActivityReport, by, proof_file, approver_name: str, comment: str = ""
) -> ActivityReport:
    """Staff record an approval received another way (e-mail, signed paper): submitted ->
    client_approved, with the proof (PDF, PNG or JPEG, checked from its content). Pending
    approval links stop working."""
    name = _required_text(
        approver_name,
        field_name="approver_name",
        message=_("Give the name of the person who approved for the client."),
        max_length=MAX_NAME,
    )
    comment = (comment or "").strip()
    proof, extension = _proof_extension(proof_file)
    with transaction.atomic():
        report = _lock(report)
        _require_submitted(report, ONLY_SUBMITTED_APPROVED)
        _set_status(report, Status.CLIENT_APPROVED)
        now = timezone.now()
        _invalidate_tokens(report, now)
        report.client_approved_at = now
        report.client_approver_name = name
        report.client_approval_comment = comment
        report.client_approval_channel = ApprovalChannel.RECORDED_BY_STAFF
        report.approval_recorded_by = by
        report.approval_proof.save(f"approval-proof.{extension}", proof, save=False)
        _save(
            report,
            by,
            [
                "status",
                "client_approved_at",
                "client_approver_name",
                "client_approval_comment",
                "client_approval_channel",
                "approval_recorded_by",
                "approval_proof",
            ],
        )
    return report


def activity_report_validate(*, report: ActivityReport, by) -> ActivityReport:
    """Staff validate a report the client approved: client_approved -> validated (PR-22: the
    basis of the invoice and of the pay)."""
    with transaction.atomic():
        report = _lock(report)
        if report.status != Status.CLIENT_APPROVED:
            raise InvalidTransition(
                _(
                    "The activity report of %(month)s is “%(status)s”: only a report approved"
                    " by the client can be validated."
                )
                % {"month": _month_label(report.month), "status": report.get_status_display()}
            )
        _set_status(report, Status.VALIDATED)
        report.validated_at = timezone.now()
        report.validated_by = by
        _save(report, by, ["status", "validated_at", "validated_by"])
    return report


def activity_reports_validate_bulk(
    *, reports: Iterable[ActivityReport], by
) -> BulkValidationResult:
    """Validate each report in its own transaction (savepoint): one refusal does not stop
    the others. Returns the validated reports and the refused ones with the reason."""
    result = BulkValidationResult()
    for report in reports:
        try:
            with transaction.atomic():
                result.validated.append(activity_report_validate(report=report, by=by))
        except (DomainError, ValidationError) as error:
            message = error.message if isinstance(error, DomainError) else "; ".join(error.messages)
            result.refused.append((report, str(message)))
    return result


def activity_report_reject(*, report: ActivityReport, by, reason: str) -> ActivityReport:
    """Staff send a report back to draft with a reason, at any step before invoicing. The
    approval links stop working and the consultant is told by e-mail."""
    reason = _required_text(
        reason,
        field_name="reason",
        message=_("Explain why the report is rejected: the consultant will correct it."),
        max_length=MAX_TEXT,
    )
    with transaction.atomic():
        report = _lock(report)
        if report.status not in ActivityReport.REJECTABLE:
            raise InvalidTransition(
                _(
                    "The activity report of %(month)s is “%(status)s”: only a submitted,"
                    " approved or validated report can be rejected."
                )
                % {"month": _month_label(report.month), "status": report.get_status_display()}
            )
        name = (by.get_full_name() or by.email) if by is not None else ""
        _back_to_draft(
            report, kind=RejectedByKind.STAFF, name=name, reason=reason, by=by, now=timezone.now()
        )
    return report


def activity_report_mark_invoiced(
    *, report: ActivityReport, invoice_reference: str, by=None
) -> ActivityReport:
    """Validated -> invoiced (locked for good). Called by the invoice service."""
    reference = _required_text(
        invoice_reference,
        field_name="invoice_reference",
        message=_("Give the number of the invoice."),
        max_length=40,
    )
    with transaction.atomic():
        report = _lock(report)
        if report.status != Status.VALIDATED:
            raise InvalidTransition(
                _(
                    "The activity report of %(month)s is “%(status)s”: only a validated report"
                    " can be invoiced."
                )
                % {"month": _month_label(report.month), "status": report.get_status_display()}
            )
        _set_status(report, Status.INVOICED)
        report.invoiced_at = timezone.now()
        report.invoice_reference = reference
        _save(report, by, ["status", "invoiced_at", "invoice_reference"])
    return report
