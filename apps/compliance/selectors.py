"""Reads of the compliance app."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ActivityCategory, ContractAlert, FindingAcknowledgement, figures_fingerprint
from .types import Finding, Severity

ALERTS_PANEL_TEMPLATE = "compliance/admin_alerts_panel.html"


def _generic_filter(obj: models.Model) -> dict:
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return {"content_type": content_type, "object_id": obj.pk}


def acknowledgements_for(obj: models.Model) -> QuerySet[FindingAcknowledgement]:
    """Acknowledged warnings of a contract, newest first, with who acknowledged them."""
    return FindingAcknowledgement.objects.filter(**_generic_filter(obj)).select_related(
        "acknowledged_by"
    )


def findings_unacknowledged(*, obj: models.Model, findings: Iterable[Finding]) -> list[Finding]:
    """The WARN findings not yet acknowledged on `obj` with the same code and figures."""
    warnings = [finding for finding in findings if finding.severity == Severity.WARN]
    if not warnings or obj.pk is None:
        return warnings
    done = set(acknowledgements_for(obj).values_list("code", "figures_key"))
    return [f for f in warnings if (f.code, figures_fingerprint(f.figures)) not in done]


def alerts_for(obj: models.Model) -> QuerySet[ContractAlert]:
    return ContractAlert.objects.filter(**_generic_filter(obj))


def alerts_open(limit: int = 20) -> list[ContractAlert]:
    """Alerts whose due date is today or later, soonest first, contracts prefetched
    (3 queries whatever the number of alerts: alerts, content types, one per contract model)."""
    today = timezone.localdate()
    alerts = list(
        ContractAlert.objects.filter(due_date__gte=today)
        .select_related("content_type")
        .order_by("due_date", "pk")[:limit]
    )
    prefetch_related_objects(alerts, "content_object")
    return alerts


def alerts_dashboard_panel(limit: int = 20) -> dict:
    """The admin index panel: {"template", "title", "alerts"} for templates/admin/index.html."""
    return {
        "template": ALERTS_PANEL_TEMPLATE,
        "title": _("Contract alerts"),
        "alerts": alerts_open(limit),
    }


def activity_categories_active() -> QuerySet[ActivityCategory]:
    """Categories offered on contracts (excluded ones included: choosing one is refused with
    the PR-02 message, which is clearer than a missing choice)."""
    return ActivityCategory.objects.filter(is_active=True)


def activity_category_get(*, code: str) -> ActivityCategory | None:
    return ActivityCategory.objects.filter(code=(code or "").strip().upper()).first()
