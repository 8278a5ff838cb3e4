"""Client companies (the *entreprises clientes* of portage) and their contacts.

Validation lives here (clean / constraints) so that the services, the API and the admin all
apply the same rules; services call full_clean() before every save.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from stdnum.fr import siren as stdnum_siren

from apps.core.choices import Civility
from apps.core.models import TimeStampedModel
from apps.core.validators import compact_identifier, validate_siren, validate_siret

from . import identifiers
from .countries import FRANCE, validate_country_code
from .rules import (
    DEFAULT_PAYMENT_TERMS_DAYS,
    DEFAULT_PAYMENT_TERMS_KIND,
    PaymentTermsKind,
    payment_terms_max_days,
    payment_terms_rules_on,
)


class LegalForm(models.TextChoices):
    """Legal persons only: PR-01 (L1254-1) forbids private persons as clients, so there is
    deliberately no "individual" / "entrepreneur individuel" choice."""

    SAS = "sas", _("SAS")
    SASU = "sasu", _("SASU")
    SARL = "sarl", _("SARL")
    EURL = "eurl", _("EURL")
    SA = "sa", _("SA")
    SNC = "snc", _("SNC")
    SCA = "sca", _("SCA")
    SCS = "scs", _("SCS")
    SCOP = "scop", _("SCOP")
    SEL = "sel", _("SEL (SELARL, SELAS, ...)")
    GIE = "gie", _("GIE")
    ASSOCIATION = "association", _("Association")
    PUBLIC_BODY = "public_body", _("Public body")
    FOREIGN_COMPANY = "foreign_company", _("Foreign company")
    OTHER = "other", _("Other legal person")


# Forms that only exist under French law: a client registered abroad cannot have them.
FRENCH_ONLY_LEGAL_FORMS = frozenset(
    {
        LegalForm.SAS,
        LegalForm.SASU,
        LegalForm.SARL,
        LegalForm.EURL,
        LegalForm.SA,
        LegalForm.SNC,
        LegalForm.SCA,
        LegalForm.SCS,
        LegalForm.SCOP,
        LegalForm.SEL,
        LegalForm.GIE,
    }
)


class DocumentLanguage(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class ClientCompany(TimeStampedModel):
    """A company (never a private person, PR-01) that buys consultants' services."""

    legal_name = models.CharField(_("legal name"), max_length=200)
    trade_name = models.CharField(_("trade name"), max_length=200, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    country = models.CharField(
        _("country of registration"),
        max_length=2,
        default=FRANCE,
        validators=[validate_country_code],
        help_text=_("ISO 3166 two-letter code: FR, DE, CH, ..."),
    )
    siren = models.CharField(
        _("SIREN"),
        max_length=9,
        blank=True,
        validators=[validate_siren],
        help_text=_("Required for a company registered in France."),
    )
    siret = models.CharField(
        _("SIRET of the billed establishment"),
        max_length=14,
        blank=True,
        validators=[validate_siret],
    )
    vat_number = models.CharField(
        _("intra-EU VAT number"),
        max_length=20,
        blank=True,
        help_text=_("Required for a company registered in another EU member state."),
    )
    registration_id = models.CharField(
        _("foreign registration number"),
        max_length=60,
        blank=True,
        help_text=_(
            "Company registration number abroad (Handelsregister, Swiss UID CHE-..., ...)."
            " Required for a company registered outside France."
        ),
    )

    billing_address_line1 = models.CharField(_("billing address"), max_length=200)
    billing_address_line2 = models.CharField(
        _("billing address (continued)"), max_length=200, blank=True
    )
    billing_postal_code = models.CharField(_("billing postal code"), max_length=20)
    billing_city = models.CharField(_("billing city"), max_length=100)
    billing_country = models.CharField(
        _("billing country"), max_length=2, default=FRANCE, validators=[validate_country_code]
    )
    delivery_address_line1 = models.CharField(
        _("site address"),
        max_length=200,
        blank=True,
        help_text=_("Only if the services are performed at another address (L441-9)."),
    )
    delivery_address_line2 = models.CharField(
        _("site address (continued)"), max_length=200, blank=True
    )
    delivery_postal_code = models.CharField(_("site postal code"), max_length=20, blank=True)
    delivery_city = models.CharField(_("site city"), max_length=100, blank=True)
    delivery_country = models.CharField(
        _("site country"), max_length=2, blank=True, validators=[validate_country_code]
    )

    payment_terms_kind = models.CharField(
        _("payment terms"),
        max_length=20,
        choices=PaymentTermsKind.choices,
        default=DEFAULT_PAYMENT_TERMS_KIND,
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), default=DEFAULT_PAYMENT_TERMS_DAYS
    )
    document_language = models.CharField(
        _("document language"),
        max_length=2,
        choices=DocumentLanguage.choices,
        default=DocumentLanguage.FRENCH,
    )
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    IDENTIFIER_FIELDS = ("siren", "siret", "vat_number")

    class Meta:
        verbose_name = _("client company")
        verbose_name_plural = _("client companies")
        ordering = ["legal_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["siren"], condition=~models.Q(siren=""), name="clients_unique_siren"
            ),
            models.UniqueConstraint(
                fields=["siret"], condition=~models.Q(siret=""), name="clients_unique_siret"
            ),
        ]

    def __str__(self) -> str:
        return self.legal_name

    @property
    def is_french(self) -> bool:
        return self.country == FRANCE

    @property
    def siren_display(self) -> str:
        return stdnum_siren.format(self.siren) if self.siren else ""

    @property
    def payment_terms_label(self) -> str:
        return f"{self.payment_terms_days} {self.get_payment_terms_kind_display()}"

    def normalize(self) -> None:
        """Identifiers are stored compact and upper-case ("732 829 320" -> "732829320")."""
        for name in self.IDENTIFIER_FIELDS:
            # Commas too: stdnum accepts "DE 136,695 976" as written on some documents.
            setattr(self, name, compact_identifier(getattr(self, name)).replace(",", ""))
        self.registration_id = identifiers.normalize_registration_id(
            self.registration_id, self.country
        )
        for name in ("country", "billing_country", "delivery_country"):
            setattr(self, name, (getattr(self, name) or "").strip().upper())

    def clean_fields(self, exclude=None) -> None:
        # Normalise before the field validators so that "732 829 320" passes max_length=9.
        self.normalize()
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, list] = {}

        def add(field, message):
            errors.setdefault(field, []).append(message)

        for field, message in identifiers.company_identifier_errors(self):
            add(field, message)
        for field, message in self._payment_terms_errors():
            add(field, message)
        for field, message in self._address_errors():
            add(field, message)
        for field, message in self._duplicate_errors():
            add(field, message)
        if errors:
            raise ValidationError(errors)

    def _payment_terms_errors(self):
        if self.payment_terms_days is None or not self.payment_terms_kind:
            return
        today = timezone.localdate()
        maximum = payment_terms_max_days(self.payment_terms_kind, on=today)
        if self.payment_terms_days > maximum:
            yield (
                "payment_terms_days",
                ValidationError(
                    _(
                        "Payment terms of %(days)s %(kind)s exceed the legal maximum of"
                        " %(max)s days (%(source)s)."
                    ),
                    code="payment_terms_too_long",
                    params={
                        "days": self.payment_terms_days,
                        "kind": self.get_payment_terms_kind_display(),
                        "max": maximum,
                        "source": payment_terms_rules_on(today)["source"],
                    },
                ),
            )

    def _address_errors(self):
        if self.billing_country == FRANCE and self.billing_postal_code:
            code = self.billing_postal_code.strip()
            if not (len(code) == 5 and code.isdigit()):
                yield (
                    "billing_postal_code",
                    _("A French postal code has exactly 5 digits."),
                )
        delivery = {
            "delivery_address_line1": self.delivery_address_line1,
            "delivery_postal_code": self.delivery_postal_code,
            "delivery_city": self.delivery_city,
            "delivery_country": self.delivery_country,
        }
        if any(delivery.values()) or self.delivery_address_line2:
            for field, value in delivery.items():
                if not value:
                    yield field, _("Complete the site address or leave it entirely empty.")

    def _duplicate_errors(self):
        others = ClientCompany.objects.exclude(pk=self.pk) if self.pk else ClientCompany.objects
        for field, label in (("siren", _("SIREN")), ("siret", _("SIRET"))):
            value = getattr(self, field)
            if not value:
                continue
            existing = others.filter(**{field: value}).only("pk", "legal_name").first()
            if existing:
                yield (
                    field,
                    ValidationError(
                        _("%(label)s %(value)s is already used by the client “%(client)s”."),
                        code="duplicate",
                        params={
                            "label": label,
                            "value": value,
                            "client": f"{existing.legal_name} (#{existing.pk})",
                        },
                    ),
                )


class ContactKind(models.TextChoices):
    BILLING = "billing", _("Billing")
    OPERATIONAL = "operational", _("Operational")
    SIGNATORY = "signatory", _("Signatory")


class ClientContact(TimeStampedModel):
    client = models.ForeignKey(
        ClientCompany,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("client"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ContactKind.choices)
    civility = models.CharField(_("civility"), max_length=3, choices=Civility.choices, blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_primary = models.BooleanField(
        _("primary"),
        default=False,
        help_text=_("The contact used by default for this kind (one per kind)."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("client contact")
        verbose_name_plural = _("client contacts")
        ordering = ["client_id", "kind", "-is_primary", "last_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "kind"],
                condition=models.Q(is_primary=True),
                name="clients_one_primary_contact_per_kind",
                violation_error_message=_(
                    "This client already has a primary contact of this kind."
                ),
            ),
        ]

    def __str__(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return f"{name} ({self.get_kind_display()})"

    def clean(self) -> None:
        self.email = (self.email or "").strip().lower()
        if self.kind == ContactKind.BILLING and not self.email:
            raise ValidationError(
                {"email": _("A billing contact needs an e-mail address: invoices are e-mailed.")}
            )
