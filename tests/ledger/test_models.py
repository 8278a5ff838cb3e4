"""Append-only enforcement (model, manager, database) and the database constraints."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from apps.ledger.models import AppendOnlyError, LedgerEntry, LedgerEntryKind

from .factories import post, source_document

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only"
)


@pytest.fixture
def entry(consultant):
    return post(consultant, "1000.00")


# --- model and manager ----------------------------------------------------------------------
def test_saving_an_existing_entry_is_refused(entry):
    entry.amount = Decimal("1.00")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.save(update_fields=["amount"])
    entry.refresh_from_db()
    assert entry.amount == Decimal("1000.00")


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "operation",
    [
        lambda qs: qs.update(amount=Decimal("1.00")),
        lambda qs: qs.delete(),
        lambda qs: qs.bulk_update(list(qs), ["amount"]),
        lambda qs: LedgerEntry.objects.update(label="changed"),
        lambda qs: LedgerEntry.objects.all().delete(),
    ],
    ids=["update", "delete", "bulk_update", "manager_update", "manager_all_delete"],
)
def test_queryset_writes_are_refused(entry, operation):
    with pytest.raises(AppendOnlyError):
        operation(LedgerEntry.objects.filter(pk=entry.pk))
    entry.refresh_from_db()
    assert (entry.amount, entry.label) == (Decimal("1000.00"), "Payment of invoice F-2026-000001")


def test_related_manager_cannot_delete_either(entry, consultant):
    with pytest.raises(AppendOnlyError):
        consultant.ledger_entries.all().delete()
    assert consultant.ledger_entries.count() == 1


@pytest.mark.parametrize("flag", ["update_conflicts", "ignore_conflicts"])
def test_bulk_create_may_not_upsert_nor_ignore_conflicts(consultant, flag):
    row = LedgerEntry(
        consultant=consultant,
        kind=LedgerEntryKind.OPENING_BALANCE,
        amount=Decimal("5.00"),
        entry_date=date(2026, 1, 1),
        label="x",
        source_content_type=ContentType.objects.get_for_model(consultant),
        source_object_id=consultant.pk,
    )
    kwargs = {flag: True}
    if flag == "update_conflicts":
        kwargs.update(update_fields=["amount"], unique_fields=["id"])
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.bulk_create([row], **kwargs)
    assert not LedgerEntry.objects.exists()


def test_an_explicit_primary_key_never_turns_a_save_into_an_update(entry, consultant, staff_user):
    copy = LedgerEntry(
        pk=entry.pk,
        consultant=consultant,
        kind=LedgerEntryKind.ADJUSTMENT,
        amount=Decimal("-999.00"),
        entry_date=date(2026, 3, 1),
        label="overwrite attempt",
        created_by=staff_user,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
    entry.refresh_from_db()
    assert entry.amount == Decimal("1000.00")


def test_a_consultant_with_entries_cannot_be_deleted(entry, consultant):
    with pytest.raises(ProtectedError):
        consultant.delete()


# --- database constraints (rows written past the model validation) -------------------------
def _row(consultant, **overrides) -> LedgerEntry:
    source = overrides.pop("source", "fresh")
    values = {
        "consultant": consultant,
        "kind": LedgerEntryKind.TURNOVER_COLLECTED,
        "amount": Decimal("10.00"),
        "entry_date": date(2026, 3, 1),
        "label": "row",
    }
    values.update(overrides)
    row = LedgerEntry(**values)
    if source == "fresh":
        source = source_document()
    if source is not None:
        row.source_content_type = ContentType.objects.get_for_model(source)
        row.source_object_id = source.pk
    return row


@pytest.mark.parametrize(
    "overrides",
    [
        {"amount": Decimal("0.00")},
        {"amount": Decimal("-10.00")},  # turnover collected is a credit
        {"kind": LedgerEntryKind.MANAGEMENT_FEE, "amount": Decimal("10.00")},
        {"kind": LedgerEntryKind.SALARY_EMPLOYER_COST, "amount": Decimal("10.00")},
        {"kind": LedgerEntryKind.EXPENSE_REIMBURSED, "amount": Decimal("10.00")},
        {"source": None},  # turnover without its payment
        {"source": None, "kind": LedgerEntryKind.ADJUSTMENT},  # no source, no author
        {"source": None, "kind": LedgerEntryKind.REVERSAL},  # reversal of nothing
    ],
    ids=[
        "zero",
        "negative_turnover",
        "positive_fee",
        "positive_salary",
        "positive_expense",
        "turnover_without_source",
        "adjustment_without_author",
        "reversal_without_original",
    ],
)
def test_database_check_constraints(consultant, overrides):
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.bulk_create([_row(consultant, **overrides)])
    assert not LedgerEntry.objects.exists()


def test_database_refuses_half_a_source(consultant):
    row = _row(consultant, kind=LedgerEntryKind.ADJUSTMENT, source=None)
    row.source_object_id = 42
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.bulk_create([row])


def test_database_refuses_the_same_source_and_kind_twice(consultant):
    source = source_document()
    LedgerEntry.objects.bulk_create([_row(consultant, source=source)])
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.bulk_create([_row(consultant, source=source, amount=Decimal("99.00"))])
    # another kind for the same source is a different movement
    LedgerEntry.objects.bulk_create(
        [
            _row(
                consultant,
                source=source,
                kind=LedgerEntryKind.MANAGEMENT_FEE,
                amount=Decimal("-1.00"),
            )
        ]
    )
    assert LedgerEntry.objects.count() == 2


def test_database_refuses_a_second_reversal(entry, consultant, staff_user):
    def reversal():
        return _row(
            consultant,
            source=None,
            kind=LedgerEntryKind.REVERSAL,
            amount=-entry.amount,
            reverses=entry,
            created_by=staff_user,
        )

    LedgerEntry.objects.bulk_create([reversal()])
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.bulk_create([reversal()])


def test_only_a_reversal_may_point_to_an_entry(entry, consultant, staff_user):
    row = _row(
        consultant,
        source=None,
        kind=LedgerEntryKind.ADJUSTMENT,
        amount=Decimal("5.00"),
        reverses=entry,
        created_by=staff_user,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.bulk_create([row])


# --- PostgreSQL trigger -------------------------------------------------------------------
@pytest.mark.postgres
@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_ledgerentry SET amount = 1 WHERE id = %s",
        "UPDATE ledger_ledgerentry SET label = 'changed' WHERE id = %s",
        "DELETE FROM ledger_ledgerentry WHERE id = %s",
    ],
    ids=["update_amount", "update_label", "delete"],
)
def test_postgresql_trigger_refuses_raw_update_and_delete(entry, sql):
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])
    entry.refresh_from_db()
    assert (entry.amount, entry.label) == (Decimal("1000.00"), "Payment of invoice F-2026-000001")


@pytest.mark.postgres
@postgres_only
def test_postgresql_trigger_is_installed():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'ledger_ledgerentry'::regclass"
            " AND NOT tgisinternal"
        )
        assert [row[0] for row in cursor.fetchall()] == ["ledger_entry_append_only"]
