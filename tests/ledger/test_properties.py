"""Ledger invariants under any sequence of operations (hypothesis).

A model of the account (a plain list of amounts and dates) runs beside the real ledger:
posts, reposts of the same source (no-op), reposts with another amount (refused), reversals
(once; a reversal is never reversed), staff adjustments. After every step the balance is
the sum of the amounts, at any date the sum up to that date, and a statement adds up.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    rule,
    run_state_machine_as_test,
)

from apps.accounts.roles import Role
from apps.accounts.services import user_create
from apps.ledger.models import CREDIT_KINDS, DEBIT_KINDS, LedgerEntry, LedgerEntryKind
from apps.ledger.selectors import ledger_balance, ledger_statement
from apps.ledger.services import LedgerConflict, ledger_adjust, ledger_post, ledger_reverse
from tests.consultants.factories import ConsultantFactory

FIRST_DAY = date(2016, 1, 1)
LAST_DAY = date(2026, 12, 31)  # ten years of movements

amounts = st.decimals(
    min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2, allow_nan=False
)
days = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)
kinds = st.sampled_from(
    [k for k in LedgerEntryKind if k not in (LedgerEntryKind.REVERSAL, LedgerEntryKind.ADJUSTMENT)]
)
signs = st.sampled_from([1, -1])


def signed(kind: str, amount: Decimal, sign: int) -> Decimal:
    if kind in CREDIT_KINDS:
        return amount
    if kind in DEBIT_KINDS:
        return -amount
    return amount * sign


class LedgerMachine(RuleBasedStateMachine):
    entries = Bundle("entries")
    reversals = Bundle("reversals")

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.consultant = ConsultantFactory()
        self.staff = user_create(
            email=f"staff-{self.consultant.pk}@example.test", role=Role.STAFF, password="x"
        )
        self.model: dict[int, tuple[Decimal, date]] = {}  # entry id -> (amount, date)
        self.posted: dict[int, tuple[Group, str, Decimal]] = {}  # entry id -> source, kind, amount
        self.reversed: set[int] = set()
        self.counter = 0

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _source(self) -> Group:
        self.counter += 1
        return Group.objects.create(name=f"src-{self.consultant.pk}-{self.counter}")

    @rule(target=entries, kind=kinds, amount=amounts, sign=signs, day=days)
    def post(self, kind, amount, sign, day):
        source = self._source()
        value = signed(kind, amount, sign)
        entry = ledger_post(
            consultant=self.consultant,
            kind=kind,
            amount=value,
            entry_date=day,
            label="movement",
            source=source,
        )
        assert entry.amount == value
        self.model[entry.pk] = (value, day)
        self.posted[entry.pk] = (source, kind, value)
        return entry.pk

    @rule(entry_id=entries, day=days)
    def repost_same_source(self, entry_id, day):
        source, kind, value = self.posted[entry_id]
        count = LedgerEntry.objects.count()
        if entry_id in self.reversed:
            with pytest.raises(LedgerConflict):
                ledger_post(
                    consultant=self.consultant,
                    kind=kind,
                    amount=value,
                    entry_date=day,
                    label="retry",
                    source=source,
                )
        else:
            again = ledger_post(
                consultant=self.consultant,
                kind=kind,
                amount=value,
                entry_date=day,
                label="retry",
                source=source,
            )
            assert again.pk == entry_id
        assert LedgerEntry.objects.count() == count

    @rule(entry_id=entries, delta=amounts)
    def repost_with_another_amount(self, entry_id, delta):
        source, kind, value = self.posted[entry_id]
        other = value + delta if value > 0 else value - delta
        count = LedgerEntry.objects.count()
        with pytest.raises(LedgerConflict):
            ledger_post(
                consultant=self.consultant,
                kind=kind,
                amount=other,
                entry_date=FIRST_DAY,
                label="retry",
                source=source,
            )
        assert LedgerEntry.objects.count() == count

    @rule(target=reversals, entry_id=entries, later=st.integers(min_value=0, max_value=400))
    def reverse(self, entry_id, later):
        entry = LedgerEntry.objects.get(pk=entry_id)
        when = entry.entry_date + timedelta(days=later)
        if entry_id in self.reversed:
            with pytest.raises(LedgerConflict):
                ledger_reverse(entry=entry, reason="again", created_by=self.staff, entry_date=when)
            return None
        reversal = ledger_reverse(
            entry=entry, reason="mistake", created_by=self.staff, entry_date=when
        )
        assert reversal.amount == -entry.amount
        self.reversed.add(entry_id)
        self.model[reversal.pk] = (reversal.amount, when)
        return reversal.pk

    @rule(reversal_id=consumes(reversals))
    def reverse_a_reversal(self, reversal_id):
        if reversal_id is None:
            return
        with pytest.raises(LedgerConflict):
            ledger_reverse(
                entry=LedgerEntry.objects.get(pk=reversal_id), reason="undo", created_by=self.staff
            )

    @rule(amount=amounts, sign=signs, day=days)
    def adjust(self, amount, sign, day):
        entry = ledger_adjust(
            consultant=self.consultant,
            amount=amount * sign,
            label="adjustment",
            created_by=self.staff,
            entry_date=day,
        )
        self.model[entry.pk] = (amount * sign, day)

    @rule(day=days)
    def balance_at_a_date_is_the_sum_up_to_that_date(self, day):
        expected = sum((a for a, d in self.model.values() if d <= day), Decimal("0.00"))
        assert ledger_balance(self.consultant, at=day) == expected

    @rule(entry_id=entries)
    def balance_on_the_day_of_a_movement(self, entry_id):
        # the boundaries: the movement counts on its own date, not the day before
        day = self.model[entry_id][1]
        for at in (day, day - timedelta(days=1)):
            expected = sum((a for a, d in self.model.values() if d <= at), Decimal("0.00"))
            assert ledger_balance(self.consultant, at=at) == expected

    @rule(start=days, end=days)
    def statement_adds_up(self, start, end):
        start, end = min(start, end), max(start, end)
        statement = ledger_statement(self.consultant, start=start, end=end)
        before = sum((a for a, d in self.model.values() if d < start), Decimal("0.00"))
        within = [a for a, d in self.model.values() if start <= d <= end]
        assert statement.opening_balance == before
        assert len(statement.entries) == len(within)
        assert statement.closing_balance == before + sum(within, Decimal("0.00"))
        assert sum((m.net for m in statement.months), Decimal("0.00")) == sum(within, Decimal("0"))
        assert statement.months[0].opening_balance == statement.opening_balance
        assert statement.months[-1].closing_balance == statement.closing_balance
        for previous, following in zip(statement.months, statement.months[1:], strict=False):
            assert following.opening_balance == previous.closing_balance

    @invariant()
    def balance_is_the_sum_of_the_amounts(self):
        expected = sum((a for a, _d in self.model.values()), Decimal("0.00"))
        balance = ledger_balance(self.consultant)
        assert balance == expected
        assert balance.as_tuple().exponent == -2
        assert LedgerEntry.objects.filter(consultant=self.consultant).count() == len(self.model)


def test_ledger_invariants_under_any_sequence_of_operations(db):
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    movements=st.lists(st.tuples(amounts, signs, days, st.booleans()), min_size=1, max_size=15),
    at=days,
)
def test_balance_is_the_sum_whatever_the_reposts(consultant, movements, at):
    with transaction.atomic():
        total = Decimal("0.00")
        total_at = Decimal("0.00")
        for index, (amount, sign, day, repost) in enumerate(movements):
            source = Group.objects.create(name=f"given-{index}")
            value = amount * sign
            for _ in range(2 if repost else 1):
                ledger_post(
                    consultant=consultant,
                    kind=LedgerEntryKind.FINANCIAL_RESERVE,
                    amount=value,
                    entry_date=day,
                    label="movement",
                    source=source,
                )
            total += value
            total_at += value if day <= at else Decimal("0")
        assert ledger_balance(consultant) == total
        assert ledger_balance(consultant, at=at) == total_at
        assert LedgerEntry.objects.filter(consultant=consultant).count() == len(movements)
        transaction.set_rollback(True)
