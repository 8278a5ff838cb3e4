"""Reads of the payroll: contracts to pay for a period, batch inputs of a run, progress,
the journal. Batch readers take a list of ids and cost one query whatever its length."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Min, Q, QuerySet, Sum

from apps.accounts.roles import user_is_back_office, user_is_consultant
from apps.activity.models import ActivityReport, ActivityReportStatus
from apps.activity.services.calendar import french_holidays, is_weekend, month_days
from apps.core.money import sum_to_cent
from apps.employment_contracts.models import EmploymentContract
from apps.ledger.models import LedgerEntry
from apps.payslips.models import Payslip, PayslipKind, PayslipLine

from .models import PayoutRequest, PayrollRun, PayrollRunItem, PayrollRunItemStatus

ZERO = Decimal("0.00")
PAYABLE_STATUSES = (EmploymentContract.Status.SIGNED, EmploymentContract.Status.ACTIVE)


def period_end(period: date) -> date:
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def contract_last_day(contract: EmploymentContract) -> date | None:
    """Last day of work: the end of a closed contract, else a CDD's planned term."""
    if contract.status == EmploymentContract.Status.ENDED:
        return contract.ended_on
    if contract.status == EmploymentContract.Status.TERMINATED:
        return contract.terminated_on
    return contract.effective_end_date


def contract_working_days(contract: EmploymentContract, period: date) -> tuple[int, int]:
    """(working days of the month within the contract, working days of the month).

    Working days: Monday to Friday minus French public holidays (the activity calendar).
    A contract starting or ending during the month covers only part of them: the
    conventional minimum is pro-rated on that share (entry or exit during the month).
    """
    first, last = period, period_end(period)
    start = max(contract.start_date, first)
    end = min(contract_last_day(contract) or last, last)
    holidays_of_year = french_holidays(period.year)
    working = [day for day in month_days(period) if not is_weekend(day)]
    working = [day for day in working if day not in holidays_of_year]
    return sum(1 for day in working if start <= day <= end), len(working)


def payroll_contracts_for_period(
    period: date, *, consultant_id: int | None = None
) -> list[EmploymentContract]:
    """Employment contracts to pay for `period`: signed or active contracts overlapping the
    month, and contracts ended or terminated during the month (their last payslip).

    A CDD's end lives in its renewals and prospection extension, so the date window is
    applied in Python on the prefetched rows (one query per relation, whatever N).
    """
    start, end = period, period_end(period)
    candidates = EmploymentContract.objects.prefetch_related("renewals").filter(
        Q(status__in=PAYABLE_STATUSES)
        | Q(status=EmploymentContract.Status.ENDED, ended_on__gte=start)
        | Q(
            status=EmploymentContract.Status.TERMINATED,
            terminated_on__gte=start,
            signed_at__isnull=False,
        ),
        start_date__lte=end,
    )
    if consultant_id is not None:
        candidates = candidates.filter(consultant_id=consultant_id)
    chosen = []
    for contract in candidates.order_by("pk"):
        last_day = contract_last_day(contract)
        if last_day is None or last_day >= start:
            chosen.append(contract)
    return chosen


def payroll_contracts_of_consultant(*, consultant_id: int, period: date):
    """The consultant's contracts the run of `period` will pay (usually one)."""
    return payroll_contracts_for_period(period, consultant_id=consultant_id)


def payroll_period_paid(*, consultant_id: int, period: date) -> bool:
    """Whether the consultant's regular payslip of `period` exists (the month is closed)."""
    return Payslip.objects.filter(
        consultant_id=consultant_id, period=period, kind=PayslipKind.REGULAR
    ).exists()


def payout_caps_by_consultant(*, consultant_ids, period: date) -> dict[int, Decimal]:
    """What each consultant with a pay-out request may still take this month: the amount
    asked minus what payslips of the month already took (employer cost and provisions, read
    on the ledger), so that two contracts of one consultant, even paid in different
    batches, share one request. Consultants without a request are not in the result.
    Two queries whatever the number of consultants."""
    requests = dict(
        PayoutRequest.objects.filter(consultant_id__in=list(consultant_ids), period=period)
        .order_by()
        .values_list("consultant_id", "amount")
    )
    if not requests:
        return {}
    taken = (
        LedgerEntry.objects.filter(
            consultant_id__in=list(requests),
            source_content_type=ContentType.objects.get_for_model(Payslip),
            source_object_id__in=Payslip.objects.filter(
                consultant_id__in=list(requests), period=period, kind=PayslipKind.REGULAR
            ).values("pk"),
        )
        .order_by()
        .values("consultant_id")
        .annotate(total=Sum("amount"))
    )
    spent = {row["consultant_id"]: -sum_to_cent(row["total"]) for row in taken}
    return {cid: max(amount - spent.get(cid, ZERO), ZERO) for cid, amount in requests.items()}


def payout_request_of(*, consultant_id: int, period: date):
    return PayoutRequest.objects.filter(consultant_id=consultant_id, period=period).first()


def payout_requests_for_user(user) -> QuerySet:
    """Staff and finance see every request; a consultant only their own."""
    requests = PayoutRequest.objects.select_related("consultant").order_by("-period", "pk")
    if user_is_back_office(user):
        return requests
    if user_is_consultant(user):
        return requests.filter(consultant__user=user)
    return requests.none()


def payroll_unvalidated_reports(*, period: date, consultant_ids) -> list[ActivityReport]:
    """Activity reports of the month not validated yet (a warning before a run)."""
    return list(
        ActivityReport.objects.filter(month=period, consultant_id__in=list(consultant_ids))
        .exclude(status__in=[ActivityReportStatus.VALIDATED, ActivityReportStatus.INVOICED])
        .select_related("consultant")
        .order_by("consultant__last_name", "consultant__first_name", "pk")
    )


def payroll_available_by_consultant(*, consultant_ids, at: date) -> dict[int, Decimal]:
    """The montant disponible of each consultant at `at`, in one grouped query.

    Same figure as apps.ledger.selectors.ledger_available (today the balance: provisions are
    posted as negative entries) computed for a whole batch.
    """
    rows = (
        LedgerEntry.objects.filter(consultant_id__in=list(consultant_ids), entry_date__lte=at)
        .order_by()
        .values("consultant_id")
        .annotate(total=Sum("amount"))
    )
    found = {row["consultant_id"]: sum_to_cent(row["total"]) for row in rows}
    return {cid: found.get(cid, ZERO) for cid in consultant_ids}


def payroll_run_list() -> QuerySet[PayrollRun]:
    """Runs with their item counts per status (one query for a page of runs)."""
    return (
        PayrollRun.objects.select_related("started_by")
        .annotate(
            items_total=Count("items"),
            items_pending=Count("items", filter=Q(items__status=PayrollRunItemStatus.PENDING)),
            items_done=Count("items", filter=Q(items__status=PayrollRunItemStatus.DONE)),
            items_skipped=Count("items", filter=Q(items__status=PayrollRunItemStatus.SKIPPED)),
            items_failed=Count("items", filter=Q(items__status=PayrollRunItemStatus.FAILED)),
        )
        .order_by("-period")
    )


def payroll_run_get(pk: int) -> PayrollRun | None:
    return payroll_run_list().filter(pk=pk).first()


def payroll_run_counts(run: PayrollRun) -> dict[str, int]:
    counts = dict.fromkeys(PayrollRunItemStatus.values, 0)
    rows = run.items.order_by().values("status").annotate(n=Count("pk"))
    counts.update({row["status"]: row["n"] for row in rows})
    counts["total"] = sum(counts[s] for s in PayrollRunItemStatus.values)
    return counts


def payroll_run_failures(run: PayrollRun) -> QuerySet[PayrollRunItem]:
    """Failed and skipped items with their messages, for the run's detail page."""
    return (
        run.items.filter(status__in=[PayrollRunItemStatus.FAILED, PayrollRunItemStatus.SKIPPED])
        .select_related("employment_contract__consultant")
        .order_by("status", "pk")
    )


# --- journal -------------------------------------------------------------------------------
@dataclass(frozen=True)
class JournalLine:
    code: str
    group: str
    label_fr: str
    label_en: str
    base: Decimal
    employee_amount: Decimal
    employer_amount: Decimal
    count: int


@dataclass(frozen=True)
class Journal:
    run: PayrollRun
    lines: list[JournalLine] = field(default_factory=list)
    payslip_count: int = 0
    gross: Decimal = ZERO
    employee_contributions: Decimal = ZERO
    employer_contributions: Decimal = ZERO
    net_before_income_tax: Decimal = ZERO
    income_tax: Decimal = ZERO
    net_paid: Decimal = ZERO
    employer_cost: Decimal = ZERO


def run_payslips(run: PayrollRun) -> QuerySet[Payslip]:
    """The payslips created by a run (those its items point to)."""
    return Payslip.objects.filter(run_item__run=run)


def payroll_run_journal(run: PayrollRun) -> Journal:
    """The journal of a run: per line code, the totals of base, employee and employer
    amounts across its payslips, and the payslip totals. Two aggregate queries."""
    rows = (
        PayslipLine.objects.filter(payslip__run_item__run=run)
        .order_by()
        .values("code", "group", "label_fr", "label_en")
        .annotate(
            base_total=Sum("base"),
            employee_total=Sum("employee_amount"),
            employer_total=Sum("employer_amount"),
            n=Count("pk"),
            first_position=Min("position"),
        )
        .order_by("first_position", "code")
    )
    lines = [
        JournalLine(
            code=row["code"],
            group=row["group"],
            label_fr=row["label_fr"],
            label_en=row["label_en"],
            base=sum_to_cent(row["base_total"]),
            employee_amount=sum_to_cent(row["employee_total"]),
            employer_amount=sum_to_cent(row["employer_total"]),
            count=row["n"],
        )
        for row in rows
    ]
    totals = run_payslips(run).aggregate(
        n=Count("pk"),
        gross=Sum("gross"),
        employee=Sum("employee_contributions"),
        employer=Sum("employer_contributions"),
        net_before=Sum("net_before_income_tax"),
        income_tax=Sum("income_tax"),
        net_paid=Sum("net_paid"),
        employer_cost=Sum("employer_cost"),
    )
    return Journal(
        run=run,
        lines=lines,
        payslip_count=totals["n"] or 0,
        gross=sum_to_cent(totals["gross"]),
        employee_contributions=sum_to_cent(totals["employee"]),
        employer_contributions=sum_to_cent(totals["employer"]),
        net_before_income_tax=sum_to_cent(totals["net_before"]),
        income_tax=sum_to_cent(totals["income_tax"]),
        net_paid=sum_to_cent(totals["net_paid"]),
        employer_cost=sum_to_cent(totals["employer_cost"]),
    )
