"""The daily job (Celery beat, 06:30 Europe/Paris): record the contract alerts of the day and
send staff ONE digest e-mail of the alerts not notified yet.

It lives here because this app is the top of the contract layer: it may call the commercial
contracts' scan and compliance, neither of which may import this app. Idempotent: an alert is
unique per (contract, kind, threshold) and marked notified when e-mailed, so a second run on
the same day records nothing and sends nothing.
"""

from datetime import date

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.commercial_contracts.services import commercial_contracts_scan_alerts
from apps.compliance.periods import alert_threshold_reached, period_last_day
from apps.compliance.rules import rule_value
from apps.compliance.services import alert_record_once, alerts_digest_send

from ..selectors import employment_contracts_running_cdd

END_DATE = "end_date"
CDD_RENEWAL_DUE = "cdd_renewal_due"


def _renewal_possible(contract) -> bool:
    """A renewal can still be agreed: the term was not postponed for prospection, fewer than
    the maximum renewals so far and room left under the maximum total duration (PR-12)."""
    on = contract.start_date
    if contract.prospection_extension_end:
        return False
    if contract.renewal_count >= int(rule_value("cdd_max_renewals", on)):
        return False
    last_day = period_last_day(contract.start_date, int(rule_value("cdd_max_months", on)))
    return contract.planned_end_date < last_day


def employment_contracts_scan_alerts(*, today: date) -> int:
    """Record the CDD alerts due on `today`; returns how many were new.

    - "end_date": the CDD (renewals and prospection extension included) ends within the
      threshold (30 days, compliance rule "end_date_alert_days");
    - "cdd_renewal_due": the planned end is within the threshold ("cdd_renewal_alert_days")
      and a renewal is still possible (it must be agreed before the term, L1254-17).
    """
    end_thresholds = rule_value("end_date_alert_days", today)
    renewal_thresholds = rule_value("cdd_renewal_alert_days", today)
    created = 0
    for contract in employment_contracts_running_cdd():
        end = contract.effective_end_date
        params = {
            "reference": contract.reference,
            "consultant": contract.consultant,
            "end": end.strftime("%d/%m/%Y"),
            "days": (end - today).days,
        }
        threshold = alert_threshold_reached(due_date=end, today=today, thresholds=end_thresholds)
        if threshold is not None:
            _alert, new = alert_record_once(
                obj=contract,
                kind=END_DATE,
                threshold_days=threshold,
                due_date=end,
                message=_("CDD %(reference)s of %(consultant)s ends on %(end)s (in %(days)s days).")
                % params,
            )
            created += new
        threshold = alert_threshold_reached(
            due_date=end, today=today, thresholds=renewal_thresholds
        )
        if threshold is not None and _renewal_possible(contract):
            _alert, new = alert_record_once(
                obj=contract,
                kind=CDD_RENEWAL_DUE,
                threshold_days=threshold,
                due_date=end,
                message=_(
                    "CDD %(reference)s of %(consultant)s ends on %(end)s: renew it before that "
                    "date or prepare its end (%(renewals)s renewal(s) so far)."
                )
                % {**params, "renewals": contract.renewal_count},
            )
            created += new
    return created


def contracts_daily_scan(*, today: date | None = None) -> dict:
    """Scan commercial and employment contracts, then e-mail staff the new alerts (at most one
    e-mail a day, none when nothing is new)."""
    today = today or timezone.localdate()
    # Alert messages are stored once and e-mailed in the digest language.
    with translation.override(settings.LANGUAGE_CODE):
        commercial = commercial_contracts_scan_alerts(today=today)
        employment = employment_contracts_scan_alerts(today=today)
    notified = alerts_digest_send(today=today)
    return {
        "today": today.isoformat(),
        "commercial_alerts": commercial,
        "employment_alerts": employment,
        "alerts_notified": notified,
    }
