"""Activity reports (compte rendu d'activité, CRA): one per commercial contract and month.

The consultant declares the days worked (full or half days) on a month calendar; the report
goes draft -> submitted (the client's operational contact gets a single-use approval link)
-> client_approved (through the link, or recorded by staff with a proof) -> validated by
staff (PR-22: the approved CRA is the basis of pay and invoicing) -> invoiced (locked).
A rejection at any step before invoiced sends it back to draft with a reason.

Rows are written only by services/reports.py; the constraints below guard the invariants the
services rely on (one report per contract and month, the first day of the month, fractions
of 1 or 0.5, one row per day).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.errors import InvalidTransition
from apps.core.models import TimeStampedModel

__all__ = [
    "ActivityDay",
    "ActivityReport",
    "ActivityReportStatus",
    "ApprovalChannel",
    "ApprovalToken",
    "ApprovalTokenUse",
    "DayFraction",
    "RejectedByKind",
]


class ActivityReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting client approval")
    CLIENT_APPROVED = "client_approved", _("Approved by the client")
    VALIDATED = "validated", _("Validated")
    INVOICED = "invoiced", _("Invoiced")


class RejectedByKind(models.TextChoices):
    CLIENT = "client", _("Client")
    STAFF = "staff", _("Staff")


class ApprovalChannel(models.TextChoices):
    LINK = "link", _("Approval link sent by e-mail")
    RECORDED_BY_STAFF = "recorded_by_staff", _("Recorded by staff (approval received otherwise)")


class DayFraction:
    """Only full and half days: the unit of the TJM (CCN IDCC 3219 art. 20, days/half-days)."""

    FULL = Decimal("1.0")
    HALF = Decimal("0.5")
    choices = [(FULL, _("Full day")), (HALF, _("Half day"))]
    values = frozenset({FULL, HALF})


def approval_proof_path(instance, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"activity/approvals/{instance.pk or 'new'}/approval-proof.{extension}"


class ActivityReport(TimeStampedModel):
    """The days one consultant worked on one commercial contract in one month."""

    Status = ActivityReportStatus

    # The one map of allowed status changes (DESIGN.md §3.2), checked in `check_transition`.
    # Going back to draft is the rejection (client or staff) at any step before invoicing.
    ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
        Status.DRAFT: frozenset({Status.SUBMITTED}),
        Status.SUBMITTED: frozenset({Status.CLIENT_APPROVED, Status.DRAFT}),
        Status.CLIENT_APPROVED: frozenset({Status.VALIDATED, Status.DRAFT}),
        Status.VALIDATED: frozenset({Status.INVOICED, Status.DRAFT}),
        Status.INVOICED: frozenset(),
    }
    REJECTABLE = frozenset({Status.SUBMITTED, Status.CLIENT_APPROVED, Status.VALIDATED})

    commercial_contract = models.ForeignKey(
        "commercial_contracts.CommercialContract",
        on_delete=models.PROTECT,
        related_name="activity_reports",
        verbose_name=_("commercial contract"),
    )
    # Denormalised from the contract (it never changes consultant) to scope queries cheaply.
    consultant = models.ForeignKey(
        "consultants.Consultant",
        on_delete=models.PROTECT,
        related_name="activity_reports",
        verbose_name=_("consultant"),
    )
    month = models.DateField(_("month"), help_text=_("First day of the month reported."))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ActivityReportStatus.choices,
        default=ActivityReportStatus.DRAFT,
    )

    # Totals: days_total follows the days while in draft; the rate, the amount and the
    # breakdown are computed and frozen on submission (services.reports).
    days_total = models.DecimalField(
        _("days worked"), max_digits=5, decimal_places=1, default=Decimal("0.0")
    )
    daily_rate = models.DecimalField(
        _("daily rate excl. VAT (€)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty when several rates apply in the month (see the breakdown)."),
    )
    amount = models.DecimalField(
        _("amount excl. VAT (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    amount_breakdown = models.JSONField(
        _("amount breakdown"),
        default=list,
        blank=True,
        help_text=_("One line per contract version (rate) in force on the days worked."),
    )

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )

    client_approved_at = models.DateTimeField(_("approved by the client at"), null=True, blank=True)
    client_approver_name = models.CharField(
        _("approved for the client by"), max_length=200, blank=True
    )
    client_approval_comment = models.TextField(_("client's comment"), blank=True)
    client_approval_channel = models.CharField(
        _("approval channel"), max_length=20, choices=ApprovalChannel.choices, blank=True
    )
    approval_proof = models.FileField(
        _("proof of approval"), upload_to=approval_proof_path, blank=True, max_length=255
    )
    approval_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approval recorded by"),
    )

    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validated by"),
    )

    invoiced_at = models.DateTimeField(_("invoiced at"), null=True, blank=True)
    # The invoices app comes later: it will set this through activity_report_mark_invoiced.
    invoice_reference = models.CharField(_("invoice reference"), max_length=40, blank=True)

    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    rejected_by_kind = models.CharField(
        _("rejected by"), max_length=10, choices=RejectedByKind.choices, blank=True
    )
    rejected_by_name = models.CharField(
        _("name of the person who rejected"), max_length=200, blank=True
    )
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rejected by (staff)"),
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    history = HistoricalRecords(verbose_name=_("historical activity report"))

    class Meta:
        verbose_name = _("activity report")
        verbose_name_plural = _("activity reports")
        ordering = ["-month", "-pk"]
        indexes = [
            models.Index(fields=["status"], name="activity_report_status_idx"),
            models.Index(fields=["consultant", "month"], name="activity_report_cons_month_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["commercial_contract", "month"],
                name="activity_report_one_per_contract_month",
                violation_error_message=_(
                    "An activity report already exists for this contract and month."
                ),
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="activity_report_month_first_day",
                violation_error_message=_("The month must be stored as its first day."),
            ),
            models.CheckConstraint(
                condition=Q(days_total__gte=0),
                name="activity_report_days_not_negative",
                violation_error_message=_("The number of days cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return _("Activity report %(month)s — %(consultant)s (%(contract)s)") % {
            "month": self.month.strftime("%m/%Y") if self.month else "-",
            "consultant": self.consultant,
            "contract": self.commercial_contract.reference,
        }

    # --- status map ---------------------------------------------------------------------
    def can_transition_to(self, target: str) -> bool:
        return target in self.ALLOWED_TRANSITIONS.get(self.status, frozenset())

    def check_transition(self, target: str) -> None:
        if not self.can_transition_to(target):
            raise InvalidTransition(
                _(
                    "The activity report of %(month)s cannot go from status “%(current)s”"
                    " to “%(target)s”."
                )
                % {
                    "month": self.month.strftime("%m/%Y"),
                    "current": ActivityReportStatus(self.status).label,
                    "target": ActivityReportStatus(target).label,
                }
            )

    @property
    def is_editable(self) -> bool:
        return self.status == ActivityReportStatus.DRAFT

    @property
    def is_locked(self) -> bool:
        return self.status == ActivityReportStatus.INVOICED

    @property
    def was_rejected(self) -> bool:
        return self.status == ActivityReportStatus.DRAFT and bool(self.rejected_at)

    def get_portal_url(self) -> str:
        from django.urls import reverse

        return reverse("portal:activity_report_edit", args=[self.pk])


class ActivityDay(models.Model):
    """One worked day of a report (days not worked have no row)."""

    report = models.ForeignKey(
        ActivityReport,
        on_delete=models.CASCADE,
        related_name="days",
        verbose_name=_("activity report"),
    )
    day = models.DateField(_("day"))
    fraction = models.DecimalField(
        _("fraction of the day"), max_digits=2, decimal_places=1, choices=DayFraction.choices
    )

    class Meta:
        verbose_name = _("day worked")
        verbose_name_plural = _("days worked")
        ordering = ["report_id", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "day"],
                name="activity_day_unique_per_report",
                violation_error_message=_("This day is already in the report."),
            ),
            models.CheckConstraint(
                condition=Q(fraction__in=[Decimal("1.0"), Decimal("0.5")]),
                name="activity_day_fraction_full_or_half",
                violation_error_message=_("A day is worked in full (1) or by half (0.5)."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} × {self.fraction}"


class ApprovalTokenUse(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    INVALIDATED = "invalidated", _("Replaced or withdrawn")


class ApprovalToken(models.Model):
    """A single-use link for the client to approve or reject a submitted report.

    Only the SHA-256 of the random token is stored: the link itself exists only in the
    e-mail, so a leaked database does not leak working links.
    """

    report = models.ForeignKey(
        ActivityReport,
        on_delete=models.CASCADE,
        related_name="approval_tokens",
        verbose_name=_("activity report"),
    )
    token_hash = models.CharField(_("token hash (SHA-256)"), max_length=64, unique=True)
    sent_to = models.EmailField(_("sent to"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    used_action = models.CharField(
        _("use"), max_length=20, choices=ApprovalTokenUse.choices, blank=True
    )

    class Meta:
        verbose_name = _("approval link")
        verbose_name_plural = _("approval links")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(used_at__isnull=True, used_action="") | Q(used_at__isnull=False)),
                name="activity_token_use_consistent",
                violation_error_message=_("A link that was not used has no use recorded."),
            ),
        ]

    def __str__(self) -> str:
        return _("Approval link of %(report)s") % {"report": self.report}

    @property
    def is_used(self) -> bool:
        return self.used_at is not None
