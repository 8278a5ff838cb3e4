"""Balances, statements (figures worked out by hand), scoping, query counts."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from apps.accounts.roles import Role
from apps.ledger.models import LedgerEntryKind
from apps.ledger.selectors import (
    ledger_available,
    ledger_balance,
    ledger_consultant_for_user,
    ledger_consultants_balances,
    ledger_entries_for_user,
    ledger_reserve_balance,
    ledger_statement,
)
from apps.ledger.services import ledger_adjust, ledger_reverse

from .factories import post, source_document

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def account(consultant, staff_user):
    """A small account worked out by hand (PR-24's example: 10,000 € invoiced, 6 % fee).

    31/12/2025 opening balance               +1,000.00  -> 1,000.00
    10/01/2026 turnover collected           +10,000.00  -> 11,000.00
    10/01/2026 management fee 6 %              -600.00  -> 10,400.00
    31/01/2026 payslip employer cost         -8,651.00  ->  1,749.00
    31/01/2026 reserve provision               -749.00  ->  1,000.00
    15/02/2026 expense reimbursed               -120.40 ->    879.60
    20/03/2026 adjustment (bank fees)            -15.00 ->    864.60
    25/03/2026 reversal of the expense          +120.40 ->    985.00
    """
    payment, payslip = Group.objects.create(name="payment"), Group.objects.create(name="payslip")
    post(
        consultant,
        "1000.00",
        kind=LedgerEntryKind.OPENING_BALANCE,
        entry_date=date(2025, 12, 31),
        source=consultant,
    )
    post(
        consultant,
        "10000.00",
        entry_date=date(2026, 1, 10),
        source=payment,
        label="Payment F-2026-000001",
    )
    post(
        consultant,
        "-600.00",
        kind=LedgerEntryKind.MANAGEMENT_FEE,
        entry_date=date(2026, 1, 10),
        source=payment,
        label="Management fee 6 %",
    )
    post(
        consultant,
        "-8651.00",
        kind=LedgerEntryKind.SALARY_EMPLOYER_COST,
        entry_date=date(2026, 1, 31),
        source=payslip,
        label="Payslip January 2026",
    )
    post(
        consultant,
        "-749.00",
        kind=LedgerEntryKind.FINANCIAL_RESERVE,
        entry_date=date(2026, 1, 31),
        source=payslip,
        label="Financial reserve January 2026",
    )
    expense = post(
        consultant,
        "-120.40",
        kind=LedgerEntryKind.EXPENSE_REIMBURSED,
        entry_date=date(2026, 2, 15),
        label="Train Paris-Lyon",
    )
    ledger_adjust(
        consultant=consultant,
        amount=D("-15.00"),
        label="Bank fees",
        created_by=staff_user,
        entry_date=date(2026, 3, 20),
    )
    ledger_reverse(
        entry=expense,
        reason="Expense claim refused",
        created_by=staff_user,
        entry_date=date(2026, 3, 25),
    )
    return consultant


def test_balance_at_dates(account):
    assert ledger_balance(account) == D("985.00")
    assert ledger_balance(account, at=date(2025, 12, 30)) == D("0.00")
    assert ledger_balance(account, at=date(2025, 12, 31)) == D("1000.00")
    assert ledger_balance(account, at=date(2026, 1, 10)) == D("10400.00")
    assert ledger_balance(account, at=date(2026, 2, 28)) == D("879.60")
    assert ledger_available(account, at=date(2026, 2, 28)) == D("879.60")


def test_balance_of_an_empty_account_is_zero_with_two_places(consultant):
    balance = ledger_balance(consultant)
    assert balance == D("0") and balance.as_tuple().exponent == -2


def test_reserve_balance(account, consultant):
    assert ledger_reserve_balance(account) == D("749.00")
    # released to fund the end-of-contract payout
    post(consultant, "749.00", kind=LedgerEntryKind.RESERVE_PAYOUT, entry_date=date(2026, 4, 30))
    assert ledger_reserve_balance(account) == D("0.00")
    assert ledger_reserve_balance(account, at=date(2026, 4, 29)) == D("749.00")


def test_statement_of_a_quarter(account):
    statement = ledger_statement(account, start=date(2026, 1, 1), end=date(2026, 3, 31))
    assert statement.opening_balance == D("1000.00")
    assert statement.closing_balance == D("985.00")
    assert statement.credits == D("10120.40")
    assert statement.debits == D("-10135.40")
    assert (
        statement.opening_balance + statement.credits + statement.debits
        == statement.closing_balance
    )
    assert [line.balance_after for line in statement.entries] == [
        D("11000.00"), D("10400.00"), D("1749.00"), D("1000.00"), D("879.60"), D("864.60"), D("985.00"),
    ]  # fmt: skip
    totals = {t.kind: (t.total, t.count) for t in statement.totals_by_kind}
    assert totals == {
        LedgerEntryKind.TURNOVER_COLLECTED: (D("10000.00"), 1),
        LedgerEntryKind.MANAGEMENT_FEE: (D("-600.00"), 1),
        LedgerEntryKind.EXPENSE_REIMBURSED: (D("-120.40"), 1),
        LedgerEntryKind.SALARY_EMPLOYER_COST: (D("-8651.00"), 1),
        LedgerEntryKind.FINANCIAL_RESERVE: (D("-749.00"), 1),
        LedgerEntryKind.ADJUSTMENT: (D("-15.00"), 1),
        LedgerEntryKind.REVERSAL: (D("120.40"), 1),
    }
    months = [
        (m.month, m.opening_balance, m.credits, m.debits, m.net, m.closing_balance, len(m.lines))
        for m in statement.months
    ]
    assert months == [
        (date(2026, 1, 1), D("1000.00"), D("10000.00"), D("-10000.00"), D("0.00"), D("1000.00"), 4),
        (date(2026, 2, 1), D("1000.00"), D("0.00"), D("-120.40"), D("-120.40"), D("879.60"), 1),
        (date(2026, 3, 1), D("879.60"), D("120.40"), D("-15.00"), D("105.40"), D("985.00"), 2),
    ]


def test_statement_includes_empty_months_and_cuts_at_the_dates(account):
    statement = ledger_statement(account, start=date(2026, 1, 11), end=date(2026, 5, 10))
    assert statement.opening_balance == D("10400.00")  # the 10/01 movements are before
    assert [m.month for m in statement.months] == [date(2026, m, 1) for m in (1, 2, 3, 4, 5)]
    assert statement.months[3].lines == [] and statement.months[3].net == D("0.00")
    assert statement.months[4].closing_balance == statement.closing_balance == D("985.00")


def test_statement_lines_name_their_source_documents(account):
    statement = ledger_statement(account, start=date(2026, 1, 1), end=date(2026, 3, 31))
    by_label = {line.entry.label: line for line in statement.entries}
    payment = by_label["Payment F-2026-000001"]
    assert payment.source_label == "payment" and payment.source_type == "Group"
    assert by_label["Bank fees"].source is None and by_label["Bank fees"].source_label == ""
    # a reversal shows the document of the entry it cancels
    reversal = by_label["Expense claim refused"]
    assert reversal.entry.reverses.label == "Train Paris-Lyon"
    assert reversal.source == by_label["Train Paris-Lyon"].source


def test_statement_survives_a_deleted_source_document(consultant):
    source = source_document()
    post(consultant, "10.00", source=source)
    source_id = source.pk
    source.delete()
    [line] = ledger_statement(consultant, start=date(2026, 1, 1), end=date(2026, 12, 31)).entries
    assert line.source is None
    assert line.source_label == f"Deleted document #{source_id}"


def test_statement_refuses_an_inverted_period(consultant):
    with pytest.raises(ValidationError) as raised:
        ledger_statement(consultant, start=date(2026, 3, 1), end=date(2026, 2, 1))
    assert "end" in raised.value.message_dict


def test_statement_query_count_is_constant(
    consultant, other_consultant, django_assert_num_queries, staff_user
):
    """1 entry or 50 (two kinds of source documents, reversals included): same queries."""
    ContentType.objects.get_for_model(Group)

    def fill(target, n):
        for i in range(n):
            source = target if i == 0 else source_document()
            entry = post(
                target,
                f"{i + 1}.00",
                entry_date=date(2026, 1 + i % 12, 1 + i % 28),
                source=source,
                kind=LedgerEntryKind.OPENING_BALANCE
                if i == 0
                else LedgerEntryKind.TURNOVER_COLLECTED,
            )
            if i % 10 == 5:
                ledger_reverse(
                    entry=entry, reason="x", created_by=staff_user, entry_date=date(2026, 12, 31)
                )

    fill(consultant, 2)
    fill(other_consultant, 50)
    counts = []
    for target in (consultant, other_consultant):
        # opening balance, entries, then one query per type of source (Consultant, Group)
        with django_assert_num_queries(4) as captured:
            statement = ledger_statement(target, start=date(2026, 1, 1), end=date(2026, 12, 31))
            [
                (line.source_label, line.entry.reverses_id and line.entry.reverses.label)
                for line in statement.entries
            ]
        counts.append(len(captured))
    assert counts == [4, 4]
    assert (
        len(
            ledger_statement(
                other_consultant, start=date(2026, 1, 1), end=date(2026, 12, 31)
            ).entries
        )
        == 55
    )


def test_entries_for_user_scoping(
    make_user, consultant_user, own_consultant, other_consultant, staff_user, finance_user
):
    mine = post(own_consultant, "10.00")
    theirs = post(other_consultant, "20.00")
    assert set(ledger_entries_for_user(staff_user)) == {mine, theirs}
    assert set(ledger_entries_for_user(finance_user)) == {mine, theirs}
    assert list(ledger_entries_for_user(consultant_user)) == [mine]
    assert not ledger_entries_for_user(make_user(Role.CONSULTANT)).exists()  # no profile
    from django.contrib.auth.models import AnonymousUser

    assert not ledger_entries_for_user(AnonymousUser()).exists()
    inactive = make_user(Role.STAFF)
    inactive.is_active = False
    assert not ledger_entries_for_user(inactive).exists()


def test_consultant_for_user(consultant_user, own_consultant, other_consultant, staff_user):
    assert ledger_consultant_for_user(consultant_user) == own_consultant
    assert ledger_consultant_for_user(consultant_user, own_consultant.pk) == own_consultant
    assert ledger_consultant_for_user(consultant_user, other_consultant.pk) is None
    assert ledger_consultant_for_user(staff_user, other_consultant.pk) == other_consultant
    assert ledger_consultant_for_user(staff_user) is None
    assert ledger_consultant_for_user(staff_user, 999999) is None


def test_consultants_balances_in_one_query(account, other_consultant, django_assert_num_queries):
    post(other_consultant, "42.00", entry_date=date(2026, 6, 1))
    with django_assert_num_queries(1):
        rows = {
            c.pk: (c.ledger_balance, c.ledger_entry_count, c.ledger_last_entry_date)
            for c in ledger_consultants_balances()
        }
    assert rows[account.pk] == (D("985.00"), 8, date(2026, 3, 25))
    assert rows[account.pk][0].as_tuple().exponent == -2  # money to the cent, on SQLite too
    assert rows[other_consultant.pk] == (D("42.00"), 1, date(2026, 6, 1))
    at_end_of_january = {
        c.pk: c.ledger_balance for c in ledger_consultants_balances(at=date(2026, 1, 31))
    }
    assert at_end_of_january == {account.pk: D("1000.00"), other_consultant.pk: D("0.00")}
