"""The consultant's compte d'activité page (/portal/ledger/)."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.roles import Role
from apps.ledger.models import LedgerEntryKind
from apps.ledger.portal_views import parse_month
from apps.ledger.selectors import add_months
from apps.ledger.services import ledger_reverse

from .factories import post

pytestmark = pytest.mark.django_db

URL = "/portal/ledger/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def portal(client, consultant_user):
    client.force_login(consultant_user)
    return client


@pytest.fixture
def march(own_consultant, other_consultant, staff_user):
    post(own_consultant, "2500.00", entry_date=date(2026, 2, 27), label="Payment F-2026-000007")
    payment = Group.objects.create(name="Payment of invoice F-2026-000012")
    post(
        own_consultant,
        "10000.00",
        entry_date=date(2026, 3, 5),
        source=payment,
        label="Payment F-2026-000012",
    )
    post(
        own_consultant,
        "-600.00",
        kind=LedgerEntryKind.MANAGEMENT_FEE,
        entry_date=date(2026, 3, 5),
        source=payment,
        label="Management fee 6 %",
    )
    expense = post(
        own_consultant,
        "-80.00",
        kind=LedgerEntryKind.EXPENSE_REIMBURSED,
        entry_date=date(2026, 3, 12),
        label="Hotel Lyon",
    )
    ledger_reverse(
        entry=expense, reason="Claim withdrawn", created_by=staff_user, entry_date=date(2026, 3, 20)
    )
    post(other_consultant, "777.77", entry_date=date(2026, 3, 6), label="Somebody else's payment")


def test_month_page_shows_movements_subtotals_and_sources(portal, march):
    response = portal.get(URL, {"month": "2026-03"}, **EN)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Payment F-2026-000012",
        "Management fee 6 %",
        "Hotel Lyon",
        "Claim withdrawn",
        "Cancels “Hotel Lyon”",
        "Payment of invoice F-2026-000012",  # the source document
        "Turnover collected (excl. VAT)",
    ):
        assert text in html, text
    assert "Somebody else" not in html
    assert "F-2026-000007" not in html  # February's movement is in the opening balance
    month = response.context["month"]
    assert (month.opening_balance, month.credits, month.debits, month.closing_balance) == (
        2500, 10080, -680, 11900,
    )  # fmt: skip
    assert 'data-testid="ledger-credits">+10,080.00 €' in html
    assert 'data-testid="ledger-debits">-680.00 €' in html
    assert 'href="?month=2026-02"' in html and 'href="?month=2026-04"' in html
    assert response.context["nav_active"] == "ledger"


def test_amounts_are_coloured_by_sign(portal, march):
    html = portal.get(URL, {"month": "2026-03"}, **EN).content.decode()
    assert 'amount--credit">+10,000.00 €' in html
    assert 'amount--debit">-600.00 €' in html


def test_default_month_is_the_current_one_and_balance_is_today(portal, own_consultant):
    today = timezone.localdate()
    post(own_consultant, "123.45", entry_date=today, label="Payment of today")
    post(own_consultant, "1000.00", entry_date=date(today.year + 1, 1, 1), label="Future-dated")
    response = portal.get(URL, **EN)
    assert response.context["month_value"] == today.strftime("%Y-%m")
    assert response.context["available"] == Decimal("123.45")
    assert "Payment of today" in response.content.decode()
    assert response.context["next_month"] == ""  # no link into the future
    assert response.context["previous_month"] == add_months(today, -1).strftime("%Y-%m")


@pytest.mark.parametrize("value", ["2026-13", "garbage", "1999-01", "2026-3", ""])
def test_a_bad_month_falls_back_to_the_current_one(portal, value):
    response = portal.get(URL, {"month": value}, **EN)
    assert response.status_code == 200
    assert response.context["month_value"] == timezone.localdate().strftime("%Y-%m")


def test_parse_month():
    assert parse_month("2026-03") == date(2026, 3, 1)
    assert parse_month(" 2026-12 ") == date(2026, 12, 1)
    assert parse_month("2026-00") is None and parse_month(None) is None


def test_empty_month(portal):
    html = portal.get(URL, {"month": "2020-01"}, **EN).content.decode()
    assert "No movement this month." in html


def test_only_consultants_with_a_profile_reach_the_page(client, make_user, staff_user):
    assert client.get(URL).status_code == 302  # to the login page
    client.force_login(staff_user)
    assert client.get(URL).status_code == 404
    client.force_login(make_user(Role.CONSULTANT))  # no consultant profile
    assert client.get(URL).status_code == 404


def test_page_query_count_is_constant(client, consultant_user, own_consultant):
    client.force_login(consultant_user)
    ContentType.objects.get_for_model(Group)
    post(own_consultant, "1.00", entry_date=date(2026, 3, 1))
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL, {"month": "2026-03"}).status_code == 200
    for i in range(40):
        post(own_consultant, f"{i + 2}.00", entry_date=date(2026, 3, 1 + i % 28))
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL, {"month": "2026-03"}).status_code == 200
    assert len(one.captured_queries) == len(many.captured_queries)
