"""Demo compte d'activité: deterministic, idempotent, consistent with the services."""

from datetime import date
from decimal import Decimal

import pytest

from apps.accounts.models import User
from apps.consultants.demo import seed_consultants
from apps.ledger.demo import ADJUSTMENTS, OPENING_LABEL, seed_ledger
from apps.ledger.models import LedgerEntry, LedgerEntryKind
from apps.ledger.selectors import ledger_balance

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 20)


def test_seed_is_idempotent_and_valid():
    User.objects.create_superuser("admin@example.test", "x")
    consultants = seed_consultants(count=6)
    created = seed_ledger(today=TODAY)
    assert created == 6 + 3 * len(ADJUSTMENTS)
    openings = LedgerEntry.objects.filter(kind=LedgerEntryKind.OPENING_BALANCE)
    assert openings.count() == 6
    assert {e.entry_date for e in openings} == {date(2026, 1, 1)}
    assert {e.label for e in openings} == {OPENING_LABEL}
    assert all(Decimal("500.00") <= e.amount <= Decimal("15000.00") for e in openings)
    balances = {c.pk: ledger_balance(c) for c in consultants}

    assert seed_ledger(today=TODAY) == 0  # a rerun posts nothing, changes nothing
    assert {c.pk: ledger_balance(c) for c in consultants} == balances
    # more demo consultants later: the existing amounts do not move (no conflict)
    seed_consultants(count=8)
    assert seed_ledger(today=date(2027, 2, 1)) == 2
    assert all(ledger_balance(c) == balances[c.pk] for c in consultants)


def test_without_a_superuser_only_opening_balances():
    seed_consultants(count=2)
    assert seed_ledger(today=TODAY) == 2
    assert not LedgerEntry.objects.filter(kind=LedgerEntryKind.ADJUSTMENT).exists()


def test_nothing_to_do_without_demo_consultants():
    assert seed_ledger(today=TODAY) == 0
