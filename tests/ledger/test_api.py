"""The ledger API through HTTP: role x endpoint x read/write, figures, errors, query counts."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.roles import Role
from apps.ledger.models import LedgerEntry, LedgerEntryKind
from apps.ledger.services import ledger_reverse

from .factories import post

pytestmark = pytest.mark.django_db

STATEMENT = "/api/v1/ledger/statement/"
ENTRIES = "/api/v1/ledger/entries/"
ADJUSTMENTS = "/api/v1/ledger/adjustments/"


@pytest.fixture
def api_as(api_as):
    """Clients asking for English (the project default is French), as a fresh user object
    each time, so that no permission cache carries over from one request to the next."""
    from apps.accounts.models import User

    def _as(user):
        client = api_as(User.objects.get(pk=user.pk))
        client.credentials(HTTP_ACCEPT_LANGUAGE="en")
        return client

    return _as


def reverse_url(entry) -> str:
    return f"{ENTRIES}{entry.pk}/reverse/"


@pytest.fixture
def mine(own_consultant):
    return [
        post(
            own_consultant, "1000.00", entry_date=date(2026, 2, 10), label="Payment F-2026-000001"
        ),
        post(
            own_consultant,
            "-70.00",
            kind=LedgerEntryKind.MANAGEMENT_FEE,
            entry_date=date(2026, 3, 10),
            label="Management fee 7 %",
        ),
    ]


@pytest.fixture
def theirs(other_consultant):
    return post(other_consultant, "5000.00", entry_date=date(2026, 3, 1), label="Their payment")


# --- statement ------------------------------------------------------------------------------
def test_consultant_reads_own_statement(api_as, consultant_user, own_consultant, mine, theirs):
    response = api_as(consultant_user).get(STATEMENT, {"start": "2026-03-01", "end": "2026-03-31"})
    assert response.status_code == 200, response.data
    data = response.json()
    assert data["consultant"] == {"id": own_consultant.pk, "name": str(own_consultant)}
    assert (data["opening_balance"], data["closing_balance"]) == ("1000.00", "930.00")
    assert [(e["label"], e["amount"], e["balance_after"]) for e in data["entries"]] == [
        ("Management fee 7 %", "-70.00", "930.00")
    ]
    assert data["entries"][0]["source"]["type"] == "auth.group"
    assert data["months"] == [
        {
            "month": "2026-03",
            "opening_balance": "1000.00",
            "credits": "0.00",
            "debits": "-70.00",
            "net": "-70.00",
            "closing_balance": "930.00",
            "entry_count": 1,
        }
    ]
    assert data["totals_by_kind"] == [
        {"kind": "management_fee", "label": "Management fee", "total": "-70.00", "count": 1}
    ]


def test_consultant_may_name_own_id_but_not_someone_elses(
    api_as, consultant_user, own_consultant, other_consultant, mine, theirs
):
    client = api_as(consultant_user)
    own = client.get(
        STATEMENT, {"consultant": own_consultant.pk, "start": "2026-01-01", "end": "2026-03-31"}
    )
    assert own.status_code == 200
    assert own.json()["closing_balance"] == "930.00"
    other = client.get(STATEMENT, {"consultant": other_consultant.pk})
    assert other.status_code == 404
    assert other.json()["code"] == "not_found"
    assert "Their payment" not in other.content.decode()
    assert client.get(STATEMENT, {"consultant": 999999}).status_code == 404


def test_consultant_role_without_profile_gets_404(api_as, consultant_role_user):
    assert api_as(consultant_role_user).get(STATEMENT).status_code == 404


@pytest.mark.parametrize("role_user", ["staff_user", "finance_user"])
def test_back_office_reads_any_statement(request, api_as, role_user, other_consultant, theirs):
    client = api_as(request.getfixturevalue(role_user))
    response = client.get(
        STATEMENT, {"consultant": other_consultant.pk, "start": "2026-01-01", "end": "2026-12-31"}
    )
    assert response.status_code == 200
    assert response.json()["closing_balance"] == "5000.00"
    assert len(response.json()["months"]) == 12


def test_back_office_must_name_the_consultant(api_as, staff_user):
    response = api_as(staff_user).get(STATEMENT)
    assert response.status_code == 400
    assert "consultant" in response.json()["fields"]
    assert api_as(staff_user).get(STATEMENT, {"consultant": 999999}).status_code == 404


def test_statement_period_defaults_and_errors(api_as, consultant_user):
    client = api_as(consultant_user)
    today = timezone.localdate()
    data = client.get(STATEMENT).json()
    assert data["start"] == today.replace(day=1).isoformat()
    assert data["end"][:7] == today.isoformat()[:7]
    data = client.get(STATEMENT, {"start": "2026-02-10"}).json()
    assert (data["start"], data["end"]) == ("2026-02-10", "2026-02-28")
    data = client.get(STATEMENT, {"end": "2026-02-10"}).json()
    assert (data["start"], data["end"]) == ("2026-02-01", "2026-02-10")
    bad = client.get(STATEMENT, {"start": "2026-03-01", "end": "2026-02-01"})
    assert bad.status_code == 400 and "end" in bad.json()["fields"]
    bad = client.get(STATEMENT, {"start": "01/03/2026"})
    assert bad.status_code == 400 and "start" in bad.json()["fields"]


def test_anonymous_is_refused(api_client):
    assert api_client.get(STATEMENT).status_code in (401, 403)
    assert api_client.get(ENTRIES).status_code in (401, 403)


def test_statement_query_count_is_constant(api_as, staff_user, consultant, other_consultant):
    ContentType.objects.get_for_model(Group)
    post(consultant, "10.00", entry_date=date(2026, 1, 5))
    for i in range(50):
        post(other_consultant, f"{i + 1}.00", entry_date=date(2026, 1 + i % 12, 3))
    counts = []
    for target in (consultant, other_consultant):
        client = api_as(staff_user)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(
                STATEMENT, {"consultant": target.pk, "start": "2026-01-01", "end": "2026-12-31"}
            )
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert len(response.json()["entries"]) == 50


# --- entries --------------------------------------------------------------------------------
def test_consultant_lists_only_own_entries(api_as, consultant_user, mine, theirs):
    response = api_as(consultant_user).get(ENTRIES)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert {row["id"] for row in data["results"]} == {e.pk for e in mine}
    # filtering on someone else's id finds nothing rather than leaking
    other = api_as(consultant_user).get(ENTRIES, {"consultant": theirs.consultant_id})
    assert other.json()["count"] == 0


def test_consultant_cannot_read_someone_elses_entry(api_as, consultant_user, mine, theirs):
    client = api_as(consultant_user)
    assert client.get(f"{ENTRIES}{mine[0].pk}/").status_code == 200
    assert client.get(f"{ENTRIES}{theirs.pk}/").status_code == 404


def test_entry_output(api_as, staff_user, mine):
    row = api_as(staff_user).get(f"{ENTRIES}{mine[1].pk}/").json()
    assert row["amount"] == "-70.00"
    assert row["kind"] == "management_fee" and row["kind_label"] == "Management fee"
    assert row["source"] == {"type": "auth.group", "id": mine[1].source_object_id}
    assert row["is_reversed"] is False and row["reverses"] is None


def test_entries_filters(api_as, finance_user, own_consultant, mine, theirs):
    client = api_as(finance_user)

    def ids(params):
        response = client.get(ENTRIES, params)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids({}) == {mine[0].pk, mine[1].pk, theirs.pk}
    assert ids({"consultant": own_consultant.pk}) == {mine[0].pk, mine[1].pk}
    assert ids({"kind": "management_fee"}) == {mine[1].pk}
    assert ids({"kind": ["management_fee", "turnover_collected"]}) == {
        e.pk for e in (*mine, theirs)
    }
    assert ids({"entry_date_after": "2026-03-01"}) == {mine[1].pk, theirs.pk}
    assert ids({"entry_date_after": "2026-02-01", "entry_date_before": "2026-02-28"}) == {
        mine[0].pk
    }
    assert client.get(ENTRIES, {"kind": "nonsense"}).status_code == 400


def test_entries_list_query_count_is_constant(api_as, staff_user, consultant, staff_user_reversal):
    post(consultant, "1.00")
    with CaptureQueriesContext(connection) as one:
        assert api_as(staff_user).get(ENTRIES).json()["count"] == 1
    for i in range(30):
        entry = post(consultant, f"{i + 2}.00")
        if i % 5 == 0:
            staff_user_reversal(entry)
    with CaptureQueriesContext(connection) as many:
        assert api_as(staff_user).get(ENTRIES).json()["count"] == 37
    assert len(one.captured_queries) == len(many.captured_queries)


@pytest.fixture
def staff_user_reversal(staff_user):
    def _reverse(entry):
        return ledger_reverse(entry=entry, reason="x", created_by=staff_user)

    return _reverse


# --- adjustments ----------------------------------------------------------------------------
@pytest.mark.parametrize("role_user", ["staff_user", "finance_user"])
def test_back_office_posts_an_adjustment(request, api_as, role_user, consultant):
    user = request.getfixturevalue(role_user)
    response = api_as(user).post(
        ADJUSTMENTS,
        {
            "consultant": consultant.pk,
            "amount": "-15.50",
            "label": "Bank fees",
            "entry_date": "2026-03-20",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["kind"], data["amount"], data["created_by"]) == (
        "adjustment",
        "-15.50",
        user.email,
    )
    entry = LedgerEntry.objects.get(pk=data["id"])
    assert (entry.amount, entry.entry_date, entry.created_by) == (
        Decimal("-15.50"),
        date(2026, 3, 20),
        user,
    )


def test_adjustment_defaults_to_today(api_as, staff_user, consultant):
    response = api_as(staff_user).post(
        ADJUSTMENTS,
        {"consultant": consultant.pk, "amount": "10", "label": "Goodwill"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["entry_date"] == timezone.localdate().isoformat()
    assert response.json()["amount"] == "10.00"


def test_consultant_cannot_post_an_adjustment(api_as, consultant_user, own_consultant):
    response = api_as(consultant_user).post(
        ADJUSTMENTS,
        {"consultant": own_consultant.pk, "amount": "1000.00", "label": "Gift"},
        format="json",
    )
    assert response.status_code == 403
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"amount": "10.005", "label": "x"}, "amount"),
        ({"amount": "0", "label": "x"}, "amount"),
        ({"amount": "abc", "label": "x"}, "amount"),
        ({"amount": "10.00", "label": ""}, "label"),
        ({"amount": "10.00", "label": "x", "entry_date": "2026-02-30"}, "entry_date"),
    ],
)
def test_adjustment_bad_input(api_as, staff_user, consultant, payload, field):
    response = api_as(staff_user).post(
        ADJUSTMENTS, {"consultant": consultant.pk, **payload}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and field in body["fields"]
    assert not LedgerEntry.objects.exists()


def test_adjustment_for_an_unknown_consultant(api_as, staff_user):
    response = api_as(staff_user).post(
        ADJUSTMENTS, {"consultant": 999999, "amount": "1.00", "label": "x"}, format="json"
    )
    assert response.status_code == 400 and "consultant" in response.json()["fields"]


# --- reversal -------------------------------------------------------------------------------
@pytest.mark.parametrize("role_user", ["staff_user", "finance_user"])
def test_back_office_reverses_an_entry_once(request, api_as, role_user, mine):
    client = api_as(request.getfixturevalue(role_user))
    response = client.post(
        reverse_url(mine[0]),
        {"reason": "Payment rejected", "entry_date": "2026-03-31"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["amount"], response.json()["reverses"]) == ("-1000.00", mine[0].pk)
    again = client.post(reverse_url(mine[0]), {"reason": "again"}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "ledger_already_reversed"
    assert client.get(f"{ENTRIES}{mine[0].pk}/").json()["is_reversed"] is True


def test_reversal_input_errors(api_as, staff_user, mine):
    client = api_as(staff_user)
    assert "reason" in client.post(reverse_url(mine[0]), {}, format="json").json()["fields"]
    early = client.post(
        reverse_url(mine[0]), {"reason": "x", "entry_date": "2026-01-01"}, format="json"
    )
    assert early.status_code == 400 and "entry_date" in early.json()["fields"]
    assert (
        client.post(f"{ENTRIES}999999/reverse/", {"reason": "x"}, format="json").status_code == 404
    )


def test_consultant_cannot_reverse_even_own_entries(api_as, consultant_user, mine):
    response = api_as(consultant_user).post(
        reverse_url(mine[1]), {"reason": "no fee"}, format="json"
    )
    assert response.status_code == 403
    assert not LedgerEntry.objects.filter(kind=LedgerEntryKind.REVERSAL).exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize("role", [Role.STAFF, Role.FINANCE])
def test_entries_cannot_be_changed_or_deleted_through_the_api(
    api_as, make_user, mine, method, role
):
    client = api_as(make_user(role))
    response = getattr(client, method)(f"{ENTRIES}{mine[0].pk}/", {"amount": "1.00"}, format="json")
    assert response.status_code in (403, 405)
    mine[0].refresh_from_db()
    assert mine[0].amount == Decimal("1000.00")


def test_openapi_schema_documents_the_ledger_without_warnings(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in ("statement/", "entries/", "entries/{id}/reverse/", "adjustments/"):
        assert f"/api/v1/ledger/{path}" in text
    assert "LedgerEntryKindEnum" in text
