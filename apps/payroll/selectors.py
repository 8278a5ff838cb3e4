"""Reads of the payroll: contracts to pay for a period, batch inputs of a run, progress,
the journal. Batch readers take a list of ids and cost one query whatever its length."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Min, Q, QuerySet, Sum

from apps.activity.models import ActivityReport, ActivityReportStatus
from apps.employment_contracts.models import EmploymentContract
from apps.ledger.models import LedgerEntry
from apps.payslips.models import Payslip, PayslipLine

from .models import PayrollRun, PayrollRunItem, PayrollRunItemStatus

ZERO = Decimal("0.00")
PAYABLE_STATUSES = (EmploymentContract.Status.SIGNED, EmploymentContract.Status.ACTIVE)


def period_end(period: date) -> date:
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def _contract_end(contract: EmploymentContract) -> date | None:
    """Last day of work: the end of a closed contract, else a CDD's planned term."""
    if contract.status == EmploymentContract.Status.ENDED:
        return contract.ended_on
    if contract.status == EmploymentContract.Status.TERMINATED:
        return contract.terminated_on
    return contract.effective_end_date


def payroll_contracts_for_period(period: date) -> list[EmploymentContract]:
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
    chosen = []
    for contract in candidates.order_by("pk"):
        last_day = _contract_end(contract)
        if last_day is None or last_day >= start:
            chosen.append(contract)
    return chosen


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
    found = {row["consultant_id"]: row["total"] or ZERO for row in rows}
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
            base=row["base_total"] or ZERO,
            employee_amount=row["employee_total"] or ZERO,
            employer_amount=row["employer_total"] or ZERO,
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
        gross=totals["gross"] or ZERO,
        employee_contributions=totals["employee"] or ZERO,
        employer_contributions=totals["employer"] or ZERO,
        net_before_income_tax=totals["net_before"] or ZERO,
        income_tax=totals["income_tax"] or ZERO,
        net_paid=totals["net_paid"] or ZERO,
        employer_cost=totals["employer_cost"] or ZERO,
    )
