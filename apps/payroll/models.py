"""Monthly payroll runs: one row per run and one item per employment contract, so a run
interrupted halfway resumes where it stopped and a finished run changes nothing when run
again. The payslips themselves live in apps/payslips (frozen documents)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


class PayrollRunStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    DONE_WITH_ERRORS = "done_with_errors", _("Done, with failures")


class PayrollRun(TimeStampedModel):
    period = models.DateField(_("pay period"), help_text=_("First day of the month paid."))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PayrollRunStatus.choices,
        default=PayrollRunStatus.PENDING,
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("started by"),
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Warnings found before the run (e.g. activity reports of the period not validated).
    warnings = models.JSONField(_("warnings"), default=list, blank=True)

    class Meta:
        verbose_name = _("payroll run")
        verbose_name_plural = _("payroll runs")
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(fields=["period"], name="payroll_run_one_per_period"),
        ]

    def __str__(self) -> str:
        return self.period.strftime("%m/%Y")


class PayrollRunItemStatus(models.TextChoices):
    PENDING = "pending", _("To do")
    DONE = "done", _("Payslip created")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class PayrollRunItem(TimeStampedModel):
    run = models.ForeignKey(
        PayrollRun, on_delete=models.CASCADE, related_name="items", verbose_name=_("run")
    )
    employment_contract = models.ForeignKey(
        "employment_contracts.EmploymentContract",
        on_delete=models.PROTECT,
        related_name="payroll_run_items",
        verbose_name=_("employment contract"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PayrollRunItemStatus.choices,
        default=PayrollRunItemStatus.PENDING,
    )
    payslip = models.OneToOneField(
        "payslips.Payslip",
        on_delete=models.PROTECT,
        related_name="run_item",
        null=True,
        blank=True,
        verbose_name=_("payslip"),
    )
    # Why it failed or was skipped, in the words shown to staff.
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("payroll run item")
        verbose_name_plural = _("payroll run items")
        ordering = ["run", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "employment_contract"], name="payroll_item_one_per_contract"
            ),
            models.CheckConstraint(
                name="payroll_item_done_has_payslip",
                condition=~Q(status="done") | Q(payslip__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run} — {self.employment_contract}"


class PayoutRequest(TimeStampedModel):
    """How much of the compte d'activité a consultant wants turned into salary for a month.

    The amount is what leaves the account: the payslip's employer cost plus the provisions
    it funds (financial reserve, or a CDD's end-of-contract indemnity). Without a request the
    run pays out the whole available balance; with one, at most the amount asked (and never
    more than is available on the day of the run). The rest stays on the account.
    """

    consultant = models.ForeignKey(
        "consultants.Consultant",
        on_delete=models.PROTECT,
        related_name="payout_requests",
        verbose_name=_("consultant"),
    )
    period = models.DateField(_("pay period"), help_text=_("First day of the month paid."))
    amount = models.DecimalField(
        _("amount to pay out (€)"),
        max_digits=12,
        decimal_places=2,
        help_text=_("Taken from the activity account: employer cost and provisions included."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("requested by"),
    )

    class Meta:
        verbose_name = _("pay-out request")
        verbose_name_plural = _("pay-out requests")
        ordering = ["-period", "consultant"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultant", "period"], name="payout_request_one_per_month"
            ),
            models.CheckConstraint(
                name="payout_request_amount_positive", condition=Q(amount__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultant} – {self.period:%m/%Y}: {self.amount} €"
