"""Payments received (bank transfers), their allocation to invoices (lettrage) and the bank
statement files they may come from.

An allocation is the only thing that moves money onto a consultant's compte d'activité: the
share excl. VAT is credited and the management fee debited, in the allocation's transaction,
with ledger entries unique per allocation. What a payment does not allocate stays available
(an unallocated credit of the payer).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel

__all__ = [
    "PaymentSource",
    "Payment",
    "PaymentAllocation",
    "BankStatementFormat",
    "BankStatementImport",
    "BankStatementLineStatus",
    "BankStatementLine",
]


class PaymentSource(models.TextChoices):
    MANUAL = "manual", _("Recorded by hand")
    BANK_STATEMENT = "bank_statement", _("Bank statement import")


class Payment(TimeStampedModel):
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    payer_name = models.CharField(_("payer"), max_length=200)
    bank_reference = models.CharField(_("bank reference"), max_length=200, blank=True)
    # The client company identified as the payer (may stay empty until matched).
    client = models.ForeignKey(
        "clients.ClientCompany",
        on_delete=models.PROTECT,
        related_name="payments",
        null=True,
        blank=True,
        verbose_name=_("client company"),
    )
    source = models.CharField(
        _("source"), max_length=20, choices=PaymentSource.choices, default=PaymentSource.MANUAL
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(name="payment_amount_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self) -> str:
        return _("%(payer)s, %(amount)s € on %(date)s") % {
            "payer": self.payer_name,
            "amount": number_format(self.amount, 2, force_grouping=True),
            "date": date_format(self.received_on, "SHORT_DATE_FORMAT"),
        }


class PaymentAllocation(TimeStampedModel):
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("payment")
    )
    invoice = models.ForeignKey(
        "invoices.Invoice",
        on_delete=models.PROTECT,
        related_name="allocations",
        verbose_name=_("invoice"),
    )
    amount = models.DecimalField(_("amount allocated"), max_digits=14, decimal_places=2)
    allocated_on = models.DateField(_("allocated on"))
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("allocated by"),
    )

    class Meta:
        verbose_name = _("payment allocation")
        verbose_name_plural = _("payment allocations")
        ordering = ["-allocated_on", "-pk"]
        constraints = [
            models.CheckConstraint(name="allocation_amount_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self) -> str:
        # Shown to the consultant in their compte d'activité, next to the movement.
        return _("Payment of %(date)s on invoice %(invoice)s") % {
            "date": date_format(self.allocated_on, "SHORT_DATE_FORMAT"),
            "invoice": self.invoice.number,
        }

    @classmethod
    def ledger_source_queryset(cls, queryset):
        """What the ledger statement needs to print an allocation without a query per line."""
        return queryset.select_related("invoice")

    def get_portal_url(self) -> str:
        """Link from the consultant's activity account to the invoice's PDF."""
        from django.urls import reverse

        return reverse("portal:invoice_pdf", args=[self.invoice_id])


class BankStatementFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    CAMT053 = "camt053", _("CAMT.053 (ISO 20022 XML)")


class BankStatementImport(TimeStampedModel):
    file = models.FileField(_("file"), upload_to="bank-statements/%Y/")
    file_name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=10, choices=BankStatementFormat.choices)
    # The same file imported twice is refused.
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("imported by"),
    )

    class Meta:
        verbose_name = _("bank statement import")
        verbose_name_plural = _("bank statement imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name


class BankStatementLineStatus(models.TextChoices):
    PROPOSED = "proposed", _("Match proposed")
    UNMATCHED = "unmatched", _("No match found")
    CONFIRMED = "confirmed", _("Confirmed")
    IGNORED = "ignored", _("Ignored")


class BankStatementLine(models.Model):
    statement = models.ForeignKey(
        BankStatementImport,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("bank statement"),
    )
    line_number = models.PositiveIntegerField(_("line"))
    booking_date = models.DateField(_("booking date"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    counterparty = models.CharField(_("counterparty"), max_length=200, blank=True)
    reference = models.CharField(_("reference"), max_length=500, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=BankStatementLineStatus.choices,
        default=BankStatementLineStatus.UNMATCHED,
    )
    # The matching proposal (by invoice number in the reference, else by amount).
    proposed_invoices = models.ManyToManyField(
        "invoices.Invoice", blank=True, related_name="+", verbose_name=_("proposed invoices")
    )
    proposal_reason = models.CharField(_("why proposed"), max_length=200, blank=True)
    # Set when finance confirms: the payment created from this line.
    payment = models.OneToOneField(
        Payment,
        on_delete=models.PROTECT,
        related_name="bank_statement_line",
        null=True,
        blank=True,
        verbose_name=_("payment"),
    )

    class Meta:
        verbose_name = _("bank statement line")
        verbose_name_plural = _("bank statement lines")
        ordering = ["statement", "line_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "line_number"], name="bank_line_unique_per_statement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.booking_date} {self.counterparty} {self.amount}"
