"""Writes of the compliance app: acknowledged warnings, contract alerts, the staff digest,
activity categories. Keyword-only, atomic, full_clean before save."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.roles import Role
from apps.core.errors import DomainError

from .models import (
    ActivityCategory,
    AlertKind,
    ContractAlert,
    FindingAcknowledgement,
    figures_fingerprint,
)
from .types import Finding, Severity

logger = logging.getLogger(__name__)


def _content_type_and_id(obj: models.Model) -> tuple[ContentType, int]:
    if obj is None or obj.pk is None:
        raise ValueError("the document must be saved before findings or alerts refer to it")
    return ContentType.objects.get_for_model(obj, for_concrete_model=True), obj.pk


@transaction.atomic
def findings_acknowledge(
    *, obj: models.Model, findings: Iterable[Finding], user
) -> list[FindingAcknowledgement]:
    """Record that `user` acknowledged the WARN findings on `obj` (idempotent per code and
    figures: acknowledging the same warning twice keeps the first record).

    Blocking findings cannot be acknowledged: DomainError code "blocking_findings".
    """
    findings = list(findings)
    blocking = [finding for finding in findings if finding.severity == Severity.BLOCK]
    if blocking:
        raise DomainError(
            _("Blocking findings cannot be acknowledged: %(rules)s.")
            % {"rules": ", ".join(f"{f.rule_id} ({f.code})" for f in blocking)},
            code="blocking_findings",
            fields={"findings": [finding.as_dict() for finding in blocking]},
        )
    if user is None or not getattr(user, "is_authenticated", False):
        raise DomainError(_("Only a signed-in user can acknowledge warnings."), code="no_user")
    content_type, object_id = _content_type_and_id(obj)
    records = []
    for finding in findings:
        record, _created = FindingAcknowledgement.objects.get_or_create(
            content_type=content_type,
            object_id=object_id,
            code=finding.code,
            figures_key=figures_fingerprint(finding.figures),
            defaults={
                "rule_id": finding.rule_id,
                "severity": Severity.WARN.value,
                "message": finding.message,
                "figures": dict(finding.figures),
                "acknowledged_by": user,
            },
        )
        records.append(record)
    return records


@transaction.atomic
def alert_record_once(
    *, obj: models.Model, kind: str, threshold_days: int, due_date: date, message: str
) -> tuple[ContractAlert, bool]:
    """The alert for (obj, kind, threshold_days, due_date), created if new: (alert, created).

    Never recorded twice, so never e-mailed twice (unique constraint). A due date moved by a
    renewal or an amendment is a new event. The message is stored as given (render it in
    the language of the digest, settings.LANGUAGE_CODE).
    """
    if kind not in AlertKind.values:
        raise ValidationError({"kind": _("Unknown alert kind: %(kind)s.") % {"kind": kind}})
    if (
        isinstance(threshold_days, bool)
        or not isinstance(threshold_days, int)
        or threshold_days < 0
    ):
        raise ValidationError({"threshold_days": _("The threshold is a number of days >= 0.")})
    content_type, object_id = _content_type_and_id(obj)
    alert, created = ContractAlert.objects.get_or_create(
        content_type=content_type,
        object_id=object_id,
        kind=kind,
        threshold_days=threshold_days,
        due_date=due_date,
        defaults={"message": str(message)},
    )
    if created:
        alert.full_clean()
    return alert, created


def _staff_recipients() -> list[str]:
    user_model = get_user_model()
    emails = (
        user_model.objects.filter(is_active=True, groups__name=Role.STAFF)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )
    return list(emails)


@transaction.atomic
def alerts_digest_send(*, today: date) -> int:
    """ONE e-mail to every active staff user listing the alerts not yet notified, which are
    marked notified in the same transaction. Returns the number of alerts e-mailed.

    No alert, or no staff recipient: no e-mail and nothing marked (0). A rerun finds nothing
    left to notify: no second e-mail. Rendered in settings.LANGUAGE_CODE.
    """
    alerts = list(
        ContractAlert.objects.select_for_update(of=("self",))
        .filter(notified_at__isnull=True)
        .order_by("due_date", "pk")
    )
    if not alerts:
        return 0
    recipients = _staff_recipients()
    if not recipients:
        logger.warning("contract alerts digest: %s alert(s) but no active staff user", len(alerts))
        return 0
    prefetch_related_objects(alerts, "content_object")
    site = settings.SITE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "today": today,
            "alerts": [
                {
                    "alert": alert,
                    "kind": alert.get_kind_display(),
                    "document": str(alert.content_object or ""),
                    "url": f"{site}{alert.admin_url()}" if alert.admin_url() else "",
                }
                for alert in alerts
            ],
            "count": len(alerts),
        }
        subject = render_to_string("compliance/email/alerts_digest_subject.txt", context).strip()
        body = render_to_string("compliance/email/alerts_digest.txt", context)
    ContractAlert.objects.filter(pk__in=[alert.pk for alert in alerts]).update(
        notified_at=timezone.now()
    )
    # Sent inside the transaction: if sending fails, the alerts stay un-notified for the
    # next run rather than being marked as sent and lost.
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, recipients)
    return len(alerts)


@transaction.atomic
def activity_category_create(
    *,
    code: str,
    label: str,
    excluded: bool = False,
    exclusion_rule: str = "",
    source: str = "",
    is_active: bool = True,
) -> ActivityCategory:
    category = ActivityCategory(
        code=(code or "").strip().upper(),
        label=(label or "").strip(),
        excluded=excluded,
        exclusion_rule=exclusion_rule,
        source=(source or "").strip(),
        is_active=is_active,
    )
    category.full_clean()
    category.save()
    return category


ACTIVITY_CATEGORY_EDITABLE = ("label", "is_active", "source")


@transaction.atomic
def activity_category_update(*, category: ActivityCategory, **fields) -> ActivityCategory:
    """Change the label, the active flag or the source. The code and the exclusion stay as
    loaded: a contract already refers to them."""
    unknown = set(fields) - set(ACTIVITY_CATEGORY_EDITABLE)
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be changed.") for name in sorted(unknown)}
        )
    category = ActivityCategory.objects.select_for_update().get(pk=category.pk)
    for name, value in fields.items():
        setattr(category, name, value.strip() if isinstance(value, str) else value)
    category.full_clean()
    category.save(update_fields=[*fields, "updated_at"])
    return category


@transaction.atomic
def activity_categories_load() -> int:
    """(Re)load the categories of data.py, as the data migration does; returns how many exist.

    The demo seed calls it so that a database flushed by tests or by hand gets them back.
    """
    from .data import activity_category_rows

    rows = activity_category_rows()
    for row in rows:
        ActivityCategory.objects.update_or_create(
            code=row["code"],
            defaults={
                "label": str(row["label"]),
                "excluded": row["excluded"],
                "exclusion_rule": row["exclusion_rule"],
                "source": row["source"],
            },
        )
    return len(rows)
