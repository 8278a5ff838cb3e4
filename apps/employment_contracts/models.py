"""The employment contract (CDI or CDD) between the portage company and the consultant.

Limits checked by compliance (PR-12, PR-13, PR-15, PR-27, ...) are not repeated here: the
services call `employment_contract_check`. `clean()` validates one record field by field
(dates in order, what a CDI or a CDD must or must not have, trial period, working time).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.errors import InvalidTransition
from apps.core.models import TimeStampedModel

from .validation import contract_errors

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class EmploymentContract(TimeStampedModel):
    class Kind(models.TextChoices):
        CDI = "cdi", _("Permanent contract (CDI)")
        CDD = "cdd", _("Fixed-term contract (CDD)")

    class TermType(models.TextChoices):
        PRECISE = "precise", _("Precise term (end date)")
        IMPRECISE = "imprecise", _("Imprecise term (minimum duration, ends with the prestation)")

    class WorkingTimeMode(models.TextChoices):
        DAYS = "days", _("Days per year (forfait jours)")
        HOURS = "hours", _("Hours per week")

    class StatusCadre(models.TextChoices):
        CADRE = "cadre", _("Executive (cadre)")
        NON_CADRE = "non_cadre", _("Non-executive (non-cadre)")

    class Classification(models.IntegerChoices):
        """IDCC 3219 levels (avenant n° 12 of 20 December 2022, CCN art. 37), minimum pay as a
        share of the PSS (docs/contracts-law.md §7)."""

        LEVEL_1 = 1, _("Level 1 - first level (69 % of the PSS)")
        LEVEL_2 = 2, _("Level 2 - junior (77 % of the PSS)")
        LEVEL_3 = 3, _("Level 3 - senior (83 % of the PSS)")
        LEVEL_4 = 4, _("Level 4 - expert (94 % of the PSS)")

    class SalaryRule(models.TextChoices):
        ACTIVITY_BASED = (
            "activity_based",
            _("From the activity account: amount available after management fees (CCN art. 21.2)"),
        )

    class PaidLeaveMode(models.TextChoices):
        MONTHLY_ALLOWANCE = "monthly_allowance", _("Paid-leave allowance paid every month")
        ON_LEAVE = "on_leave", _("Paid when the leave is taken")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT_FOR_SIGNATURE = "sent_for_signature", _("Sent for signature")
        SIGNED = "signed", _("Signed")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")
        TERMINATED = "terminated", _("Terminated early")

    # The one map of allowed status changes (DESIGN.md §3.2). A draft or a contract that will
    # never be signed is closed as "terminated" with its reason.
    ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
        Status.DRAFT: frozenset({Status.SENT_FOR_SIGNATURE, Status.TERMINATED}),
        Status.SENT_FOR_SIGNATURE: frozenset({Status.SIGNED, Status.TERMINATED}),
        Status.SIGNED: frozenset({Status.ACTIVE, Status.TERMINATED}),
        Status.ACTIVE: frozenset({Status.ENDED, Status.TERMINATED}),
        Status.ENDED: frozenset(),
        Status.TERMINATED: frozenset(),
    }
    FINAL_STATUSES = frozenset({Status.ENDED, Status.TERMINATED})

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    consultant = models.ForeignKey(
        "consultants.Consultant",
        verbose_name=_("consultant"),
        on_delete=models.PROTECT,
        related_name="employment_contracts",
    )
    kind = models.CharField(_("contract type"), max_length=3, choices=Kind.choices)
    commercial_contracts = models.ManyToManyField(
        "commercial_contracts.CommercialContract",
        verbose_name=_("commercial contracts"),
        related_name="employment_contracts",
        blank=True,
    )
    cdd_reason = models.TextField(
        _("reason for the fixed term"),
        blank=True,
        help_text=_("Required for a CDD: the client prestation the contract is concluded for."),
    )
    term_type = models.CharField(_("term"), max_length=10, choices=TermType.choices, blank=True)
    start_date = models.DateField(_("start date"))
    initial_end_date = models.DateField(
        _("initial end date"),
        null=True,
        blank=True,
        help_text=_(
            "CDD with a precise term only. Renewals and the prospection extension "
            "move the end without changing this date."
        ),
    )
    minimum_duration_months = models.PositiveSmallIntegerField(
        _("minimum duration (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("CDD with an imprecise term only (L1254-11)."),
    )
    imprecise_term_event = models.TextField(
        _("event that ends the contract"),
        blank=True,
        help_text=_(
            "CDD with an imprecise term: the completion of the prestation that ends "
            "the contract (L1254-15 2° d)."
        ),
    )
    trial_period_end = models.DateField(_("last day of the trial period"), null=True, blank=True)
    working_time_mode = models.CharField(
        _("working time"), max_length=5, choices=WorkingTimeMode.choices
    )
    days_per_year = models.PositiveSmallIntegerField(
        _("days per year (forfait jours)"), null=True, blank=True, default=218
    )
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        default=Decimal("35.00"),
    )
    status_cadre = models.CharField(
        _("executive status"), max_length=10, choices=StatusCadre.choices
    )
    classification = models.PositiveSmallIntegerField(
        _("classification level"), choices=Classification.choices
    )
    level_1_since = models.DateField(
        _("at level 1 since"),
        null=True,
        blank=True,
        help_text=_(
            "Start of the time at level 1 for missions of the same nature (PR-27); "
            "the start date when empty."
        ),
    )
    consultant_expertise = models.TextField(
        _("skills, qualifications and fields of expertise"),
        blank=True,
        help_text=_(
            "Printed in the contract (L1254-15 1° d / L1254-21 I 3°); required before "
            "sending for signature."
        ),
    )
    professional_expenses_terms = models.TextField(
        _("terms for professional expenses"),
        blank=True,
        help_text=_(
            "How professional expenses are reimbursed and deducted; a standard clause "
            "is printed when empty."
        ),
    )
    salary_rule = models.CharField(
        _("base salary rule"),
        max_length=20,
        choices=SalaryRule.choices,
        default=SalaryRule.ACTIVITY_BASED,
    )
    business_bonus_rate = models.DecimalField(
        _("business bonus (prime d'apport d'affaires, %)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("5.00"),
        validators=PERCENT,
    )
    reserve_rate = models.DecimalField(
        _("financial reserve (% of the base salary)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        default=Decimal("10.00"),
        validators=PERCENT,
        help_text=_("CDI only (CCN art. 21.3)."),
    )
    end_of_contract_indemnity_rate = models.DecimalField(
        _("end-of-contract indemnity (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        default=Decimal("10.00"),
        validators=PERCENT,
        help_text=_("CDD only (L1243-8, CCN art. 21.3)."),
    )
    paid_leave_mode = models.CharField(
        _("paid leave"),
        max_length=20,
        choices=PaidLeaveMode.choices,
        default=PaidLeaveMode.MONTHLY_ALLOWANCE,
    )
    management_fee_rate = models.DecimalField(
        _("management fee (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    sent_for_signature_at = models.DateTimeField(_("sent for signature at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_pdf = models.FileField(
        _("signed contract (PDF)"), upload_to="employment_contracts/signed/", blank=True
    )
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    prospection_extension_end = models.DateField(
        _("end after the prospection extension"),
        null=True,
        blank=True,
        help_text=_(
            "PR-13 (L1254-13): one postponement of the term, at most 3 months, agreed "
            "to let the consultant prospect new clients."
        ),
    )
    prospection_extension_reason = models.TextField(_("prospection extension"), blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.TextField(_("termination reason"), blank=True)
    pdf_file = models.FileField(
        _("contract PDF"), upload_to="employment_contracts/pdf/", blank=True, editable=False
    )
    pdf_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    pdf_generated_at = models.DateTimeField(
        _("PDF generated at"), null=True, blank=True, editable=False
    )

    history = HistoricalRecords(
        verbose_name=_("historical employment contract"),
        excluded_fields=["pdf_file", "pdf_fingerprint", "pdf_generated_at"],
    )

    class Meta:
        verbose_name = _("employment contract")
        verbose_name_plural = _("employment contracts")
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["status"], name="ec_status_idx"),
            models.Index(fields=["kind", "status"], name="ec_kind_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(initial_end_date__isnull=True)
                | models.Q(initial_end_date__gte=models.F("start_date")),
                name="ec_end_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="cdi") | models.Q(initial_end_date__isnull=True),
                name="ec_cdi_without_end",
            ),
            models.CheckConstraint(
                condition=models.Q(management_fee_rate__gte=0), name="ec_fee_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} - {self.consultant}"

    # --- derived dates ----------------------------------------------------------------------
    @property
    def is_cdd(self) -> bool:
        return self.kind == self.Kind.CDD

    @property
    def renewal_list(self) -> list["EmploymentContractRenewal"]:
        """Renewals by number (uses a prefetch when the selector made one)."""
        if self.pk is None:
            return []
        return sorted(self.renewals.all(), key=lambda renewal: renewal.number)

    @property
    def renewal_count(self) -> int:
        return len(self.renewal_list)

    @property
    def planned_end_date(self):
        """Current planned end incl. renewals (without the prospection extension)."""
        if not self.is_cdd or self.term_type != self.TermType.PRECISE:
            return None
        renewals = self.renewal_list
        return renewals[-1].new_end_date if renewals else self.initial_end_date

    @property
    def effective_end_date(self):
        """The day the CDD ends: the prospection extension when agreed, else the planned end."""
        return self.prospection_extension_end or self.planned_end_date

    @property
    def level_1_start(self):
        return self.level_1_since or self.start_date

    # --- status map ---------------------------------------------------------------------------
    def can_transition_to(self, target: str) -> bool:
        return target in self.ALLOWED_TRANSITIONS.get(self.status, frozenset())

    def check_transition(self, target: str) -> None:
        if not self.can_transition_to(target):
            raise InvalidTransition(
                _("Employment contract %(reference)s cannot go from “%(current)s” to “%(target)s”.")
                % {
                    "reference": self.reference,
                    "current": self.Status(self.status).label,
                    "target": self.Status(target).label,
                },
            )

    # --- validation ---------------------------------------------------------------------------
    def clean(self) -> None:
        errors = contract_errors(self)
        if errors:
            raise ValidationError(errors)


class EmploymentContractRenewal(models.Model):
    """A renewal of a CDD (avenant de renouvellement, L1254-17): a dated amendment moving the
    end date. Renewals are never edited: the history of the term is this list."""

    contract = models.ForeignKey(
        EmploymentContract,
        verbose_name=_("employment contract"),
        on_delete=models.CASCADE,
        related_name="renewals",
    )
    number = models.PositiveSmallIntegerField(_("renewal number"))
    previous_end_date = models.DateField(_("previous end date"))
    new_end_date = models.DateField(_("new end date"))
    signed_on = models.DateField(_("agreed on"))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("CDD renewal")
        verbose_name_plural = _("CDD renewals")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="ec_unique_renewal_number"),
            models.CheckConstraint(
                condition=models.Q(new_end_date__gt=models.F("previous_end_date")),
                name="ec_renewal_moves_end_later",
            ),
        ]

    def __str__(self) -> str:
        return _("Renewal %(number)s until %(end)s") % {
            "number": self.number,
            "end": self.new_end_date.isoformat(),
        }
