"""The commercial-contract part of the daily job: contracts reaching their end date and
prestations approaching the 36-month limit (PR-05). Alerts are recorded once per
(contract, kind, threshold) by apps.compliance; the digest e-mail is sent by the caller."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from apps.compliance.periods import alert_threshold_reached, mission_limit_date
from apps.compliance.rules import rule_value
from apps.compliance.services import alert_record_once

from ..models import CommercialContract
from ..selectors import contract_period, union_days


def _pair_durations(
    contracts: list[CommercialContract],
) -> dict[tuple[int, int], tuple[int, date, date]]:
    """(cumulated days, first start, last planned day) of every (consultant, client) pair of
    `contracts`, counted like consultant_client_cumulated_days: one query for all pairs."""
    consultant_ids = {contract.consultant_id for contract in contracts}
    client_ids = {contract.client_id for contract in contracts}
    pairs = {(contract.consultant_id, contract.client_id) for contract in contracts}
    periods: dict[tuple[int, int], list] = {}
    related = CommercialContract.objects.filter(
        consultant_id__in=consultant_ids, client_id__in=client_ids
    ).only(
        "consultant_id", "client_id", "start_date", "end_date", "status", "ended_on",
        "terminated_on",
    )  # fmt: skip
    for other in related:
        key = (other.consultant_id, other.client_id)
        if key in pairs and (period := contract_period(other)):
            periods.setdefault(key, []).append(period)
    durations = {}
    for key, value in periods.items():
        days, first_start = union_days(value)
        durations[key] = (days, first_start, max(end for _start, end in value))
    return durations


def _thresholds(name: str, today: date) -> list[int]:
    return [int(days) for days in rule_value(name, today)]


def commercial_contracts_scan_alerts(*, today: date) -> int:
    """Record the alerts due on `today` for signed and active contracts; returns how many
    new alerts were recorded (a rerun records none)."""
    contracts = list(
        CommercialContract.objects.filter(
            status__in=CommercialContract.IN_FORCE, end_date__gte=today
        ).select_related("client", "consultant")
    )
    if not contracts:
        return 0
    created = 0
    durations = _pair_durations(contracts)
    max_months = int(rule_value("mission_max_months", today))
    limit_thresholds = _thresholds("mission_limit_alert_days", today)
    end_thresholds = _thresholds("end_date_alert_days", today)
    for contract in contracts:
        params = {
            "reference": contract.reference,
            "consultant": contract.consultant,
            "client": contract.client,
        }
        end_threshold = alert_threshold_reached(
            due_date=contract.end_date, today=today, thresholds=end_thresholds
        )
        if end_threshold is not None:
            _alert, new = alert_record_once(
                obj=contract,
                kind="end_date",
                threshold_days=end_threshold,
                due_date=contract.end_date,
                message=str(
                    _("Contract %(reference)s (%(consultant)s at %(client)s) ends on %(date)s.")
                    % {**params, "date": contract.end_date.isoformat()}
                ),
            )
            created += new
        duration = durations.get((contract.consultant_id, contract.client_id))
        if duration is None:
            continue
        cumulated, first_start, last_day = duration
        limit = mission_limit_date(
            first_start=first_start,
            cumulated_days=cumulated,
            end_date=last_day,
            max_months=max_months,
        )
        days_left = (limit - today).days
        threshold = alert_threshold_reached(
            due_date=limit, today=today, thresholds=limit_thresholds
        )
        if threshold is None:
            continue
        _alert, new = alert_record_once(
            obj=contract,
            kind="mission_limit",
            threshold_days=threshold,
            due_date=limit,
            message=str(
                _(
                    "PR-05: %(consultant)s reaches the %(months)s-month limit of prestations at"
                    " %(client)s on %(limit)s (%(days)s days left; contract %(reference)s)."
                )
                % {**params, "months": max_months, "limit": limit.isoformat(), "days": days_left}
            ),
        )
        created += new
    return created
