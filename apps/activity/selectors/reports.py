"""Reads on activity reports, scoped to who asks (DESIGN.md §3.10), the month calendar of a
report, and the amount of a set of days under the contract's terms."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from apps.accounts.roles import user_is_back_office, user_is_consultant
from apps.clients.models import ContactKind
from apps.clients.selectors import client_primary_contact
from apps.commercial_contracts.models import CommercialContract, PricingKind
from apps.commercial_contracts.selectors import (
    commercial_contract_terms_at,
    commercial_contracts_list,
    contract_period,
)
from apps.core.money import quantize_eur

from ..models.reports import (
    ActivityDay,
    ActivityReport,
    ActivityReportStatus,
    ApprovalToken,
    ApprovalTokenUse,
)
from ..services.calendar import MonthCalendar, add_months, month_calendar, month_first, month_last

ZERO = Decimal("0")


# --- lists ------------------------------------------------------------------------------------
def activity_reports_list() -> QuerySet[ActivityReport]:
    """Every report with what lists and the API show, in a constant number of queries."""
    return ActivityReport.objects.select_related(
        "commercial_contract", "commercial_contract__client", "consultant"
    )


def activity_reports_for_user(user) -> QuerySet[ActivityReport]:
    """Back-office: all; a consultant: their own reports; anyone else: none."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ActivityReport.objects.none()
    if user_is_back_office(user):
        return activity_reports_list()
    if user_is_consultant(user):
        return activity_reports_list().filter(consultant__user=user)
    return ActivityReport.objects.none()


def activity_reports_awaiting(status: str) -> QuerySet[ActivityReport]:
    """Reports waiting in `status`: "submitted" waits for the client, "client_approved" for
    staff validation, "validated" for invoicing. Oldest month first."""
    return activity_reports_list().filter(status=status).order_by("month", "pk")


def activity_report_with_days(pk: int, queryset: QuerySet | None = None) -> ActivityReport | None:
    """One report with its days and its contract's versions (the calendar and the amount)."""
    queryset = activity_reports_list() if queryset is None else queryset
    return (
        queryset.prefetch_related(
            Prefetch("days", queryset=ActivityDay.objects.order_by("day")),
            "commercial_contract__versions",
        )
        .filter(pk=pk)
        .first()
    )


def activity_report_validated_for(*, commercial_contract, month: date) -> ActivityReport | None:
    """PR-22: the validated (or already invoiced) report of a contract and month, if any.
    Invoicing and payroll call this: without it, no invoice nor payslip for the month."""
    return (
        ActivityReport.objects.filter(
            commercial_contract=commercial_contract,
            month=month_first(month),
            status__in=[ActivityReportStatus.VALIDATED, ActivityReportStatus.INVOICED],
        )
        .select_related("commercial_contract", "consultant")
        .first()
    )


# --- contracts a consultant can report on -----------------------------------------------------
REPORTABLE_CONTRACT_STATUSES = frozenset(
    {
        CommercialContract.Status.SIGNED,
        CommercialContract.Status.ACTIVE,
        CommercialContract.Status.ENDED,
        CommercialContract.Status.TERMINATED,
    }
)


def activity_report_contract_period(contract: CommercialContract) -> tuple[date, date] | None:
    """The days work can be declared on: start to the actual (or planned) end; None for a
    contract terminated before it started."""
    return contract_period(contract)


def activity_report_contract_choices(consultant, *, today: date | None = None) -> list:
    """The consultant's contracts a report can be created for today: signed or active, or
    ended/terminated within the last two months (the last month is reported after the end)."""
    today = today or timezone.localdate()
    since = add_months(today, -2)
    contracts = commercial_contracts_list().filter(
        Q(consultant=consultant),
        Q(status__in=CommercialContract.IN_FORCE)
        | Q(status__in=CommercialContract.CLOSED, end_date__gte=since),
        start_date__lte=month_last(today),
    )
    return [
        contract
        for contract in contracts.order_by("start_date", "pk")
        if (period := contract_period(contract)) and period[1] >= since
    ]


# --- calendar and amount ----------------------------------------------------------------------
def activity_report_calendar(report: ActivityReport) -> MonthCalendar:
    """The month of the report, day by day (weekend, holiday, outside the contract, worked)."""
    period = contract_period(report.commercial_contract)
    start, end = period if period else (month_last(report.month) + timedelta(days=1), report.month)
    worked = {row.day: row.fraction for row in report.days.all()}
    return month_calendar(month=report.month, contract_start=start, contract_end=end, worked=worked)


@dataclass(frozen=True)
class AmountLine:
    version: int
    pricing_kind: str
    daily_rate: Decimal | None
    days: Decimal
    amount: Decimal
    first_day: date
    last_day: date

    def as_json(self) -> dict:
        return {
            "version": self.version,
            "pricing_kind": self.pricing_kind,
            "daily_rate": str(self.daily_rate) if self.daily_rate is not None else None,
            "days": str(self.days),
            "amount": str(self.amount),
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
        }


@dataclass(frozen=True)
class ReportAmount:
    days_total: Decimal
    daily_rate: Decimal | None
    amount: Decimal
    lines: list[AmountLine] = field(default_factory=list)

    @property
    def breakdown(self) -> list[dict]:
        return [line.as_json() for line in self.lines]


def activity_report_amount(
    *, contract: CommercialContract, worked: dict[date, Decimal]
) -> ReportAmount:
    """Days × the TJM in force on each day (amendments apply from their effective date).

    Each worked day takes the rate of the contract version in force on that day, so a rate
    changed by an amendment in the middle of the month splits the month in lines; each line
    is rounded to the cent (half-up) and the amount is the sum of the rounded lines, as the
    invoice lines will be. Days under fixed-price terms count in the days but add nothing to
    the amount: the fixed price is invoiced according to the contract, not per day.
    """
    lines: dict[int, dict] = {}
    for day in sorted(worked):
        fraction = Decimal(worked[day])
        if fraction <= 0:
            continue
        terms = commercial_contract_terms_at(contract=contract, on_date=day)
        if terms is None:  # before the start: validation refuses such days first
            continue
        line = lines.setdefault(
            terms.number,
            {"terms": terms, "days": ZERO, "first": day, "last": day},
        )
        line["days"] += fraction
        line["last"] = day
    result = []
    for number in sorted(lines):
        line = lines[number]
        terms = line["terms"]
        daily = terms.pricing_kind == PricingKind.DAILY_RATE
        rate = Decimal(terms.daily_rate) if daily else None
        result.append(
            AmountLine(
                version=number,
                pricing_kind=terms.pricing_kind,
                daily_rate=rate,
                days=line["days"].quantize(Decimal("0.1")),
                amount=quantize_eur(line["days"] * rate) if daily else quantize_eur(ZERO),
                first_day=line["first"],
                last_day=line["last"],
            )
        )
    rates = {line.daily_rate for line in result}
    single_rate = next(iter(rates)) if len(rates) == 1 else None
    return ReportAmount(
        days_total=sum((line.days for line in result), ZERO).quantize(Decimal("0.1")),
        daily_rate=single_rate,
        amount=quantize_eur(sum((line.amount for line in result), ZERO)),
        lines=result,
    )


def activity_report_amount_preview(report: ActivityReport) -> ReportAmount:
    """The amount the report would have if submitted now (the frozen one once submitted)."""
    if report.status != ActivityReportStatus.DRAFT and report.amount is not None:
        lines = [
            AmountLine(
                version=line["version"],
                pricing_kind=line["pricing_kind"],
                daily_rate=Decimal(line["daily_rate"]) if line["daily_rate"] else None,
                days=Decimal(line["days"]),
                amount=Decimal(line["amount"]),
                first_day=date.fromisoformat(line["first_day"]),
                last_day=date.fromisoformat(line["last_day"]),
            )
            for line in report.amount_breakdown or []
        ]
        return ReportAmount(
            days_total=report.days_total,
            daily_rate=report.daily_rate,
            amount=report.amount,
            lines=lines,
        )
    worked = {row.day: row.fraction for row in report.days.all()}
    return activity_report_amount(contract=report.commercial_contract, worked=worked)


# --- the client's contact and the approval links ----------------------------------------------
def activity_report_recipient(report: ActivityReport):
    """Who approves: the client's primary operational contact with an e-mail, else the
    primary billing contact; None if neither has an e-mail address."""
    client = report.commercial_contract.client
    for kind in (ContactKind.OPERATIONAL, ContactKind.BILLING):
        contact = client_primary_contact(client=client, kind=kind)
        if contact is not None and contact.email:
            return contact
    return None


def approval_token_hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode("utf-8")).hexdigest()


def approval_token_find(raw_token: str) -> ApprovalToken | None:
    """The token row of a link (with its report for the page), None for an unknown link."""
    if not raw_token or len(raw_token) > 200:
        return None
    return (
        ApprovalToken.objects.select_related(
            "report",
            "report__commercial_contract",
            "report__commercial_contract__client",
            "report__consultant",
        )
        .filter(token_hash=approval_token_hash(raw_token))
        .first()
    )


def approval_token_state(token: ApprovalToken, *, now=None) -> str:
    """valid / used / invalidated / expired: what the approval page shows."""
    now = now or timezone.now()
    if token.used_at is not None:
        return "invalidated" if token.used_action == ApprovalTokenUse.INVALIDATED else "used"
    if token.expires_at <= now:
        return "expired"
    return "valid"
