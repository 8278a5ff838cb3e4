"""Invoices and credit notes (avoirs): one model, two kinds, two number series.

A draft has no number and may change; issuing (services) freezes it: number, dates, totals,
VAT breakdown and a snapshot of the seller, the client and the contract are written once
under lock, and the row never changes again except for its delivery and payment status.
Corrections are credit notes referencing the original (invoicing.md §2).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Abs
from django.db.models.lookups import LessThan
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel

__all__ = [
    "DocumentKind",
    "InvoiceStatus",
    "VatRegime",
    "LineUnit",
    "Invoice",
    "InvoiceLine",
]


class DocumentKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    SENT = "sent", _("Sent")
    PARTIALLY_PAID = "partially_paid", _("Partially paid")
    PAID = "paid", _("Paid")
    # An invoice whose whole amount has been credited by credit notes.
    CANCELLED = "cancelled", _("Cancelled by credit note")


class VatRegime(models.TextChoices):
    """Where the service is taxed (invoicing.md §3): chosen from the client at creation."""

    DOMESTIC = "domestic", _("France: French VAT")
    EU_REVERSE_CHARGE = "eu_reverse_charge", _("EU business client: reverse charge")
    EXPORT = "export", _("Client outside the EU: outside the scope of French VAT")


class LineUnit(models.TextChoices):
    # UN/ECE Recommendation 20 codes are derived from these in the Factur-X XML.
    DAY = "day", _("day")
    HOUR = "hour", _("hour")
    UNIT = "unit", _("unit")
    LUMP_SUM = "lump_sum", _("lump sum")


class Invoice(TimeStampedModel):
    kind = models.CharField(
        _("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.INVOICE
    )
    status = models.CharField(
        _("status"), max_length=20, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT
    )
    # Set at issue only (gapless per series and year: F-2026-000123, AV-2026-000004).
    number = models.CharField(_("number"), max_length=30, null=True, blank=True, unique=True)
    series = models.CharField(_("number series"), max_length=10, blank=True)
    sequence_year = models.PositiveIntegerField(_("sequence year"), null=True, blank=True)
    sequence_number = models.PositiveIntegerField(_("sequence number"), null=True, blank=True)

    client = models.ForeignKey(
        "clients.ClientCompany",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("client company"),
    )
    consultant = models.ForeignKey(
        "consultants.Consultant",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("consultant"),
    )
    commercial_contract = models.ForeignKey(
        "commercial_contracts.CommercialContract",
        on_delete=models.PROTECT,
        related_name="invoices",
        null=True,
        blank=True,
        verbose_name=_("commercial contract"),
    )
    # Credit notes only: the invoice they correct (number and date printed on the credit note).
    credited_invoice = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="credit_notes",
        null=True,
        blank=True,
        verbose_name=_("credited invoice"),
    )
    credit_reason = models.CharField(_("reason for the credit note"), max_length=300, blank=True)

    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    service_period_start = models.DateField(_("service period start"), null=True, blank=True)
    service_period_end = models.DateField(_("service period end"), null=True, blank=True)
    purchase_order_reference = models.CharField(
        _("client purchase order"), max_length=100, blank=True
    )
    vat_regime = models.CharField(
        _("VAT regime"), max_length=30, choices=VatRegime.choices, default=VatRegime.DOMESTIC
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    language = models.CharField(_("document language"), max_length=5, default="fr")
    notes = models.TextField(_("notes printed on the invoice"), blank=True)

    # Totals: recomputed from the lines while a draft, frozen at issue. Credit notes carry
    # positive amounts; their kind (type code 381) makes them credits.
    total_excl_tax = models.DecimalField(
        _("total excl. VAT"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    total_vat = models.DecimalField(
        _("total VAT"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    total_incl_tax = models.DecimalField(
        _("total incl. VAT"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    # [{"rate": "20.00", "category": "S", "base": "1000.00", "vat": "200.00"}, ...]
    vat_breakdown = models.JSONField(_("VAT breakdown"), default=list, blank=True)
    # Payment terms frozen at issue: late-payment penalty rate of the half-year and the fixed
    # recovery indemnity (invoicing.md §4), printed on the invoice.
    late_payment_rate = models.DecimalField(
        _("late-payment penalty rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    recovery_indemnity = models.DecimalField(
        _("fixed recovery indemnity (€)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("40.00"),
    )
    payment_terms_label = models.CharField(_("payment terms"), max_length=100, blank=True)

    # Snapshots written at issue (DESIGN §3.4): what the PDF and the XML print, for ever.
    seller_snapshot = models.JSONField(_("seller snapshot"), default=dict, blank=True)
    client_snapshot = models.JSONField(_("client snapshot"), default=dict, blank=True)
    contract_snapshot = models.JSONField(_("contract snapshot"), default=dict, blank=True)

    # The legal copy: a Factur-X PDF/A-3, rendered once after the issue commits.
    pdf_file = models.FileField(_("PDF (Factur-X)"), upload_to="invoices/%Y/", blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    pdf_rendered_at = models.DateTimeField(_("PDF rendered at"), null=True, blank=True)

    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("issued by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issue_date", "-number", "-pk"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="invoice_status_due_idx"),
            models.Index(fields=["client", "issue_date"], name="invoice_client_date_idx"),
            models.Index(fields=["consultant", "issue_date"], name="invoice_consultant_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="invoice_credit_note_references_invoice",
                condition=Q(kind="invoice", credited_invoice__isnull=True)
                | Q(kind="credit_note", credited_invoice__isnull=False),
            ),
            models.CheckConstraint(
                name="invoice_issued_has_number_and_dates",
                condition=Q(status="draft", number__isnull=True)
                | Q(
                    number__isnull=False,
                    issue_date__isnull=False,
                    due_date__isnull=False,
                    sequence_number__isnull=False,
                ),
            ),
            models.UniqueConstraint(
                fields=["series", "sequence_year", "sequence_number"],
                condition=Q(sequence_number__isnull=False),
                name="invoice_unique_sequence_number",
            ),
            # |TTC − HT − VAT| < half a cent: on PostgreSQL (numeric, 2 places) it means
            # equal; on SQLite, which stores decimals as floats, 833.39 + 166.68 is
            # 1000.0699999999999 and a strict equality would refuse a correct invoice.
            models.CheckConstraint(
                name="invoice_totals_add_up",
                condition=LessThan(
                    Abs(
                        models.F("total_incl_tax")
                        - models.F("total_excl_tax")
                        - models.F("total_vat")
                    ),
                    Decimal("0.005"),
                ),
            ),
        ]

    def __str__(self) -> str:
        if self.number:
            return self.number
        return str(_("Draft %(kind)s #%(pk)s") % {"kind": self.get_kind_display(), "pk": self.pk})

    # What issuing freezes (DESIGN §3.4). Status, delivery and the rendered PDF still move.
    FROZEN_FIELDS = frozenset(
        {
            "kind",
            "number",
            "series",
            "sequence_year",
            "sequence_number",
            "client",
            "consultant",
            "commercial_contract",
            "credited_invoice",
            "credit_reason",
            "issue_date",
            "due_date",
            "service_period_start",
            "service_period_end",
            "purchase_order_reference",
            "vat_regime",
            "currency",
            "language",
            "notes",
            "total_excl_tax",
            "total_vat",
            "total_incl_tax",
            "vat_breakdown",
            "late_payment_rate",
            "recovery_indemnity",
            "payment_terms_label",
            "seller_snapshot",
            "client_snapshot",
            "contract_snapshot",
            "issued_at",
            "issued_by",
        }
    )

    def save(self, *args, **kwargs):
        """Last line of defence behind the services: a save that would change a frozen
        field of a row already issued in the database is refused."""
        update_fields = kwargs.get("update_fields")
        fields = (
            self.FROZEN_FIELDS if update_fields is None else self.FROZEN_FIELDS & set(update_fields)
        )
        if self.pk and fields:
            self._refuse_frozen_changes(fields)
        return super().save(*args, **kwargs)

    def _refuse_frozen_changes(self, fields) -> None:
        attnames = {name: self._meta.get_field(name).attname for name in fields}
        stored = type(self).objects.filter(pk=self.pk).values("status", *attnames.values()).first()
        if stored is None or stored["status"] == InvoiceStatus.DRAFT:
            return
        changed = sorted(
            name for name, attname in attnames.items() if getattr(self, attname) != stored[attname]
        )
        if changed:
            from apps.core.errors import InvalidTransition

            raise InvalidTransition(
                _("%(document)s is issued: its %(fields)s can no longer change.")
                % {"document": stored.get("number") or self.number, "fields": ", ".join(changed)},
                code="invoice_frozen",
            )

    @property
    def is_draft(self) -> bool:
        return self.status == InvoiceStatus.DRAFT

    @property
    def is_credit_note(self) -> bool:
        return self.kind == DocumentKind.CREDIT_NOTE


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="lines", verbose_name=_("invoice")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, choices=LineUnit.choices)
    unit_price_excl_tax = models.DecimalField(
        _("unit price excl. VAT"), max_digits=14, decimal_places=2
    )
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2)
    # quantity × unit price, rounded half-up to the cent (DESIGN §3.3).
    total_excl_tax = models.DecimalField(_("total excl. VAT"), max_digits=14, decimal_places=2)
    service_date_start = models.DateField(_("service from"), null=True, blank=True)
    service_date_end = models.DateField(_("service to"), null=True, blank=True)
    # Where the line comes from: a staff-validated activity report (days × TJM), a rebilled
    # expense line, or nothing for a line typed by hand. A credit-note line may point to
    # the invoice line it credits.
    activity_report = models.ForeignKey(
        "activity.ActivityReport",
        on_delete=models.PROTECT,
        related_name="invoice_lines",
        null=True,
        blank=True,
        verbose_name=_("activity report"),
    )
    expense_line = models.ForeignKey(
        "activity.ExpenseLine",
        on_delete=models.PROTECT,
        related_name="invoice_lines",
        null=True,
        blank=True,
        verbose_name=_("rebilled expense"),
    )
    credited_line = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="credit_lines",
        null=True,
        blank=True,
        verbose_name=_("credited line"),
    )

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position", "pk"]
        constraints = [
            # A report or an expense is invoiced once (a credit note line does not carry it).
            models.UniqueConstraint(
                fields=["activity_report"],
                condition=Q(activity_report__isnull=False),
                name="invoice_line_report_invoiced_once",
            ),
            models.UniqueConstraint(
                fields=["expense_line"],
                condition=Q(expense_line__isnull=False),
                name="invoice_line_expense_invoiced_once",
            ),
            models.CheckConstraint(
                name="invoice_line_quantity_positive", condition=Q(quantity__gt=0)
            ),
            models.CheckConstraint(
                name="invoice_line_price_not_negative", condition=Q(unit_price_excl_tax__gte=0)
            ),
            models.CheckConstraint(
                name="invoice_line_vat_rate_range", condition=Q(vat_rate__gte=0, vat_rate__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return self.description
