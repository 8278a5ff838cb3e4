"""The consultant (salarié porté): identity, NIR, bank account, eligibility, status, fees."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.choices import Civility
from apps.core.errors import InvalidTransition
from apps.core.models import TimeStampedModel
from apps.core.validators import (
    compact_identifier,
    nir_matches_birth,
    validate_bic,
    validate_iban,
    validate_nir,
)

from .rules import default_management_fee_rate, management_fee_bounds

validate_country_code = RegexValidator(
    r"^[A-Z]{2}$", _("Enter a two-letter ISO 3166 country code, e.g. FR.")
)

# NIR first digit -> sex: 1/2 born in France or registered, 3/4 (historical) and 7/8
# (temporary numbers of people born abroad) follow the same odd = man, even = woman rule.
NIR_SEX_DIGITS = {"1": "M", "3": "M", "7": "M", "2": "F", "4": "F", "8": "F"}


class Consultant(TimeStampedModel):
    Civility = Civility

    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class DiplomaLevel(models.IntegerChoices):
        """French nomenclature of certification levels (décret n° 2019-14, 8 January 2019)."""

        NONE = 2, _("No diploma at level 3 or above")
        LEVEL_3 = 3, _("Level 3 (CAP, BEP)")
        LEVEL_4 = 4, _("Level 4 (baccalauréat)")
        LEVEL_5 = 5, _("Level 5 (Bac+2: BTS, DUT, DEUG)")
        LEVEL_6 = 6, _("Level 6 (Bac+3/4: licence, BUT, master 1)")
        LEVEL_7 = 7, _("Level 7 (Bac+5: master, engineering degree)")
        LEVEL_8 = 8, _("Level 8 (doctorate)")

    class StatusCadre(models.TextChoices):
        CADRE = "cadre", _("Executive (cadre)")
        NON_CADRE = "non_cadre", _("Non-executive (non-cadre)")

    class Status(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        ACTIVE = "active", _("Active")
        LEFT = "left", _("Left")

    # The one map of allowed status changes (DESIGN.md §3.2); services check it via
    # `check_transition`. A prospect who never starts is closed as "left" too.
    ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
        Status.PROSPECT: frozenset({Status.ACTIVE, Status.LEFT}),
        Status.ACTIVE: frozenset({Status.LEFT}),
        Status.LEFT: frozenset(),
    }

    civility = models.CharField(_("civility"), max_length=3, choices=Civility.choices)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    birth_name = models.CharField(
        _("birth name"), max_length=150, blank=True, help_text=_("If different from last name.")
    )
    birth_date = models.DateField(_("birth date"))
    birth_place = models.CharField(_("birth place"), max_length=150)
    birth_country = models.CharField(
        _("birth country"), max_length=2, default="FR", validators=[validate_country_code]
    )
    sex = models.CharField(
        _("sex"),
        max_length=1,
        choices=Sex.choices,
        blank=True,
        help_text=_("Derived from the first digit of the social security number if left empty."),
    )
    nir = models.CharField(
        _("social security number (NIR)"),
        max_length=15,
        unique=True,
        validators=[validate_nir],
        error_messages={
            "unique": _("A consultant with this social security number already exists.")
        },
    )
    nationality = models.CharField(
        _("nationality"), max_length=2, default="FR", validators=[validate_country_code]
    )
    address_line1 = models.CharField(_("address"), max_length=200)
    address_line2 = models.CharField(_("address (continued)"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(
        _("country"), max_length=2, default="FR", validators=[validate_country_code]
    )
    email = models.EmailField(
        _("e-mail address"),
        unique=True,
        error_messages={"unique": _("A consultant with this e-mail address already exists.")},
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, blank=True, validators=[validate_bic])

    highest_diploma_level = models.PositiveSmallIntegerField(
        _("highest diploma level"), choices=DiplomaLevel.choices, null=True, blank=True
    )
    years_of_experience = models.DecimalField(
        _("years of experience in the sector"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    eligibility_evidence = models.TextField(
        _("eligibility evidence"),
        blank=True,
        help_text=_("Diplomas, certificates of employment or CV pages kept as proof (PR-06)."),
    )
    status_cadre = models.CharField(
        _("executive status"), max_length=10, choices=StatusCadre.choices, default=StatusCadre.CADRE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROSPECT
    )
    activated_on = models.DateField(_("active since"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    management_fee_rate = models.DecimalField(
        _("management fee (%)"),
        max_digits=5,
        decimal_places=2,
        default=default_management_fee_rate,
        help_text=_("Share of the turnover collected (excl. VAT) kept as management fee."),
    )
    # Prélèvement à la source: the rate the tax administration sends in the DSN return
    # (compte rendu métier); without it the neutral grid of the period applies (CGI 204 H).
    income_tax_rate = models.DecimalField(
        _("personalised income tax rate (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_(
            "Withholding rate received from the tax administration (DSN return). Leave empty"
            " to apply the neutral grid."
        ),
    )
    income_tax_rate_received_on = models.DateField(
        _("income tax rate received on"), null=True, blank=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultant",
    )
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    # The payslip is always in the portal; e-mailed only with the consultant's consent.
    payslip_email_opt_in = models.BooleanField(
        _("receive payslips by e-mail"),
        default=False,
        help_text=_("E-mail each new payslip (PDF attached) to the consultant's address."),
    )

    history = HistoricalRecords(verbose_name=_("historical consultant"))

    class Meta:
        verbose_name = _("consultant")
        verbose_name_plural = _("consultants")
        ordering = ["last_name", "first_name", "pk"]
        indexes = [
            models.Index(fields=["status"], name="consultant_status_idx"),
            models.Index(fields=["last_name", "first_name"], name="consultant_name_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def full_name(self) -> str:
        return str(self)

    # --- status map ---------------------------------------------------------------------
    def can_transition_to(self, target: str) -> bool:
        return target in self.ALLOWED_TRANSITIONS.get(self.status, frozenset())

    def check_transition(self, target: str) -> None:
        if not self.can_transition_to(target):
            raise InvalidTransition(
                _("A consultant cannot go from status “%(current)s” to “%(target)s”.")
                % {
                    "current": self.Status(self.status).label,
                    "target": self.Status(target).label,
                },
                code="invalid_transition",
            )

    # --- validation ---------------------------------------------------------------------
    def normalize(self) -> None:
        """Identifiers are stored compact and upper-case; e-mails lower-case."""
        self.nir = compact_identifier(self.nir)
        self.iban = compact_identifier(self.iban)
        self.bic = compact_identifier(self.bic)
        self.email = (self.email or "").strip().lower()
        for field in ("birth_country", "nationality", "country"):
            setattr(self, field, (getattr(self, field) or "").strip().upper())
        if not self.sex and self.nir[:1] in NIR_SEX_DIGITS:
            self.sex = NIR_SEX_DIGITS[self.nir[:1]]

    def clean_fields(self, exclude=None) -> None:
        self.normalize()
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, object] = {}
        today = timezone.localdate()
        if self.birth_date and self.birth_date >= today:
            errors["birth_date"] = _("The birth date must be in the past.")
        if self.nir and len(self.nir) == 15:
            nir_sex = NIR_SEX_DIGITS.get(self.nir[0])
            if self.sex and nir_sex and nir_sex != self.sex:
                errors["sex"] = _(
                    "The sex does not match the social security number (first digit %(digit)s)."
                ) % {"digit": self.nir[0]}
            elif self.birth_date and not nir_matches_birth(self.nir, self.birth_date):
                errors["nir"] = _(
                    "The social security number does not match the birth date: it encodes "
                    "year %(year)s and month %(month)s."
                ) % {"year": self.nir[1:3], "month": self.nir[3:5]}
        if self.income_tax_rate is not None and self.income_tax_rate_received_on is None:
            errors["income_tax_rate_received_on"] = _(
                "Give the date the personalised rate was received from the tax administration."
            )
        if self.iban and not self.bic:
            errors["bic"] = _("The BIC is required with the IBAN.")
        if self.bic and not self.iban:
            errors["iban"] = _("The IBAN is required with the BIC.")
        if self.management_fee_rate is not None:
            bounds = management_fee_bounds()
            if not bounds["min"] <= self.management_fee_rate <= bounds["max"]:
                errors["management_fee_rate"] = _(
                    "The management fee must lie between %(min)s %% and %(max)s %%."
                ) % {"min": bounds["min"], "max": bounds["max"]}
        if self.status == self.Status.LEFT and not self.left_on:
            errors["left_on"] = _("A consultant who left needs a leaving date.")
        if self.left_on and self.activated_on and self.left_on < self.activated_on:
            errors["left_on"] = _("The leaving date cannot be before the activation date.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)

    # --- display helpers ----------------------------------------------------------------
    @property
    def masked_iban(self) -> str:
        """FR76 **** **** 1234: enough to recognise the account, not to use it."""
        if not self.iban:
            return ""
        return f"{self.iban[:4]} **** **** {self.iban[-4:]}"

    @property
    def has_portal_account(self) -> bool:
        return self.user_id is not None
