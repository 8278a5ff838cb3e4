"""Reads on the compte d'activité: balances (always computed), statements, scoped lists.

Every figure is a SUM over the entries, served by the (consultant, entry_date, id) index: a
balance is one aggregate query whatever the account's age (10 years of monthly entries are
about a thousand rows per consultant).
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from apps.accounts.roles import user_is_back_office, user_is_consultant
from apps.consultants.selectors import consultant_list, consultants_for_user
from apps.core.money import quantize_eur, sum_to_cent

from .models import RESERVE_KINDS, LedgerEntry, LedgerEntryKind

ZERO = Decimal("0.00")


def _sum(queryset) -> Decimal:
    return sum_to_cent(queryset.aggregate(total=Sum("amount"))["total"])


def ledger_balance(consultant, at: date | None = None) -> Decimal:
    """The consultant's balance: the sum of every entry dated on or before `at` (default:
    all entries, future-dated included). One aggregate query."""
    entries = LedgerEntry.objects.filter(consultant=consultant)
    if at is not None:
        entries = entries.filter(entry_date__lte=at)
    return _sum(entries)


def ledger_available(consultant, at: date | None = None) -> Decimal:
    """The montant disponible (PR-24) still on the account: today, the balance itself.

    Reserve and paid-leave provisions are posted as negative entries when provisioned, so
    the balance already excludes the money set aside (see `ledger_reserve_balance`). Once the
    payroll app reserves money for a pay run in progress (computed but not yet posted), this
    is where it will be subtracted: callers that ask "how much can be paid?" use this
    function, not `ledger_balance`.
    """
    return ledger_balance(consultant, at=at)


def ledger_reserve_balance(consultant, at: date | None = None) -> Decimal:
    """The financial reserve held for the consultant (PR-18/19): provisions (−) minus
    releases and payouts (+), shown as a positive amount."""
    entries = LedgerEntry.objects.filter(consultant=consultant, kind__in=sorted(RESERVE_KINDS))
    if at is not None:
        entries = entries.filter(entry_date__lte=at)
    return -_sum(entries) + ZERO


# --- statement ----------------------------------------------------------------------------
@dataclass(frozen=True)
class StatementLine:
    entry: LedgerEntry
    balance_after: Decimal
    # The document that caused the movement; for a reversal, the reversed entry's document.
    source: object | None
    source_type: str
    source_label: str

    @property
    def source_portal_url(self) -> str:
        """Link for the consultant, when the source document's app provides one."""
        getter = getattr(self.source, "get_portal_url", None)
        return getter() if callable(getter) else ""

    @property
    def source_admin_url(self) -> str:
        if self.source is None:
            return ""
        meta = self.source._meta
        try:
            return reverse(
                f"admin:{meta.app_label}_{meta.model_name}_change", args=[self.source.pk]
            )
        except NoReverseMatch:
            return ""


@dataclass(frozen=True)
class KindTotal:
    kind: str
    label: str
    total: Decimal
    count: int


@dataclass(frozen=True)
class StatementMonth:
    month: date  # first day of the month
    opening_balance: Decimal
    credits: Decimal
    debits: Decimal
    closing_balance: Decimal
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def net(self) -> Decimal:
        return self.credits + self.debits


@dataclass(frozen=True)
class LedgerStatement:
    consultant: object
    start: date
    end: date
    opening_balance: Decimal
    entries: list[StatementLine]
    totals_by_kind: list[KindTotal]
    credits: Decimal
    debits: Decimal
    closing_balance: Decimal
    months: list[StatementMonth]

    @property
    def net(self) -> Decimal:
        return self.credits + self.debits

    def total_for(self, kind: str) -> Decimal:
        return next((t.total for t in self.totals_by_kind if t.kind == kind), ZERO)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """First day of the month `months` after (or before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _months_between(start: date, end: date) -> list[date]:
    months, current = [], month_start(start)
    while current <= end:
        months.append(current)
        current = add_months(current, 1)
    return months


def _resolve_sources(entries: list[LedgerEntry]) -> dict[tuple[int, int], object]:
    """Fetch every source document once per document type (no query per entry)."""
    wanted: dict[int, set[int]] = defaultdict(set)
    types = {}
    for entry in entries:
        holder = entry.reverses if entry.reverses_id else entry
        if holder.source_content_type_id is not None:
            wanted[holder.source_content_type_id].add(holder.source_object_id)
            types[holder.source_content_type_id] = holder.source_content_type
    found: dict[tuple[int, int], object] = {}
    for type_id, ids in wanted.items():
        model = types[type_id].model_class()
        if model is None:  # the document's app was removed
            continue
        queryset = model._base_manager.filter(pk__in=ids)
        # A source model may say what to join to print itself (e.g. an allocation its invoice).
        prepare = getattr(model, "ledger_source_queryset", None)
        if callable(prepare):
            queryset = prepare(queryset)
        for document in queryset:
            found[(type_id, document.pk)] = document
    return found


def _line(entry: LedgerEntry, balance_after: Decimal, sources) -> StatementLine:
    holder = entry.reverses if entry.reverses_id else entry
    if holder.source_content_type_id is None:
        return StatementLine(entry, balance_after, None, "", "")
    document = sources.get((holder.source_content_type_id, holder.source_object_id))
    model = holder.source_content_type.model_class()
    source_type = capfirst(model._meta.verbose_name) if model else holder.source_content_type.model
    if document is None:
        label = _("Deleted document #%(id)s") % {"id": holder.source_object_id}
        return StatementLine(entry, balance_after, None, str(source_type), str(label))
    return StatementLine(entry, balance_after, document, str(source_type), str(document))


def ledger_statement(consultant, *, start: date, end: date) -> LedgerStatement:
    """The compte d'activité between two dates (both included), month by month.

    Opening balance (entries before `start`), every movement with its source document and
    the balance after it, totals per kind, per-month subtotals (every month of the period,
    empty ones included) and the closing balance. Queries: 2, plus one per type of source
    document present — not one per entry.
    """
    if start > end:
        raise ValidationError({"end": _("The end date must be on or after the start date.")})
    opening = _sum(LedgerEntry.objects.filter(consultant=consultant, entry_date__lt=start))
    entries = list(
        LedgerEntry.objects.filter(
            consultant=consultant, entry_date__gte=start, entry_date__lte=end
        )
        .select_related(
            "source_content_type", "reverses", "reverses__source_content_type", "created_by"
        )
        .order_by("entry_date", "id")
    )
    sources = _resolve_sources(entries)

    balance = opening
    lines: list[StatementLine] = []
    per_kind: dict[str, list] = {}
    for entry in entries:
        balance += entry.amount
        lines.append(_line(entry, balance, sources))
        total = per_kind.setdefault(entry.kind, [ZERO, 0])
        total[0] += entry.amount
        total[1] += 1

    lines_by_month: dict[date, list[StatementLine]] = defaultdict(list)
    for line in lines:
        lines_by_month[month_start(line.entry.entry_date)].append(line)
    months: list[StatementMonth] = []
    running = opening
    for month in _months_between(start, end):
        month_lines = lines_by_month.get(month, [])
        credits = sum((ln.entry.amount for ln in month_lines if ln.entry.amount > 0), ZERO)
        debits = sum((ln.entry.amount for ln in month_lines if ln.entry.amount < 0), ZERO)
        months.append(
            StatementMonth(
                month=month,
                opening_balance=running,
                credits=credits,
                debits=debits,
                closing_balance=running + credits + debits,
                lines=month_lines,
            )
        )
        running += credits + debits

    totals = [
        KindTotal(
            kind=kind.value, label=str(kind.label), total=per_kind[kind][0], count=per_kind[kind][1]
        )
        for kind in LedgerEntryKind
        if kind in per_kind
    ]
    return LedgerStatement(
        consultant=consultant,
        start=start,
        end=end,
        opening_balance=opening,
        entries=lines,
        totals_by_kind=totals,
        credits=sum((m.credits for m in months), ZERO),
        debits=sum((m.debits for m in months), ZERO),
        closing_balance=balance,
        months=months,
    )


# --- scoped reads ---------------------------------------------------------------------------
def ledger_entry_list() -> QuerySet[LedgerEntry]:
    """Every entry, with what a list shows joined (no query per row)."""
    return LedgerEntry.objects.select_related(
        "consultant", "source_content_type", "created_by", "reverses"
    ).annotate(is_reversed=Exists(LedgerEntry.objects.filter(reverses=OuterRef("pk"))))


def ledger_entries_for_user(user) -> QuerySet[LedgerEntry]:
    """Back office: every entry; a consultant: their own; anyone else: nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return LedgerEntry.objects.none()
    if user_is_back_office(user):
        return ledger_entry_list()
    if user_is_consultant(user):
        return ledger_entry_list().filter(consultant__user=user)
    return LedgerEntry.objects.none()


def ledger_consultant_for_user(user, consultant_id=None):
    """The consultant whose account `user` may read, or None (→ 404).

    A consultant always gets their own account; asking for anyone else's id gives None.
    The back office must name the consultant.
    """
    consultants = consultants_for_user(user)
    if user_is_consultant(user) and not user_is_back_office(user):
        own = consultants.first()
        if own is None or (consultant_id not in (None, "") and str(consultant_id) != str(own.pk)):
            return None
        return own
    if consultant_id in (None, "") or not str(consultant_id).isdigit():
        return None
    return consultants.filter(pk=consultant_id).first()


class _MoneyOrZero(Coalesce):
    """COALESCE(expression, 0) read back as a Decimal to the cent (SQLite returns a float)."""

    def __init__(self, expression):
        field = DecimalField(max_digits=14, decimal_places=2)
        super().__init__(expression, Value(ZERO), output_field=field)

    def convert_value(self, value, expression, connection):
        return None if value is None else quantize_eur(Decimal(str(value)))


def ledger_consultants_balances(at: date | None = None) -> QuerySet:
    """Consultants annotated with `ledger_balance`, `ledger_entry_count` and
    `ledger_last_entry_date` (entries dated on or before `at`), in one query.

    Correlated subqueries rather than JOIN + GROUP BY: the database computes them only for
    the rows it returns (a page of 100 consultants = 100 index range scans), not for every
    entry of every consultant before sorting.
    """
    entries = LedgerEntry.objects.filter(consultant=OuterRef("pk"))
    if at is not None:
        entries = entries.filter(entry_date__lte=at)
    per_consultant = entries.order_by().values("consultant")
    return consultant_list().annotate(
        ledger_balance=_MoneyOrZero(
            Subquery(per_consultant.annotate(total=Sum("amount")).values("total"))
        ),
        ledger_entry_count=Coalesce(
            Subquery(per_consultant.annotate(n=Count("pk")).values("n")), Value(0)
        ),
        ledger_last_entry_date=Subquery(
            per_consultant.annotate(last=Max("entry_date")).values("last")
        ),
    )
