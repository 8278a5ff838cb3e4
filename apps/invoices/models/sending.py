"""Each e-mail of an issued invoice or credit note to the client's billing contact.

One row per (document, purpose): the Celery task claims the row before sending and marks it
sent afterwards, so a retry after a success sends nothing (never twice).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel

__all__ = ["SendingStatus", "InvoiceSending"]


class SendingStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class InvoiceSending(TimeStampedModel):
    invoice = models.ForeignKey(
        "invoices.Invoice",
        on_delete=models.PROTECT,
        related_name="sendings",
        verbose_name=_("invoice"),
    )
    # "issue" for the first sending; a later explicit re-send by staff gets its own key.
    purpose = models.CharField(_("purpose"), max_length=40, default="issue")
    recipients = models.JSONField(_("recipients"), default=list)
    status = models.CharField(
        _("status"), max_length=20, choices=SendingStatus.choices, default=SendingStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("requested by"),
    )

    class Meta:
        verbose_name = _("invoice sending")
        verbose_name_plural = _("invoice sendings")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "purpose"], name="invoice_sending_once_per_purpose"
            )
        ]

    def __str__(self) -> str:
        return f"{self.invoice} → {', '.join(self.recipients)}"
