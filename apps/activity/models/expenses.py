"""Expense claims (notes de frais): professional expenses a consultant paid and asks to be
reimbursed from their compte d'activité (PR-24: expenses are taken from the montant
disponible and reimbursed without contributions).

A claim groups lines (one expense each, with its receipt; a mileage line is computed from
the barème kilométrique). It goes draft -> submitted (totals frozen) -> approved by staff
(or rejected with a reason; a rejected claim may be reopened as a draft to correct it) ->
reimbursed (one ledger entry, never beyond the available balance). Lines marked for
rebilling are picked up by the next invoice of the claim's commercial contract.

Rows are written only by services/expenses.py; the constraints below guard the invariants
the services rely on (positive amounts, VAT within the amount, totals consistent).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.errors import InvalidTransition
from apps.core.models import TimeStampedModel

__all__ = [
    "ExpenseCategory",
    "ExpenseClaim",
    "ExpenseClaimStatus",
    "ExpenseLine",
    "VehicleType",
    "expense_receipt_path",
]

ZERO = Decimal("0.00")


class ExpenseClaimStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting approval")
    APPROVED = "approved", _("Approved, awaiting reimbursement")
    REJECTED = "rejected", _("Rejected")
    REIMBURSED = "reimbursed", _("Reimbursed")


class ExpenseCategory(models.TextChoices):
    TRANSPORT = "transport", _("Transport (train, plane, taxi, tolls, parking)")
    MEALS = "meals", _("Meals")
    LODGING = "lodging", _("Lodging")
    MILEAGE = "mileage", _("Mileage allowance (own vehicle)")
    OTHER = "other", _("Other")


class VehicleType(models.TextChoices):
    """The vehicle of a mileage line; the barème has one table per kind of vehicle and
    increases the amounts by 20 % for fully electric ones."""

    CAR = "car", _("Car (petrol, diesel, hybrid, hydrogen)")
    ELECTRIC_CAR = "electric_car", _("Car, fully electric")
    MOTORCYCLE = "motorcycle", _("Motorcycle or scooter over 50 cm³")
    ELECTRIC_MOTORCYCLE = "electric_motorcycle", _("Motorcycle over 50 cm³, fully electric")
    MOPED = "moped", _("Moped (50 cm³ or less)")
    ELECTRIC_MOPED = "electric_moped", _("Moped, fully electric")


def expense_receipt_path(instance: "ExpenseLine", filename: str) -> str:
    """expenses/<consultant_id>/<uuid>.<ext>: the extension comes from the type read in the
    content (set by the service before saving), the client's file name is ignored."""
    from apps.activity.services.uploads import receipt_storage_name

    return receipt_storage_name(
        consultant_id=instance.claim.consultant_id, content_type=instance.receipt_content_type
    )


class ExpenseClaim(TimeStampedModel):
    """A set of expenses of one consultant, reimbursed together."""

    Status = ExpenseClaimStatus

    # The one map of allowed status changes (DESIGN.md §3.2), checked in `check_transition`.
    ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
        Status.DRAFT: frozenset({Status.SUBMITTED}),
        Status.SUBMITTED: frozenset({Status.APPROVED, Status.REJECTED}),
        Status.APPROVED: frozenset({Status.REIMBURSED}),
        Status.REJECTED: frozenset({Status.DRAFT}),
        Status.REIMBURSED: frozenset(),
    }
    # Claims whose lines may be rebilled to the client (approved by staff).
    REBILLABLE = frozenset({Status.APPROVED, Status.REIMBURSED})

    consultant = models.ForeignKey(
        "consultants.Consultant",
        on_delete=models.PROTECT,
        related_name="expense_claims",
        verbose_name=_("consultant"),
    )
    commercial_contract = models.ForeignKey(
        "commercial_contracts.CommercialContract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expense_claims",
        verbose_name=_("commercial contract"),
        help_text=_(
            "The mission the expenses relate to; required to rebill expenses to its client."
        ),
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Computed from the lines by the services; frozen at submission.
    total_ttc = models.DecimalField(
        _("total incl. VAT (€)"), max_digits=12, decimal_places=2, default=ZERO
    )
    total_vat = models.DecimalField(
        _("total VAT (€)"), max_digits=12, decimal_places=2, default=ZERO
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
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rejected by"),
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    reimbursed_at = models.DateTimeField(_("reimbursed at"), null=True, blank=True)
    reimbursed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reimbursed by"),
    )
    reimbursement_date = models.DateField(
        _("reimbursement date"),
        null=True,
        blank=True,
        help_text=_("Date of the movement on the activity account."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    history = HistoricalRecords(verbose_name=_("historical expense claim"))

    class Meta:
        verbose_name = _("expense claim")
        verbose_name_plural = _("expense claims")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="expense_claim_status_idx"),
            models.Index(fields=["consultant", "-created_at"], name="expense_claim_consultant_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_ttc__gte=0)
                & Q(total_vat__gte=0)
                & Q(total_vat__lte=F("total_ttc")),
                name="expense_claim_totals_consistent",
                violation_error_message=_(
                    "The totals must be positive and the VAT cannot exceed the total."
                ),
            ),
        ]

    def __str__(self) -> str:
        return _("Expense claim #%(id)s: %(title)s") % {"id": self.pk or "—", "title": self.title}

    @property
    def total_ht(self) -> Decimal:
        return self.total_ttc - self.total_vat

    @property
    def is_editable(self) -> bool:
        """Lines can be added, changed or removed only while the claim is a draft."""
        return self.status == self.Status.DRAFT

    def get_portal_url(self) -> str:
        """Link from the consultant's activity account (ledger statement) to the claim."""
        from django.urls import reverse

        return reverse("portal:expense_claim_edit", args=[self.pk])

    def clean(self) -> None:
        if (
            self.commercial_contract_id is not None
            and self.consultant_id is not None
            and self.commercial_contract.consultant_id != self.consultant_id
        ):
            raise ValidationError(
                {
                    "commercial_contract": _(
                        "The contract %(reference)s is not one of this consultant's missions."
                    )
                    % {"reference": self.commercial_contract.reference}
                }
            )

    # --- status map ---------------------------------------------------------------------
    def can_transition_to(self, target: str) -> bool:
        return target in self.ALLOWED_TRANSITIONS.get(self.status, frozenset())

    def check_transition(self, target: str) -> None:
        if not self.can_transition_to(target):
            raise InvalidTransition(
                _("An expense claim cannot go from “%(current)s” to “%(target)s”.")
                % {
                    "current": self.Status(self.status).label,
                    "target": self.Status(target).label,
                }
            )


class ExpenseLine(TimeStampedModel):
    """One expense: a dated amount with its receipt, or a mileage allowance."""

    Category = ExpenseCategory

    claim = models.ForeignKey(
        ExpenseClaim,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("expense claim"),
    )
    date = models.DateField(_("date of the expense"))
    category = models.CharField(_("category"), max_length=20, choices=ExpenseCategory.choices)
    description = models.CharField(
        _("description"), max_length=255, help_text=_("What, where and why (e.g. the trip).")
    )
    amount_ttc = models.DecimalField(_("amount incl. VAT (€)"), max_digits=12, decimal_places=2)
    vat_amount = models.DecimalField(
        _("VAT (€)"),
        max_digits=12,
        decimal_places=2,
        default=ZERO,
        help_text=_("The VAT shown on the receipt; 0 when there is none."),
    )
    receipt = models.FileField(
        _("receipt"), upload_to=expense_receipt_path, blank=True, max_length=255
    )
    # Read from the file's content at upload (uploads.receipt_check), served with the file.
    receipt_content_type = models.CharField(_("receipt type"), max_length=40, blank=True)

    # Mileage allowance only (category "mileage"): see services/mileage.py.
    vehicle_type = models.CharField(
        _("vehicle"), max_length=30, choices=VehicleType.choices, blank=True
    )
    fiscal_horsepower = models.PositiveSmallIntegerField(
        _("fiscal horsepower (CV)"),
        null=True,
        blank=True,
        help_text=_("Box P.6 of the registration certificate (carte grise)."),
    )
    distance_km = models.DecimalField(
        _("distance of the trip (km)"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    yearly_distance_km = models.PositiveIntegerField(
        _("yearly professional distance (km)"),
        null=True,
        blank=True,
        help_text=_(
            "The distance you drive for work in the year with this vehicle: it chooses the band"
            " of the barème."
        ),
    )
    mileage_scale = models.CharField(_("barème edition"), max_length=20, blank=True)
    mileage_rate_per_km = models.DecimalField(
        _("rate per km (€)"), max_digits=9, decimal_places=5, null=True, blank=True
    )

    rebill_to_client = models.BooleanField(
        _("rebill to the client"),
        default=False,
        help_text=_("Only when the claim's commercial contract provides for rebilling expenses."),
    )
    rebilled_invoice_reference = models.CharField(
        _("rebilled on invoice"), max_length=40, blank=True
    )
    rebilled_at = models.DateTimeField(_("rebilled at"), null=True, blank=True)

    history = HistoricalRecords(verbose_name=_("historical expense line"))

    class Meta:
        verbose_name = _("expense line")
        verbose_name_plural = _("expense lines")
        ordering = ["date", "pk"]
        indexes = [
            models.Index(
                fields=["rebill_to_client", "rebilled_invoice_reference"],
                name="expense_line_rebill_idx",
                condition=Q(rebill_to_client=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_ttc__gt=0),
                name="expense_line_amount_positive",
                violation_error_message=_("The amount must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=Q(vat_amount__gte=0) & Q(vat_amount__lte=F("amount_ttc")),
                name="expense_line_vat_within_amount",
                violation_error_message=_(
                    "The VAT cannot be negative nor exceed the amount including VAT."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} · {self.get_category_display()} · {self.amount_ttc} €"

    @property
    def amount_ht(self) -> Decimal:
        return (self.amount_ttc or ZERO) - (self.vat_amount or ZERO)

    @property
    def is_mileage(self) -> bool:
        return self.category == ExpenseCategory.MILEAGE

    @property
    def is_rebilled(self) -> bool:
        return bool(self.rebilled_invoice_reference)

    # --- validation (the constraints and the rules, with messages naming the field) ---------
    def clean(self) -> None:
        errors: dict[str, list] = {}

        def add(field: str, message) -> None:
            errors.setdefault(field, []).append(message)

        if self.amount_ttc is not None and self.amount_ttc <= 0:
            add("amount_ttc", _("The amount must be greater than zero."))
        if self.vat_amount is not None:
            if self.vat_amount < 0:
                add("vat_amount", _("The VAT cannot be negative."))
            elif self.amount_ttc is not None and self.vat_amount > self.amount_ttc:
                add(
                    "vat_amount",
                    _("The VAT (%(vat)s €) cannot exceed the amount including VAT (%(amount)s €).")
                    % {"vat": self.vat_amount, "amount": self.amount_ttc},
                )
        if self.is_mileage:
            if not self.vehicle_type:
                add("vehicle_type", _("Choose the type of vehicle."))
            if self.distance_km is None:
                add("distance_km", _("Give the distance of the trip."))
            if self.yearly_distance_km is None:
                add("yearly_distance_km", _("Give your yearly professional distance."))
            if self.vat_amount:
                add("vat_amount", _("A mileage allowance has no VAT."))
        else:
            if not self.receipt:
                add("receipt", _("Attach the receipt (PDF, JPEG or PNG)."))
            for name in ("vehicle_type", "fiscal_horsepower", "distance_km", "yearly_distance_km"):
                if getattr(self, name) not in (None, ""):
                    add(name, _("Only a mileage allowance has a vehicle and distances."))
        if self.rebill_to_client and self.claim_id is not None:
            contract = self.claim.commercial_contract
            if contract is None:
                add(
                    "rebill_to_client",
                    _(
                        "Choose the mission (commercial contract) of the claim to rebill an expense."
                    ),
                )
            elif not contract.rebill_expenses:
                add(
                    "rebill_to_client",
                    _(
                        "The contract %(reference)s does not provide for rebilling expenses to the"
                        " client."
                    )
                    % {"reference": contract.reference},
                )
        if errors:
            raise ValidationError(errors)
