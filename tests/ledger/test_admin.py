"""Back-office screens: read-only list and detail, adjustment and reversal pages, statement
and balances pages."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

from apps.accounts.roles import Role
from apps.ledger.models import LedgerEntry, LedgerEntryKind

from .factories import post

pytestmark = pytest.mark.django_db

BASE = "/admin/ledger/ledgerentry/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def finance_client(client, finance_user):
    client.force_login(finance_user)
    return client


@pytest.fixture
def entries(consultant, other_consultant):
    return [
        post(consultant, "1000.00", entry_date=date(2026, 2, 10), label="Payment F-2026-000001"),
        post(
            consultant,
            "-60.00",
            kind=LedgerEntryKind.MANAGEMENT_FEE,
            entry_date=date(2026, 3, 10),
            label="Management fee 6 %",
        ),
        post(other_consultant, "500.00", entry_date=date(2026, 3, 1), label="Other payment"),
    ]


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- list and detail ------------------------------------------------------------------------
def test_changelist_lists_and_filters(staff_client, entries, consultant):
    response = staff_client.get(BASE, **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Payment F-2026-000001" in html and "Other payment" in html
    assert f"{BASE}statement/{consultant.pk}/" in html
    assert f"{BASE}adjust/" in html and f"{BASE}balances/" in html
    assert f"{BASE}add/" not in html
    filtered = staff_client.get(BASE, {"kind": "management_fee"}, **EN).content.decode()
    assert "Management fee 6 %" in filtered and "Other payment" not in filtered
    by_consultant = staff_client.get(BASE, {"consultant__id__exact": consultant.pk}, **EN)
    assert "Other payment" not in by_consultant.content.decode()


def test_changelist_for_finance(finance_client, entries):
    assert finance_client.get(BASE, **EN).status_code == 200


def test_detail_is_read_only_and_nothing_can_be_deleted_or_added(staff_client, entries):
    entry = entries[0]
    response = staff_client.get(f"{BASE}{entry.pk}/change/", **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' not in html
    assert f"{BASE}{entry.pk}/reverse/" in html
    assert staff_client.post(f"{BASE}{entry.pk}/change/", {"label": "changed"}).status_code == 403
    assert staff_client.get(f"{BASE}{entry.pk}/delete/").status_code == 403
    assert staff_client.post(f"{BASE}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert staff_client.get(f"{BASE}add/").status_code == 403
    entry.refresh_from_db()
    assert entry.label == "Payment F-2026-000001"


def test_consultants_do_not_reach_the_admin(client, make_user, entries):
    client.force_login(make_user(Role.CONSULTANT))
    assert client.get(BASE).status_code == 302


# --- adjustment -----------------------------------------------------------------------------
def test_adjustment_page_posts_through_the_service(staff_client, staff_user, consultant):
    page = staff_client.get(f"{BASE}adjust/", {"consultant": consultant.pk}, **EN)
    assert page.status_code == 200
    assert page.context["form"].initial["consultant"] == str(consultant.pk)
    response = staff_client.post(
        f"{BASE}adjust/",
        {
            "consultant": consultant.pk,
            "amount": "-25.00",
            "entry_date": "2026-03-20",
            "label": "Bank fees",
        },
        **EN,
    )
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}statement/{consultant.pk}/"
    entry = LedgerEntry.objects.get()
    assert (entry.kind, entry.amount, entry.created_by, entry.entry_date) == (
        LedgerEntryKind.ADJUSTMENT,
        Decimal("-25.00"),
        staff_user,
        date(2026, 3, 20),
    )
    assert any("-25.00" in m for m in messages_of(response))


@pytest.mark.parametrize(
    ("amount", "label", "field"),
    [("0", "x", "amount"), ("10.123", "x", "amount"), ("10", "", "label")],
)
def test_adjustment_page_shows_errors(staff_client, consultant, amount, label, field):
    response = staff_client.post(
        f"{BASE}adjust/",
        {"consultant": consultant.pk, "amount": amount, "entry_date": "2026-03-20", "label": label},
        **EN,
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not LedgerEntry.objects.exists()


def test_finance_may_adjust(finance_client, consultant):
    response = finance_client.post(
        f"{BASE}adjust/",
        {"consultant": consultant.pk, "amount": "5", "entry_date": "2026-03-20", "label": "x"},
    )
    assert response.status_code == 302
    assert LedgerEntry.objects.count() == 1


def test_without_the_add_permission_no_adjustment(client, make_user, consultant):
    from django.contrib.auth.models import Permission

    viewer = make_user(Role.STAFF)
    viewer.groups.clear()
    viewer.user_permissions.add(Permission.objects.get(codename="view_ledgerentry"))
    client.force_login(viewer)
    assert client.get(BASE).status_code == 200
    assert client.get(f"{BASE}adjust/").status_code == 403


# --- reversal -------------------------------------------------------------------------------
def test_reverse_page(staff_client, staff_user, entries):
    entry = entries[0]
    page = staff_client.get(f"{BASE}{entry.pk}/reverse/", **EN)
    assert page.status_code == 200
    assert "Payment F-2026-000001" in page.content.decode()
    response = staff_client.post(
        f"{BASE}{entry.pk}/reverse/", {"reason": "Payment rejected", "entry_date": "2026-03-31"}
    )
    assert response.status_code == 302
    reversal = LedgerEntry.objects.get(kind=LedgerEntryKind.REVERSAL)
    assert (reversal.amount, reversal.reverses, reversal.created_by) == (
        Decimal("-1000.00"),
        entry,
        staff_user,
    )
    # reversed once: the action is gone
    assert staff_client.get(f"{BASE}{entry.pk}/reverse/").status_code == 403
    assert staff_client.get(f"{BASE}{reversal.pk}/reverse/").status_code == 403


def test_reverse_page_shows_a_service_error_next_to_the_date(staff_client, entries):
    response = staff_client.post(
        f"{BASE}{entries[0].pk}/reverse/", {"reason": "x", "entry_date": "2026-01-01"}, **EN
    )
    assert response.status_code == 200
    assert "entry_date" in response.context["form"].errors
    assert not LedgerEntry.objects.filter(kind=LedgerEntryKind.REVERSAL).exists()


# --- statement and balances -----------------------------------------------------------------
def test_statement_page(staff_client, entries, consultant):
    response = staff_client.get(
        f"{BASE}statement/{consultant.pk}/", {"start": "2026-01-01", "end": "2026-03-31"}, **EN
    )
    assert response.status_code == 200
    statement = response.context["statement"]
    assert (statement.opening_balance, statement.closing_balance) == (Decimal("0"), Decimal("940"))
    assert [m.month for m in statement.months] == [date(2026, m, 1) for m in (1, 2, 3)]
    html = response.content.decode()
    assert "Payment F-2026-000001" in html and "Other payment" not in html
    assert 'data-testid="statement-closing">940.00 €' in html
    assert 'data-testid="statement-month-2026-02"' in html


def test_statement_page_defaults_to_twelve_months(staff_client, consultant):
    statement = staff_client.get(f"{BASE}statement/{consultant.pk}/").context["statement"]
    assert len(statement.months) == 12


def test_statement_page_errors(staff_client, consultant):
    assert staff_client.get(f"{BASE}statement/999999/").status_code == 404
    response = staff_client.get(
        f"{BASE}statement/{consultant.pk}/", {"start": "2026-03-01", "end": "2026-01-01"}, **EN
    )
    assert response.status_code == 200
    assert "end" in response.context["form"].errors


def test_detail_links_to_the_statement_of_its_month(staff_client, entries, consultant):
    response = staff_client.get(f"{BASE}{entries[1].pk}/statement/")
    assert response.status_code == 302
    assert response["Location"] == (
        f"{BASE}statement/{consultant.pk}/?start=2026-03-01&end=2026-03-31"
    )


def test_balances_page(staff_client, entries, consultant, other_consultant):
    response = staff_client.get(f"{BASE}balances/", **EN)
    assert response.status_code == 200
    rows = {c.pk: c.ledger_balance for c in response.context["page"]}
    assert rows == {consultant.pk: Decimal("940.00"), other_consultant.pk: Decimal("500.00")}
    searched = staff_client.get(f"{BASE}balances/", {"q": other_consultant.last_name})
    assert [c.pk for c in searched.context["page"]] == [other_consultant.pk]
