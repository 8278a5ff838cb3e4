"""Shared model bases and the company's own settings (identity, defaults, bounds)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import validate_siren, validate_siret, validate_vat


class TimeStampedModel(models.Model):
    """created_at / updated_at on every business row."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class CompanyProfile(TimeStampedModel):
    """The portage company itself (one row): identity printed on documents, defaults and bounds.

    Values that change with time or law (management fee bounds, headcount) are editable by
    staff here rather than constants in code.
    """

    legal_name = models.CharField(_("legal name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=50, default="SAS")
    share_capital = models.DecimalField(
        _("share capital (€)"), max_digits=14, decimal_places=2, default=Decimal("10000.00")
    )
    siren = models.CharField(_("SIREN"), max_length=9, validators=[validate_siren])
    siret = models.CharField(
        _("SIRET of the head office"), max_length=14, validators=[validate_siret]
    )
    vat_number = models.CharField(
        _("intra-EU VAT number"), max_length=20, validators=[validate_vat]
    )
    rcs_city = models.CharField(_("RCS registry city"), max_length=100)
    naf_code = models.CharField(_("NAF/APE code"), max_length=6, default="7830Z")
    address_line1 = models.CharField(_("address"), max_length=200)
    address_line2 = models.CharField(_("address (continued)"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    email = models.EmailField(_("contact e-mail"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    iban = models.CharField(_("IBAN for client payments"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    # Printed at the top of invoices (embedded in the PDF, never fetched from the network).
    logo = models.FileField(
        _("logo"),
        upload_to="company/",
        blank=True,
        validators=[FileExtensionValidator(["png", "svg"])],
        help_text=_("PNG or SVG, printed at the top of invoices."),
    )
    # CGI 269-2-c: VAT on services is due on collection unless the company opted for the
    # debits; the option is then a mandatory mention of every invoice (invoicing.md §5).
    vat_on_debits = models.BooleanField(
        _("VAT on debits"),
        default=False,
        help_text=_(
            "The company opted to pay VAT when invoicing (option pour le paiement de la taxe "
            "d'après les débits); the option is printed on every invoice."
        ),
    )
    headcount = models.PositiveIntegerField(
        _("headcount"),
        default=20,
        help_text=_("Average headcount: sets payroll thresholds (11, 50, 250 employees)."),
    )
    default_management_fee_rate = models.DecimalField(
        _("default management fee (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("7.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    min_management_fee_rate = models.DecimalField(
        _("minimum management fee (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("3.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    max_management_fee_rate = models.DecimalField(
        _("maximum management fee (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("15.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    # Mandatory mentions of the contracts (L1254-23 8° and 9°, L1254-14, L1254-20):
    # who guarantees the wages if the company fails (L1254-26), who insures the consultant's
    # professional liability, and the pension and provident bodies.
    financial_guarantor_name = models.CharField(
        _("financial guarantor"),
        max_length=200,
        blank=True,
        help_text=_("Body giving the financial guarantee of L1254-26 (bank, insurer)."),
    )
    financial_guarantor_address = models.CharField(
        _("financial guarantor address"), max_length=300, blank=True
    )
    rc_insurer_name = models.CharField(
        _("professional liability insurer"), max_length=200, blank=True
    )
    rc_insurer_address = models.CharField(
        _("professional liability insurer address"), max_length=300, blank=True
    )
    rc_policy_number = models.CharField(
        _("professional liability policy number"), max_length=100, blank=True
    )
    pension_fund_name = models.CharField(
        _("supplementary pension fund"), max_length=200, blank=True
    )
    pension_fund_address = models.CharField(
        _("supplementary pension fund address"), max_length=300, blank=True
    )
    provident_body_name = models.CharField(_("provident body"), max_length=200, blank=True)
    provident_body_address = models.CharField(
        _("provident body address"), max_length=300, blank=True
    )
    administrative_declaration_date = models.DateField(
        _("declaration to the administration"),
        null=True,
        blank=True,
        help_text=_("Prior declaration of the portage activity (L1254-27, PR-08)."),
    )
    administrative_declaration_reference = models.CharField(
        _("declaration reference"), max_length=100, blank=True
    )

    class Meta:
        verbose_name = _("company profile")
        verbose_name_plural = _("company profile")

    def __str__(self) -> str:
        return self.legal_name

    def clean(self) -> None:
        errors = {}
        if self.min_management_fee_rate > self.max_management_fee_rate:
            errors["min_management_fee_rate"] = _(
                "The minimum management fee cannot exceed the maximum."
            )
        elif not (
            self.min_management_fee_rate
            <= self.default_management_fee_rate
            <= self.max_management_fee_rate
        ):
            errors["default_management_fee_rate"] = _(
                "The default management fee must lie between the minimum and the maximum."
            )
        if self.siren and self.siret and not self.siret.startswith(self.siren):
            errors["siret"] = _("The SIRET must start with the company's SIREN.")
        if errors:
            raise ValidationError(errors)


class DocumentSequence(TimeStampedModel):
    """The last number given in a series for a year (see sequences.py)."""

    series = models.CharField(_("series"), max_length=20)
    year = models.PositiveIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document sequence")
        verbose_name_plural = _("document sequences")
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="unique_sequence_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last_number}"
