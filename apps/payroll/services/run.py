"""The monthly payroll run (docs/payroll-run.md).

`payroll_run_start` creates the run and one item per employment contract to pay;
`payroll_run_execute` processes the pending items in batches: three reads per batch
(contracts and consultants, available amounts, year-to-date figures), the engine for each
item, then one transaction writing the batch with bulk inserts (payslips, lines, ledger
debits, item statuses), so the queries of a batch do not depend on its size. A batch is
all or nothing; if its transaction fails, the batch is redone one item per transaction so
that only the faulty item fails, with its message. An interrupted run resumes where it
stopped (pending items), and a finished run changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.selectors import company_profile_get
from apps.ledger.services import ledger_post_many
from apps.payroll.engine import RatesError, load_rates
from apps.payroll.models import PayrollRun, PayrollRunItem, PayrollRunItemStatus, PayrollRunStatus
from apps.payroll.selectors import (
    payout_caps_by_consultant,
    payroll_available_by_consultant,
    payroll_contracts_for_period,
    payroll_run_counts,
    payroll_unvalidated_reports,
    period_end,
)
from apps.payslips.selectors import payslips_ytd_by_contract, regular_payslip_of
from apps.payslips.services import PayslipSpec, payslip_create_many

from .payslip_build import (
    PayrollError,
    employee_snapshot,
    employer_snapshot,
    engine_template,
    inputs_snapshot,
    ledger_postings,
    payslip_build,
    payslip_composition,
    provision_split,
)

logger = logging.getLogger(__name__)
ZERO = Decimal("0.00")
BATCH_SIZE = 500


def payroll_period(value: date) -> date:
    """The pay period (first day of the month); refuses a month without a rates file."""
    period = value.replace(day=1)
    try:
        load_rates(period)
    except RatesError as error:
        raise PayrollError(str(error), code="payroll_rates_not_found") from error
    return period


def payroll_run_start(*, period: date, started_by) -> PayrollRun:
    """Create the run of `period` with one item per contract to pay and the warnings.

    A second start for the same period changes nothing and returns the existing run with
    `run.already_started = True` and `run.notice` saying so (the admin and the API show it).
    """
    period = payroll_period(period)
    existing = PayrollRun.objects.filter(period=period).first()
    if existing is not None:
        return _already_started(existing)
    contracts = payroll_contracts_for_period(period)
    reports = payroll_unvalidated_reports(
        period=period, consultant_ids={c.consultant_id for c in contracts}
    )
    warnings = [
        {
            "code": "activity_report_not_validated",
            "consultant_id": report.consultant_id,
            "activity_report_id": report.pk,
            "message": _("%(consultant)s: the activity report of %(month)s is “%(status)s”.")
            % {
                "consultant": report.consultant,
                "month": period.strftime("%m/%Y"),
                "status": report.get_status_display(),
            },
        }
        for report in reports
    ]
    try:
        with transaction.atomic():
            run = PayrollRun.objects.create(period=period, started_by=started_by, warnings=warnings)
            PayrollRunItem.objects.bulk_create(
                [PayrollRunItem(run=run, employment_contract=c) for c in contracts],
                batch_size=1000,
            )
    except IntegrityError:
        # Another request started the same period between our check and our insert.
        return _already_started(PayrollRun.objects.get(period=period))
    run.already_started = False
    run.notice = _("Payroll run of %(period)s created with %(count)s contracts to pay.") % {
        "period": run,
        "count": len(contracts),
    }
    return run


def _already_started(run: PayrollRun) -> PayrollRun:
    run.already_started = True
    run.notice = _(
        "A payroll run for %(period)s already exists (status “%(status)s”): nothing was"
        " created. Resume it if items are still pending."
    ) % {"period": run, "status": run.get_status_display()}
    return run


def payroll_run_execute(
    *, run: PayrollRun, batch_size: int = BATCH_SIZE, retry_failed: bool = False
) -> PayrollRun:
    """Process the run's pending items (resumable, idempotent); `retry_failed` puts failed
    items back to pending first. A finished run with nothing pending changes nothing."""
    with transaction.atomic():
        run = PayrollRun.objects.select_for_update().get(pk=run.pk)
        if retry_failed:
            run.items.filter(status=PayrollRunItemStatus.FAILED).update(
                status=PayrollRunItemStatus.PENDING, message="", updated_at=timezone.now()
            )
        if not run.items.filter(status=PayrollRunItemStatus.PENDING).exists():
            if run.status in (PayrollRunStatus.PENDING, PayrollRunStatus.RUNNING):
                _finish(run)
            return run
        run.status = PayrollRunStatus.RUNNING
        run.started_at = run.started_at or timezone.now()
        run.save(update_fields=["status", "started_at", "updated_at"])

    company = company_profile_get()
    context = {
        "run": run,
        "period": run.period,
        "day": period_end(run.period),
        "headcount": company.headcount if company else 0,
        "employer": employer_snapshot(company),
        "created_by": run.started_by,
    }
    last_pk = 0
    while True:
        ids = list(
            run.items.filter(status=PayrollRunItemStatus.PENDING, pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            break
        last_pk = ids[-1]
        _process_batch(ids, context)

    with transaction.atomic():
        run = PayrollRun.objects.select_for_update().get(pk=run.pk)
        _finish(run)
    return run


def _finish(run: PayrollRun) -> None:
    counts = payroll_run_counts(run)
    if counts[PayrollRunItemStatus.PENDING]:
        return
    run.status = (
        PayrollRunStatus.DONE_WITH_ERRORS
        if counts[PayrollRunItemStatus.FAILED]
        else PayrollRunStatus.DONE
    )
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at", "updated_at"])


@dataclass
class ItemOutcome:
    """What one item comes to; written with the others of its batch."""

    item: PayrollRunItem
    status: str
    message: str = ""
    spec: PayslipSpec | None = None
    reserve: Decimal = ZERO
    paid_leave: Decimal = ZERO
    spent: Decimal = ZERO  # taken from the compte d'activité


def _process_batch(ids: list[int], context: dict) -> None:
    """One batch: three reads for all its items, the engine for each, then one transaction
    that writes the whole batch with bulk inserts (a constant number of queries). Should
    that transaction fail (a constraint, a conflicting ledger entry), the batch is redone
    one item per transaction, so that only the faulty item fails, with its message."""
    items = list(
        PayrollRunItem.objects.filter(pk__in=ids)
        .select_related("employment_contract__consultant")
        .prefetch_related("employment_contract__renewals")  # a CDD's end, for the minimum
        .order_by("pk")
    )
    contracts = [item.employment_contract for item in items]
    available = payroll_available_by_consultant(
        consultant_ids=sorted({c.consultant_id for c in contracts}), at=context["day"]
    )
    # A consultant's pay-out request caps what this month takes (IDCC 3219: the consultant
    # decides the amount); without one the whole balance is paid out.
    caps = payout_caps_by_consultant(consultant_ids=list(available), period=context["period"])
    for consultant_id, cap in caps.items():
        available[consultant_id] = min(available[consultant_id], cap)
    ytd = payslips_ytd_by_contract(contract_ids=[c.pk for c in contracts], period=context["period"])
    before = dict(available)
    try:
        with transaction.atomic():
            # skip_locked: a second worker on the same run takes other items. Only the
            # items are locked (of=self, no ordering): the model's default ordering joins
            # the run, and FOR UPDATE would lock the run's row too, so that a second
            # worker skipped every item while the first held a batch.
            mine = set(
                PayrollRunItem.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk__in=ids, status=PayrollRunItemStatus.PENDING)
                .order_by()
                .values_list("pk", flat=True)
            )
            outcomes = [
                _compute(item=item, available=available, ytd=ytd, context=context)
                for item in items
                if item.pk in mine
            ]
            _write(outcomes, context)
    except Exception:  # noqa: BLE001 - redone item by item below, each failure recorded
        logger.warning("payroll batch failed, retrying item by item", exc_info=True)
        available.clear()
        available.update(before)
        for item in items:
            payroll_item_process(item=item, available=available, ytd=ytd, context=context)


def payroll_item_process(*, item: PayrollRunItem, available: dict, ytd: dict, context: dict):
    """One item in its own transaction; a failure is recorded on the item and swallowed
    (the next item goes on), an interruption (KeyboardInterrupt, a killed worker) is not."""
    before = dict(available)
    try:
        with transaction.atomic():
            locked = list(
                PayrollRunItem.objects.select_for_update(of=("self",))
                .filter(pk=item.pk, status=PayrollRunItemStatus.PENDING)
                .order_by()
                .values_list("pk", flat=True)
            )
            if not locked:  # done by another worker meanwhile
                return
            _write([_compute(item=item, available=available, ytd=ytd, context=context)], context)
    except Exception as error:  # noqa: BLE001 - any failure of one payslip is reported on it
        available.clear()
        available.update(before)
        _log_unexpected(item, error)
        PayrollRunItem.objects.filter(pk=item.pk, status=PayrollRunItemStatus.PENDING).update(
            status=PayrollRunItemStatus.FAILED,
            message=error_message(error),
            updated_at=timezone.now(),
        )


def _log_unexpected(item, error: Exception) -> None:
    if not isinstance(error, DomainError | ValidationError | RatesError | ValueError):
        logger.error("payroll item %s failed", item.pk, exc_info=error)


def error_message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    if isinstance(error, DomainError | RatesError | ValueError):
        return str(error)
    return _("Unexpected error (%(type)s): %(error)s") % {
        "type": type(error).__name__,
        "error": error,
    }


def _compute(*, item, available: dict, ytd: dict, context: dict) -> ItemOutcome:
    """The engine's part: no writes. A refusal (below the minimum, bad data) is a FAILED
    outcome with its message; `available` is lowered by what a payslip takes."""
    try:
        outcome = _compute_payslip(item=item, available=available, ytd=ytd, context=context)
    except Exception as error:  # noqa: BLE001 - reported on the item
        _log_unexpected(item, error)
        return ItemOutcome(item, PayrollRunItemStatus.FAILED, error_message(error))
    if outcome.spent:
        consultant_id = item.employment_contract.consultant_id
        available[consultant_id] = available[consultant_id] - outcome.spent
    return outcome


def _compute_payslip(*, item, available: dict, ytd: dict, context: dict) -> ItemOutcome:
    contract = item.employment_contract
    period, day, headcount = context["period"], context["day"], context["headcount"]
    amount = available.get(contract.consultant_id, ZERO)
    if amount <= 0:
        message = _("Nothing available on the compte d'activité (%(amount)s € on %(date)s).") % {
            "amount": amount,
            "date": day.strftime("%d/%m/%Y"),
        }
        return ItemOutcome(item, PayrollRunItemStatus.SKIPPED, message)
    contract_ytd = ytd.get(contract.pk)
    built = payslip_build(
        contract=contract, period=period, available=amount, headcount=headcount, ytd=contract_ytd
    )
    composition = built.composition
    result = composition.payslip
    template = engine_template(
        contract=contract, period=period, headcount=headcount, ytd=contract_ytd
    )
    previous = contract_ytd or {}
    spec = PayslipSpec(
        contract=contract,
        period=period,
        result=result,
        composition=payslip_composition(composition),
        employer_snapshot=context["employer"],
        employee_snapshot=employee_snapshot(contract),
        inputs_snapshot=inputs_snapshot(template=template, built=built),
        ytd_net_taxable=previous.get("ytd_net_taxable", ZERO) + result.net_taxable,
        ytd_employer_cost=previous.get("ytd_employer_cost", ZERO) + result.employer_cost,
        created_by=context["created_by"],
    )
    reserve, paid_leave = provision_split(composition)
    message = (
        _("Topped up to the conventional minimum (%(minimum)s €): the account goes negative.")
        % {"minimum": built.minimum.minimum}
        if built.topped_up
        else ""
    )
    return ItemOutcome(
        item,
        PayrollRunItemStatus.DONE,
        message,
        spec=spec,
        reserve=reserve,
        paid_leave=paid_leave,
        spent=result.employer_cost + reserve + paid_leave,
    )


def _write(outcomes: list[ItemOutcome], context: dict) -> None:
    """Payslips, lines, ledger debits and item statuses of a batch: bulk inserts, one
    bulk update, whatever the batch size. Inside the caller's transaction."""
    done = [outcome for outcome in outcomes if outcome.spec is not None]
    payslips = payslip_create_many([outcome.spec for outcome in done])
    postings = []
    for outcome, payslip in zip(done, payslips, strict=True):
        outcome.item.payslip = payslip
        postings += ledger_postings(
            consultant=outcome.item.employment_contract.consultant,
            payslip=payslip,
            employer_cost=payslip.employer_cost,
            reserve=outcome.reserve,
            paid_leave=outcome.paid_leave,
            day=context["day"],
        )
    if postings:
        ledger_post_many(entries=postings)
    _mark_items(outcomes, context)
    payslip_ids = [payslip.pk for payslip in payslips]
    transaction.on_commit(lambda: _schedule_all(payslip_ids))


def _mark_items(outcomes: list[ItemOutcome], context: dict) -> None:
    """Item statuses in at most two queries. The usual case, a payslip and no message, is
    one UPDATE that finds each item's payslip by (contract, period); the others (skipped,
    failed, topped up: each with its own message) take a bulk_update. Django's
    bulk_update alone writes a CASE per column and row, which PostgreSQL took over a
    second per batch of 500 to evaluate."""
    now = timezone.now()
    plain, others = [], []
    for outcome in outcomes:
        outcome.item.status = outcome.status
        outcome.item.message = outcome.message
        outcome.item.updated_at = now
        is_plain = outcome.status == PayrollRunItemStatus.DONE and not outcome.message
        (plain if is_plain else others).append(outcome.item)
    if plain:
        PayrollRunItem.objects.filter(pk__in=[item.pk for item in plain]).update(
            status=PayrollRunItemStatus.DONE,
            message="",
            updated_at=now,
            payslip=regular_payslip_of(
                contract_ref=OuterRef("employment_contract"), period=context["period"]
            ),
        )
    if others:
        PayrollRunItem.objects.bulk_update(others, ["status", "payslip", "message", "updated_at"])


def _schedule_all(payslip_ids: list[int]) -> None:
    for payslip_id in payslip_ids:
        schedule_payslip_render(payslip_id)


def schedule_payslip_render(payslip_id: int) -> None:
    """The PDF is rendered by apps.payslips in Celery, after the payslip is committed."""
    from apps.payslips.tasks import payslip_render

    payslip_render.delay(payslip_id)
