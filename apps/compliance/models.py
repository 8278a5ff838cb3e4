"""Activity categories (data with sources), acknowledged warnings, and contract alerts."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel

from .data import EXCLUSION_PREFIXES, exclusion_rule_for_code
from .types import Severity


class ExclusionRule(models.TextChoices):
    NONE = "", _("Not excluded")
    PR_02 = "PR-02", _("PR-02: personal services (L1254-5)")
    PR_04 = "PR-04", _("PR-04: forbidden purpose or dangerous work (L1254-4)")


class ActivityCategory(TimeStampedModel):
    """The activity of a prestation. Excluded ones (SAP-xx, DW-xx) are refused by the engine.

    Loaded from data.py by migration 0002; the English label is stored and translated when
    displayed (label_display).
    """

    code = models.CharField(_("code"), max_length=30, unique=True)
    label = models.CharField(_("label"), max_length=200)
    excluded = models.BooleanField(_("excluded from portage"), default=False)
    exclusion_rule = models.CharField(
        _("exclusion rule"), max_length=10, choices=ExclusionRule.choices, blank=True
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity category")
        verbose_name_plural = _("activity categories")
        ordering = ["excluded", "code"]

    def __str__(self) -> str:
        return f"{self.label_display} ({self.code})"

    @property
    def label_display(self) -> str:
        """The label in the active language (the loaded labels are catalogue msgids)."""
        return gettext(self.label) if self.label else ""

    def clean(self) -> None:
        self.code = (self.code or "").strip().upper()
        expected_rule = exclusion_rule_for_code(self.code)
        prefixes = ", ".join(EXCLUSION_PREFIXES)
        errors = {}
        if expected_rule and not self.excluded:
            errors["excluded"] = _(
                "A code starting with %(prefixes)s names an activity excluded from portage: "
                "it must be flagged excluded."
            ) % {"prefixes": prefixes}
        if self.excluded and not expected_rule:
            errors["code"] = _(
                "An excluded activity needs a code starting with %(prefixes)s so that "
                "contracts using it are refused."
            ) % {"prefixes": prefixes}
        elif self.excluded and self.exclusion_rule != expected_rule:
            errors["exclusion_rule"] = _("The exclusion rule of code %(code)s is %(rule)s.") % {
                "code": self.code,
                "rule": expected_rule,
            }
        if not self.excluded and self.exclusion_rule:
            errors["exclusion_rule"] = _("Only an excluded activity has an exclusion rule.")
        if self.excluded and not self.source.strip():
            errors["source"] = _("Give the legal source of the exclusion.")
        if errors:
            raise ValidationError(errors)


def figures_fingerprint(figures: dict) -> str:
    """Stable key of a figures dict (order-independent) for the uniqueness of acknowledgements."""
    canonical = json.dumps(figures or {}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class FindingAcknowledgement(models.Model):
    """Who acknowledged a WARN finding on a contract, and the figures shown at that moment."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("document type")
    )
    object_id = models.PositiveBigIntegerField(_("document id"))
    content_object = GenericForeignKey("content_type", "object_id")
    rule_id = models.CharField(_("rule"), max_length=10)
    code = models.CharField(_("code"), max_length=60)
    severity = models.CharField(
        _("severity"),
        max_length=10,
        choices=[(Severity.WARN.value, _("warning")), (Severity.BLOCK.value, _("blocking"))],
        default=Severity.WARN.value,
    )
    message = models.TextField(_("message"))
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    figures_key = models.CharField(_("figures fingerprint"), max_length=64, editable=False)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="finding_acknowledgements",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=timezone.now)

    class Meta:
        verbose_name = _("acknowledged warning")
        verbose_name_plural = _("acknowledged warnings")
        ordering = ["-acknowledged_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "code", "figures_key"],
                name="compliance_ack_once_per_finding",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.code}"


class AlertKind(models.TextChoices):
    END_DATE = "end_date", _("End date approaching")
    CDD_RENEWAL_DUE = "cdd_renewal_due", _("Fixed-term contract renewal due")
    MISSION_LIMIT = "mission_limit", _("36-month limit approaching (PR-05)")


class ContractAlert(models.Model):
    """An event of the daily job (end date, renewal due, 36-month limit), recorded once per
    (contract, kind, threshold, due date) and e-mailed once in the staff digest."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("document type")
    )
    object_id = models.PositiveBigIntegerField(_("document id"))
    content_object = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=20, choices=AlertKind.choices)
    threshold_days = models.PositiveIntegerField(_("threshold (days before)"))
    due_date = models.DateField(_("due date"))
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("contract alert")
        verbose_name_plural = _("contract alerts")
        ordering = ["due_date", "pk"]
        constraints = [
            # The due date is part of the event: a term moved by a renewal or an amendment
            # is a new event and is alerted again; the same term never twice.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "threshold_days", "due_date"],
                name="compliance_alert_once_per_threshold",
            )
        ]
        indexes = [models.Index(fields=["notified_at", "due_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} - {self.due_date.isoformat()}"

    def admin_url(self) -> str:
        """Change page of the contract in the admin ('' when the model has none)."""
        content_type = ContentType.objects.get_for_id(self.content_type_id)
        try:
            return reverse(
                f"admin:{content_type.app_label}_{content_type.model}_change",
                args=[self.object_id],
            )
        except NoReverseMatch:
            return ""
