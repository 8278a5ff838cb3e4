"""Payslips (bulletins de paie): frozen documents, numbered per year without gaps.

A payslip is written once by the payroll service (apps/payroll/services) with its lines,
its figures and a snapshot of the employer and the employee, and never changes afterwards
except for its PDF and e-mail delivery fields. A mistake is corrected by a corrective
payslip (rappel / régularisation) for the same period, pointing to the one it corrects.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel

ZERO = Decimal("0.00")


def _money(verbose_name):
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, default=ZERO)


class PayslipKind(models.TextChoices):
    REGULAR = "regular", _("Monthly payslip")
    CORRECTIVE = "corrective", _("Corrective payslip (rappel / régularisation)")


class Payslip(TimeStampedModel):
    kind = models.CharField(
        _("kind"), max_length=20, choices=PayslipKind.choices, default=PayslipKind.REGULAR
    )
    # BP-2026-000123: gapless per year (apps/core/sequences.py, series "BP").
    number = models.CharField(_("number"), max_length=30, unique=True)
    sequence_year = models.PositiveIntegerField(_("sequence year"))
    sequence_number = models.PositiveIntegerField(_("sequence number"))
    period = models.DateField(_("pay period"), help_text=_("First day of the month paid."))
    employment_contract = models.ForeignKey(
        "employment_contracts.EmploymentContract",
        on_delete=models.PROTECT,
        related_name="payslips",
        verbose_name=_("employment contract"),
    )
    consultant = models.ForeignKey(
        "consultants.Consultant",
        on_delete=models.PROTECT,
        related_name="payslips",
        verbose_name=_("consultant"),
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="corrections",
        null=True,
        blank=True,
        verbose_name=_("corrects payslip"),
    )
    correction_reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)

    # The portage composition (CCN IDCC 3219): what was available, what was paid out.
    available_amount = _money(_("amount available on the compte d'activité"))
    base_salary = _money(_("base salary"))
    business_bonus = _money(_("prime d'apport d'affaires"))
    paid_leave_allowance = _money(_("paid-leave allowance"))
    end_of_contract_indemnity = _money(_("end-of-contract indemnity (CDD)"))
    financial_reserve = _money(_("financial reserve provision"))
    # The payslip figures (engine PayslipResult).
    gross = _money(_("gross salary"))
    employee_contributions = _money(_("employee contributions"))
    employer_contributions = _money(_("employer contributions"))
    net_before_income_tax = _money(_("net before income tax"))
    net_taxable = _money(_("net taxable"))
    net_social = _money(_("montant net social"))
    income_tax_rate = models.DecimalField(
        _("income tax rate (%)"), max_digits=5, decimal_places=2, default=ZERO
    )
    income_tax_kind = models.CharField(_("income tax rate source"), max_length=20, blank=True)
    income_tax = _money(_("income tax withheld (PAS)"))
    net_paid = _money(_("net paid"))
    employer_cost = _money(_("total employer cost"))
    reductions = _money(_("reductions (RGDU)"))
    # Year-to-date figures printed on the payslip and carried to the next month.
    ytd_gross = _money(_("gross, year to date"))
    ytd_net_taxable = _money(_("net taxable, year to date"))
    ytd_employer_cost = _money(_("employer cost, year to date"))
    ytd_smic = _money(_("SMIC, year to date (RGDU)"))
    ytd_rgdu = _money(_("RGDU, year to date"))
    rates_file = models.CharField(_("rates file"), max_length=100)

    employer_snapshot = models.JSONField(_("employer snapshot"), default=dict)
    employee_snapshot = models.JSONField(_("employee snapshot"), default=dict)
    # Engine inputs, so the payslip can be recomputed and explained later.
    inputs_snapshot = models.JSONField(_("engine inputs"), default=dict)

    pdf_file = models.FileField(_("PDF"), upload_to="payslips/%Y/", blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    pdf_rendered_at = models.DateTimeField(_("PDF rendered at"), null=True, blank=True)
    # Set once the payslip was e-mailed (only to consultants who opted in): never twice.
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("payslip")
        verbose_name_plural = _("payslips")
        ordering = ["-period", "number"]
        indexes = [
            models.Index(fields=["consultant", "period"], name="payslip_consultant_period_idx"),
        ]
        constraints = [
            # One monthly payslip per contract and period: a rerun can never pay twice.
            models.UniqueConstraint(
                fields=["employment_contract", "period"],
                condition=Q(kind="regular"),
                name="payslip_one_regular_per_contract_period",
            ),
            models.UniqueConstraint(
                fields=["sequence_year", "sequence_number"], name="payslip_unique_sequence"
            ),
            models.CheckConstraint(
                name="payslip_corrective_points_to_original",
                condition=Q(kind="regular", corrects__isnull=True)
                | Q(kind="corrective", corrects__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.number


class PayslipLine(models.Model):
    payslip = models.ForeignKey(
        Payslip, on_delete=models.CASCADE, related_name="lines", verbose_name=_("payslip")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.CharField(_("code"), max_length=60)
    group = models.CharField(_("group"), max_length=40)
    label_fr = models.CharField(_("label (French)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    base = models.DecimalField(_("base"), max_digits=14, decimal_places=2, null=True)
    employee_rate = models.DecimalField(
        _("employee rate (%)"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    employee_amount = models.DecimalField(
        _("employee amount"), max_digits=14, decimal_places=2, default=ZERO
    )
    employer_rate = models.DecimalField(
        _("employer rate (%)"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    employer_amount = models.DecimalField(
        _("employer amount"), max_digits=14, decimal_places=2, default=ZERO
    )

    class Meta:
        verbose_name = _("payslip line")
        verbose_name_plural = _("payslip lines")
        ordering = ["payslip", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["payslip", "position"], name="payslip_line_unique_position"
            )
        ]

    def __str__(self) -> str:
        return self.code
