"""The commercial contract (contrat commercial de prestation de portage salarial, L1254-22/23)
between the portage company and a client company for one consultant's prestation, and its
versions: version 0 holds the original terms, each amendment (avenant) adds a dated version.

Rows are written only by services.py; the constraints below guard the invariants the
services rely on (one version number and one effective date per contract, dates in order,
positive prices).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.errors import InvalidTransition
from apps.core.models import TimeStampedModel

# Average month length in days (365.25 / 12): converts a version's estimated days over its
# whole period into days per month for the minimum-salary and dependence checks.
DAYS_PER_MONTH = Decimal("30.4375")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT_FOR_SIGNATURE = "sent_for_signature", _("Sent for signature")
    SIGNED = "signed", _("Signed")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")
    TERMINATED = "terminated", _("Terminated early")


class PricingKind(models.TextChoices):
    DAILY_RATE = "daily_rate", _("Daily rate (excl. VAT)")
    FIXED_PRICE = "fixed_price", _("Fixed price (excl. VAT)")


def signed_pdf_path(instance, filename: str) -> str:
    return f"contracts/signed/{instance.reference or 'contract'}-signed.pdf"


def generated_pdf_path(instance, filename: str) -> str:
    return f"contracts/generated/{instance.reference or 'contract'}.pdf"


class CommercialContract(TimeStampedModel):
    """One prestation of one consultant at one client company."""

    Status = ContractStatus

    # The one map of allowed status changes (DESIGN.md §3.2), checked in `check_transition`.
    # Terminating a draft or a contract sent for signature abandons it; "sent for signature"
    # may go back to draft when the client asks for changes.
    ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
        Status.DRAFT: frozenset({Status.SENT_FOR_SIGNATURE, Status.TERMINATED}),
        Status.SENT_FOR_SIGNATURE: frozenset({Status.SIGNED, Status.DRAFT, Status.TERMINATED}),
        Status.SIGNED: frozenset({Status.ACTIVE, Status.TERMINATED}),
        Status.ACTIVE: frozenset({Status.ENDED, Status.TERMINATED}),
        Status.ENDED: frozenset(),
        Status.TERMINATED: frozenset(),
    }
    # Statuses in which the contract binds the parties (used by selectors and the daily job).
    IN_FORCE = frozenset({Status.SIGNED, Status.ACTIVE})
    CLOSED = frozenset({Status.ENDED, Status.TERMINATED})

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    client = models.ForeignKey(
        "clients.ClientCompany",
        on_delete=models.PROTECT,
        related_name="commercial_contracts",
        verbose_name=_("client company"),
    )
    consultant = models.ForeignKey(
        "consultants.Consultant",
        on_delete=models.PROTECT,
        related_name="commercial_contracts",
        verbose_name=_("consultant"),
    )
    description = models.TextField(
        _("description of the prestation"),
        help_text=_("The prestation and its conditions of performance (L1254-23 3°)."),
    )
    consultant_expertise = models.TextField(
        _("consultant's skills and expertise"),
        blank=True,
        help_text=_(
            "The consultant's skills, qualifications and fields of expertise (L1254-23 2°)."
            " Required to send the contract for signature."
        ),
    )
    activity_category = models.ForeignKey(
        "compliance.ActivityCategory",
        on_delete=models.PROTECT,
        related_name="commercial_contracts",
        verbose_name=_("activity category"),
    )
    occasional_task_justification = models.TextField(
        _("reason for using portage"),
        blank=True,
        help_text=_(
            "PR-03 (L1254-3): the occasional task outside the client's normal and permanent"
            " activity, or the expertise the client lacks. Required to send for signature."
        ),
    )
    not_replacing_striker = models.BooleanField(
        _("client declares the consultant does not replace a striker"),
        null=True,
        blank=True,
        help_text=_("PR-04 (L1254-4 I 1°): explicit declaration, must be “yes” to sign."),
    )
    dangerous_work = models.BooleanField(
        _("involves dangerous work listed in D4154-1"),
        default=False,
        help_text=_("PR-04 (L1254-4 I 2°): such a prestation is refused."),
    )
    protective_equipment = models.TextField(
        _("personal protective equipment supplied by the client"),
        blank=True,
        help_text=_("Where applicable (L1254-23 7°). Leave empty if none."),
    )
    place_of_work = models.CharField(_("place of work"), max_length=255)
    remote_allowed = models.BooleanField(_("remote work allowed"), default=False)
    rebill_expenses = models.BooleanField(_("expenses rebilled to the client"), default=False)
    purchase_order_reference = models.CharField(
        _("client's purchase order reference"), max_length=100, blank=True
    )
    payment_terms_note = models.TextField(
        _("payment terms (override)"),
        blank=True,
        help_text=_("Leave empty to print the client's usual payment terms."),
    )
    # Denormalised from the versions by the services (filters, lists, the 36-month count):
    # start of the prestation and its planned end according to the latest version.
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("planned end date"), help_text=_("Planned end according to the latest amendment.")
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    sent_for_signature_at = models.DateTimeField(_("sent for signature at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by_client_name = models.CharField(
        _("signed for the client by"), max_length=200, blank=True
    )
    signed_pdf = models.FileField(
        _("signed contract (PDF)"), upload_to=signed_pdf_path, blank=True, max_length=255
    )
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.TextField(_("reason for early termination"), blank=True)

    pdf_file = models.FileField(
        _("contract PDF"), upload_to=generated_pdf_path, blank=True, max_length=255
    )
    pdf_fingerprint = models.CharField(_("PDF fingerprint"), max_length=64, blank=True)
    pdf_generated_at = models.DateTimeField(_("PDF generated at"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    history = HistoricalRecords(
        verbose_name=_("historical commercial contract"),
        excluded_fields=["pdf_fingerprint", "pdf_generated_at", "pdf_file"],
    )

    class Meta:
        verbose_name = _("commercial contract")
        verbose_name_plural = _("commercial contracts")
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["status"], name="cc_status_idx"),
            models.Index(fields=["consultant", "client"], name="cc_consultant_client_idx"),
            models.Index(fields=["start_date", "end_date"], name="cc_dates_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="cc_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.client} / {self.consultant}"

    # --- status map ---------------------------------------------------------------------
    def can_transition_to(self, target: str) -> bool:
        return target in self.ALLOWED_TRANSITIONS.get(self.status, frozenset())

    def check_transition(self, target: str) -> None:
        if not self.can_transition_to(target):
            raise InvalidTransition(
                _("Contract %(reference)s cannot go from status “%(current)s” to “%(target)s”.")
                % {
                    "reference": self.reference,
                    "current": self.Status(self.status).label,
                    "target": self.Status(target).label,
                }
            )

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def effective_end(self):
        """Last day of the prestation: the termination or end date if any, else the plan."""
        if self.status == self.Status.TERMINATED and self.terminated_on:
            return min(self.terminated_on, self.end_date)
        if self.status == self.Status.ENDED and self.ended_on:
            return self.ended_on
        return self.end_date

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _(
                "The end date (%(end)s) cannot be before the start date (%(start)s)."
            ) % {"end": self.end_date.isoformat(), "start": self.start_date.isoformat()}
        if errors:
            raise ValidationError(errors)


class CommercialContractVersion(models.Model):
    """The terms of a contract from `effective_from` on: number 0 is the original contract,
    1, 2, ... are amendments (avenant n°). Never edited once the contract is signed: a change
    is a new version, so the terms in force at any past date stay readable."""

    contract = models.ForeignKey(
        CommercialContract,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("contract"),
    )
    number = models.PositiveSmallIntegerField(
        _("number"), help_text=_("0 = original terms, 1, 2, ... = amendment number.")
    )
    effective_from = models.DateField(_("effective from"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("planned end date"))
    pricing_kind = models.CharField(_("pricing"), max_length=20, choices=PricingKind.choices)
    daily_rate = models.DecimalField(
        _("daily rate excl. VAT (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    fixed_price = models.DecimalField(
        _("fixed price excl. VAT (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    estimated_days = models.DecimalField(
        _("estimated days"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Estimated number of days worked over the whole period of these terms."),
    )
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contract version (amendment)")
        verbose_name_plural = _("contract versions (amendments)")
        ordering = ["contract_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "number"],
                name="cc_version_unique_number",
                violation_error_message=_("This contract already has a version with this number."),
            ),
            models.UniqueConstraint(
                fields=["contract", "effective_from"],
                name="cc_version_unique_effective_from",
                violation_error_message=_(
                    "This contract already has an amendment taking effect on this date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="cc_version_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(pricing_kind=PricingKind.DAILY_RATE, daily_rate__gt=0, fixed_price=None)
                    | Q(pricing_kind=PricingKind.FIXED_PRICE, fixed_price__gt=0, daily_rate=None)
                ),
                name="cc_version_price_positive",
                violation_error_message=_(
                    "Give a daily rate above 0 for a daily-rate contract, or a fixed price"
                    " above 0 for a fixed-price contract."
                ),
            ),
            models.CheckConstraint(
                condition=Q(estimated_days=None) | Q(estimated_days__gt=0),
                name="cc_version_estimated_days_positive",
                violation_error_message=_("The estimated days must be above 0."),
            ),
        ]

    def __str__(self) -> str:
        if self.number == 0:
            return str(_("Original terms"))
        return str(_("Amendment no. %(number)s") % {"number": self.number})

    @property
    def is_amendment(self) -> bool:
        return self.number > 0

    @property
    def price(self):
        return self.daily_rate if self.pricing_kind == PricingKind.DAILY_RATE else self.fixed_price

    @property
    def period_days(self) -> int:
        """Calendar days of the period of these terms (start and end included)."""
        return (self.end_date - self.start_date).days + 1

    @property
    def estimated_days_per_month(self):
        """Estimated days spread evenly over the period, per average month (None if unknown)."""
        if not self.estimated_days:
            return None
        months = Decimal(self.period_days) / DAYS_PER_MONTH
        per_month = Decimal(self.estimated_days) / max(months, Decimal("1"))
        return per_month.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def estimated_daily_rate(self):
        """The daily rate, or for a fixed price the price per estimated day (None if unknown)."""
        if self.pricing_kind == PricingKind.DAILY_RATE:
            return self.daily_rate
        if self.fixed_price and self.estimated_days:
            return (Decimal(self.fixed_price) / Decimal(self.estimated_days)).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
        return None

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _(
                "The end date (%(end)s) cannot be before the start date (%(start)s)."
            ) % {"end": self.end_date.isoformat(), "start": self.start_date.isoformat()}
        if self.pricing_kind == PricingKind.DAILY_RATE:
            if self.daily_rate is None or self.daily_rate <= 0:
                errors["daily_rate"] = _("The daily rate must be above 0 € (%(value)s given).") % {
                    "value": self.daily_rate if self.daily_rate is not None else "-"
                }
            if self.fixed_price is not None:
                errors["fixed_price"] = _("A daily-rate contract has no fixed price.")
        elif self.pricing_kind == PricingKind.FIXED_PRICE:
            if self.fixed_price is None or self.fixed_price <= 0:
                errors["fixed_price"] = _(
                    "The fixed price must be above 0 € (%(value)s given)."
                ) % {"value": self.fixed_price if self.fixed_price is not None else "-"}
            if self.daily_rate is not None:
                errors["daily_rate"] = _("A fixed-price contract has no daily rate.")
        if self.estimated_days is not None and self.estimated_days <= 0:
            errors["estimated_days"] = _("The estimated days must be above 0.")
        if errors:
            raise ValidationError(errors)
