"""ledger_post, ledger_post_many, ledger_reverse, ledger_adjust."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.core.errors import DomainError
from apps.ledger.models import LedgerEntry, LedgerEntryKind
from apps.ledger.selectors import ledger_balance
from apps.ledger.services import (
    LedgerConflict,
    LedgerPosting,
    ledger_adjust,
    ledger_post,
    ledger_post_many,
    ledger_reverse,
)

from .factories import post, source_document

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 15)


def _post(consultant, amount, source, kind=LedgerEntryKind.TURNOVER_COLLECTED, **kw):
    return ledger_post(
        consultant=consultant,
        kind=kind,
        amount=amount,
        entry_date=kw.pop("entry_date", MARCH),
        label=kw.pop("label", "Payment received"),
        source=source,
        **kw,
    )


# --- ledger_post ----------------------------------------------------------------------------
def test_post_stores_a_signed_decimal_with_two_places(consultant):
    source = source_document()
    entry = _post(consultant, 1000, source)
    fee = _post(consultant, "-60.5", source, kind=LedgerEntryKind.MANAGEMENT_FEE)
    for value in (entry.amount, fee.amount):
        assert isinstance(value, Decimal)
        assert value.as_tuple().exponent == -2
    assert (entry.amount, fee.amount) == (Decimal("1000.00"), Decimal("-60.50"))
    entry.refresh_from_db()
    assert entry.amount == Decimal("1000.00")
    assert entry.source == source
    assert ledger_balance(consultant) == Decimal("939.50")


def test_repost_of_the_same_source_and_kind_is_a_no_op(consultant):
    source = source_document()
    first = _post(consultant, Decimal("1200.00"), source)
    again = _post(consultant, Decimal("1200.00"), source, entry_date=date(2026, 3, 20), label="x")
    assert again.pk == first.pk
    assert LedgerEntry.objects.count() == 1
    assert ledger_balance(consultant) == Decimal("1200.00")


def test_repost_with_another_amount_is_refused(consultant):
    source = source_document()
    _post(consultant, Decimal("1200.00"), source)
    with pytest.raises(DomainError) as raised:
        _post(consultant, Decimal("1200.01"), source)
    assert raised.value.code == "ledger_source_conflict"
    assert "1200.00" in str(raised.value) and "1200.01" in str(raised.value)
    assert LedgerEntry.objects.count() == 1


def test_repost_for_another_consultant_is_refused(consultant, other_consultant):
    source = source_document()
    _post(consultant, Decimal("1200.00"), source)
    with pytest.raises(LedgerConflict):
        _post(other_consultant, Decimal("1200.00"), source)
    assert not other_consultant.ledger_entries.exists()


def test_repost_of_a_reversed_source_is_refused(consultant, staff_user):
    source = source_document()
    entry = _post(consultant, Decimal("300.00"), source)
    ledger_reverse(entry=entry, reason="Payment rejected by the bank", created_by=staff_user)
    with pytest.raises(LedgerConflict) as raised:
        _post(consultant, Decimal("300.00"), source)
    assert raised.value.code == "ledger_source_reversed"
    assert ledger_balance(consultant) == Decimal("0.00")


def test_same_source_may_carry_several_kinds(consultant):
    payment = source_document()
    _post(consultant, Decimal("1000.00"), payment)
    _post(consultant, Decimal("-70.00"), payment, kind=LedgerEntryKind.MANAGEMENT_FEE)
    assert ledger_balance(consultant) == Decimal("930.00")


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("10.005"), "more than 2 decimal places"),
        ("12.3456", "more than 2 decimal places"),
        (Decimal("0"), "cannot be zero"),
        (Decimal("NaN"), "valid amount"),
        ("abc", "valid amount"),
        (Decimal("1000000000000.00"), "digits"),
    ],
)
def test_bad_amounts_are_refused_with_a_message_on_amount(consultant, amount, message):
    with pytest.raises(ValidationError) as raised:
        _post(consultant, amount, source_document())
    assert message in " ".join(raised.value.message_dict["amount"])
    assert not LedgerEntry.objects.exists()


def test_a_float_is_refused(consultant):
    with pytest.raises(ValidationError) as raised:
        _post(consultant, 10.1, source_document())
    assert "float" in raised.value.message_dict["amount"][0]


@pytest.mark.parametrize(
    ("kind", "amount"),
    [
        (LedgerEntryKind.TURNOVER_COLLECTED, "-5.00"),
        (LedgerEntryKind.MANAGEMENT_FEE, "5.00"),
        (LedgerEntryKind.EXPENSE_REIMBURSED, "5.00"),
        (LedgerEntryKind.SALARY_EMPLOYER_COST, "5.00"),
    ],
)
def test_fixed_sign_kinds_refuse_the_wrong_sign(consultant, kind, amount):
    with pytest.raises(ValidationError) as raised:
        _post(consultant, amount, source_document(), kind=kind)
    assert "amount" in raised.value.message_dict


@pytest.mark.parametrize(
    "kind",
    [
        LedgerEntryKind.FINANCIAL_RESERVE,
        LedgerEntryKind.PAID_LEAVE_PROVISION,
        LedgerEntryKind.RESERVE_PAYOUT,
        LedgerEntryKind.ADJUSTMENT,
    ],
)
def test_two_way_kinds_accept_both_signs(consultant, kind):
    _post(consultant, "-5.00", source_document(), kind=kind)
    _post(consultant, "7.00", source_document(), kind=kind)
    assert ledger_balance(consultant) == Decimal("2.00")


def test_a_movement_needs_its_source_document(consultant, staff_user):
    with pytest.raises(ValidationError) as raised:
        _post(consultant, "5.00", None, created_by=staff_user)
    assert "source" in raised.value.message_dict


def test_a_sourceless_opening_balance_needs_its_author(consultant, staff_user):
    with pytest.raises(ValidationError) as raised:
        _post(consultant, "5.00", None, kind=LedgerEntryKind.OPENING_BALANCE)
    assert "created_by" in raised.value.message_dict
    entry = _post(
        consultant, "5.00", None, kind=LedgerEntryKind.OPENING_BALANCE, created_by=staff_user
    )
    assert entry.created_by == staff_user


def test_an_unsaved_source_is_refused(consultant):
    from django.contrib.auth.models import Group

    with pytest.raises(ValidationError) as raised:
        _post(consultant, "5.00", Group(name="unsaved"))
    assert "source" in raised.value.message_dict


def test_reversal_kind_only_through_ledger_reverse(consultant):
    with pytest.raises(ValidationError) as raised:
        _post(consultant, "5.00", source_document(), kind=LedgerEntryKind.REVERSAL)
    assert "kind" in raised.value.message_dict


def test_label_is_required(consultant):
    with pytest.raises(ValidationError) as raised:
        _post(consultant, "5.00", source_document(), label="   ")
    assert "label" in raised.value.message_dict


# --- ledger_reverse -------------------------------------------------------------------------
def test_reverse_posts_the_opposite_amount(consultant, staff_user):
    entry = post(consultant, "450.00")
    reversal = ledger_reverse(
        entry=entry, reason="Payment cancelled", created_by=staff_user, entry_date=date(2026, 3, 20)
    )
    assert reversal.kind == LedgerEntryKind.REVERSAL
    assert reversal.amount == Decimal("-450.00")
    assert reversal.reverses == entry
    assert reversal.consultant == consultant
    assert reversal.label == "Payment cancelled"
    assert reversal.created_by == staff_user
    assert ledger_balance(consultant) == Decimal("0.00")
    assert ledger_balance(consultant, at=date(2026, 3, 19)) == Decimal("450.00")


def test_reverse_twice_is_refused(consultant, staff_user):
    entry = post(consultant, "450.00")
    ledger_reverse(entry=entry, reason="Mistake", created_by=staff_user)
    with pytest.raises(LedgerConflict) as raised:
        ledger_reverse(entry=entry, reason="Again", created_by=staff_user)
    assert raised.value.code == "ledger_already_reversed"
    assert LedgerEntry.objects.filter(kind=LedgerEntryKind.REVERSAL).count() == 1


def test_a_reversal_cannot_be_reversed(consultant, staff_user):
    reversal = ledger_reverse(entry=post(consultant, "450.00"), reason="x", created_by=staff_user)
    with pytest.raises(LedgerConflict) as raised:
        ledger_reverse(entry=reversal, reason="undo", created_by=staff_user)
    assert raised.value.code == "ledger_reversal_of_reversal"


def test_reverse_needs_a_reason_and_a_date_not_before_the_original(consultant, staff_user):
    entry = post(consultant, "450.00", entry_date=date(2026, 3, 15))
    with pytest.raises(ValidationError) as raised:
        ledger_reverse(entry=entry, reason=" ", created_by=staff_user)
    assert "reason" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        ledger_reverse(entry=entry, reason="x", created_by=staff_user, entry_date=date(2026, 3, 14))
    assert "entry_date" in raised.value.message_dict
    assert not LedgerEntry.objects.filter(kind=LedgerEntryKind.REVERSAL).exists()


def test_reverse_defaults_to_today_in_paris(consultant, staff_user, settings):
    from django.utils import timezone

    entry = post(consultant, "450.00", entry_date=date(2020, 1, 1))
    reversal = ledger_reverse(entry=entry, reason="x", created_by=staff_user)
    assert settings.TIME_ZONE == "Europe/Paris"
    assert reversal.entry_date == timezone.localdate()


# --- ledger_adjust --------------------------------------------------------------------------
def test_adjust_posts_a_sourceless_entry_with_its_author(consultant, staff_user):
    entry = ledger_adjust(
        consultant=consultant,
        amount=Decimal("-25.00"),
        label="Bank fees of an international transfer",
        created_by=staff_user,
        entry_date=MARCH,
    )
    assert (entry.kind, entry.amount, entry.created_by) == (
        LedgerEntryKind.ADJUSTMENT,
        Decimal("-25.00"),
        staff_user,
    )
    assert entry.source is None


def test_adjust_requires_label_and_author(consultant):
    with pytest.raises(ValidationError) as raised:
        ledger_adjust(
            consultant=consultant, amount=Decimal("5"), label="", created_by=None, entry_date=MARCH
        )
    assert set(raised.value.message_dict) == {"label", "created_by"}
    assert not LedgerEntry.objects.exists()


def test_adjustments_are_not_deduplicated(consultant, staff_user):
    """Without a source there is nothing to be idempotent on: two clicks, two entries."""
    for _ in range(2):
        ledger_adjust(
            consultant=consultant,
            amount=Decimal("5"),
            label="Goodwill",
            created_by=staff_user,
            entry_date=MARCH,
        )
    assert ledger_balance(consultant) == Decimal("10.00")


# --- ledger_post_many -----------------------------------------------------------------------
def _payslip_postings(consultants, sources, amount="-2500.00"):
    return [
        LedgerPosting(
            consultant=c,
            kind=LedgerEntryKind.SALARY_EMPLOYER_COST,
            amount=Decimal(amount),
            entry_date=date(2026, 3, 31),
            label="Payslip March 2026",
            source=s,
        )
        for c, s in zip(consultants, sources, strict=True)
    ]


def test_post_many_creates_in_order_and_is_idempotent(consultant, other_consultant):
    sources = [source_document(), source_document()]
    created = ledger_post_many(entries=_payslip_postings([consultant, other_consultant], sources))
    assert [e.consultant for e in created] == [consultant, other_consultant]
    assert all(e.pk for e in created)
    again = ledger_post_many(entries=_payslip_postings([consultant, other_consultant], sources))
    assert [e.pk for e in again] == [e.pk for e in created]
    assert LedgerEntry.objects.count() == 2
    assert ledger_balance(consultant) == Decimal("-2500.00")


def test_post_many_creates_only_the_missing_ones(consultant, other_consultant):
    sources = [source_document(), source_document()]
    first = ledger_post_many(entries=_payslip_postings([consultant], sources[:1]))
    both = ledger_post_many(entries=_payslip_postings([consultant, other_consultant], sources))
    assert both[0].pk == first[0].pk
    assert LedgerEntry.objects.count() == 2


def test_post_many_refuses_the_whole_batch_on_a_conflict(consultant, other_consultant):
    sources = [source_document(), source_document()]
    ledger_post_many(entries=_payslip_postings([consultant], sources[:1]))
    batch = _payslip_postings([consultant, other_consultant], sources, amount="-2600.00")
    with pytest.raises(LedgerConflict):
        ledger_post_many(entries=batch)
    assert LedgerEntry.objects.count() == 1
    assert not other_consultant.ledger_entries.exists()


def test_post_many_refuses_a_reversed_source(consultant, staff_user):
    source = source_document()
    [entry] = ledger_post_many(entries=_payslip_postings([consultant], [source]))
    ledger_reverse(entry=entry, reason="Payslip cancelled", created_by=staff_user)
    with pytest.raises(LedgerConflict) as raised:
        ledger_post_many(entries=_payslip_postings([consultant], [source]))
    assert raised.value.code == "ledger_source_reversed"


def test_post_many_refuses_a_pair_repeated_in_the_batch(consultant):
    source = source_document()
    with pytest.raises(LedgerConflict) as raised:
        ledger_post_many(entries=_payslip_postings([consultant, consultant], [source, source]))
    assert raised.value.code == "ledger_duplicate_in_batch"
    assert not LedgerEntry.objects.exists()


def test_post_many_names_the_bad_posting(consultant):
    batch = _payslip_postings([consultant, consultant], [source_document(), source_document()])
    batch[1] = LedgerPosting(**{**batch[1].__dict__, "amount": Decimal("2500.00")})
    with pytest.raises(ValidationError) as raised:
        ledger_post_many(entries=batch)
    assert raised.value.message_dict["amount"][0].startswith("Posting 2:")
    assert not LedgerEntry.objects.exists()


def test_post_many_query_count_does_not_grow_with_the_batch(consultant, django_assert_num_queries):
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.get_for_model(Group)  # warm the content-type cache, as in production

    def batch(n):
        return _payslip_postings([consultant] * n, [source_document() for _ in range(n)])

    one, sixty = batch(1), batch(60)
    # savepoint, pre-check of existing (source, kind) pairs, one INSERT, release
    with django_assert_num_queries(4):
        ledger_post_many(entries=one)
    with django_assert_num_queries(4):
        ledger_post_many(entries=sixty)
    # a rerun: the pre-check finds them all, nothing is inserted
    with django_assert_num_queries(3):
        ledger_post_many(entries=sixty)
    assert LedgerEntry.objects.count() == 61


# --- races: two posters of the same (source, kind) ------------------------------------------
def test_a_concurrent_insert_of_the_same_source_returns_the_winner(consultant, monkeypatch):
    """Both posters passed the pre-check; the loser's INSERT hits the unique constraint and
    gets the winner's entry (same amount) or a conflict (another amount)."""
    from apps.ledger import services

    source = source_document()
    winner = _post(consultant, "100.00", source)
    real = services._existing_for
    calls = {"n": 0}

    def first_check_misses(entry):
        calls["n"] += 1
        return None if calls["n"] == 1 else real(entry)

    monkeypatch.setattr(services, "_existing_for", first_check_misses)
    assert _post(consultant, "100.00", source).pk == winner.pk
    calls["n"] = 0
    with pytest.raises(LedgerConflict):
        _post(consultant, "101.00", source)
    assert LedgerEntry.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.skipif(
    __import__("django.db").db.connection.vendor != "postgresql",
    reason="real concurrent transactions need PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_two_transactions_posting_the_same_source_at_once(monkeypatch):
    import threading

    from django.db import connections

    from apps.ledger import services
    from tests.consultants.factories import ConsultantFactory

    consultant = ConsultantFactory()
    source = source_document()
    barrier = threading.Barrier(2, timeout=10)
    real = services._existing_for

    local = threading.local()

    def both_check_before_either_inserts(entry):
        found = real(entry)
        if not getattr(local, "waited", False):  # the pre-check, not the fallback
            local.waited = True
            barrier.wait()
        return found

    monkeypatch.setattr(services, "_existing_for", both_check_before_either_inserts)
    results, errors = [], []

    def worker():
        try:
            results.append(_post(consultant, "100.00", source).pk)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    monkeypatch.undo()
    assert errors == []
    assert len(set(results)) == 1
    assert LedgerEntry.objects.count() == 1
