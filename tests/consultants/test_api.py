"""/api/v1/consultants/ through HTTP: role matrix, scoping, errors, languages, queries."""

import pytest
from django.core import mail
from django.utils import timezone

from apps.accounts.roles import Role
from apps.consultants.models import Consultant

from .factories import ConsultantFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/consultants/"

NEW = {
    "civility": "MME",
    "first_name": "Marie",
    "last_name": "Lefèvre",
    "birth_date": "1955-08-14",
    "birth_place": "Caen",
    "nir": "2 55 08 14 168 025 38",  # python-stdnum documentation example
    "address_line1": "3 rue Pasteur",
    "postal_code": "14000",
    "city": "Caen",
    "email": "marie.lefevre@example.test",
    "iban": "FR14 2004 1010 0505 0001 3M02 606",  # ECBS registry example
    "bic": "PSSTFRPPCAE",
    "highest_diploma_level": 5,
    "years_of_experience": "0",
}


def detail(consultant, action=""):
    return f"{URL}{consultant.pk}/{action + '/' if action else ''}"


@pytest.fixture
def clients(api_as, staff_user, finance_user, consultant_with_user):
    return {
        "staff": api_as(staff_user),
        "finance": api_as(finance_user),
        "consultant": api_as(consultant_with_user.user),
    }


# (role, method, target, expected status). target: "own" is the consultant_with_user
# record, "other" another consultant's record, None the list URL.
MATRIX = [
    ("staff", "get", None, 200),
    ("staff", "get", "own", 200),
    ("staff", "post", None, 201),
    ("staff", "put", "other", 200),
    ("staff", "patch", "other", 200),
    ("staff", "post", "other/invite", 200),
    ("staff", "post", "other/activate", 200),
    ("staff", "post", "other/leave", 200),
    ("finance", "get", None, 200),
    ("finance", "get", "other", 200),
    ("finance", "post", None, 403),
    ("finance", "put", "other", 403),
    ("finance", "patch", "other", 403),
    ("finance", "post", "other/invite", 403),
    ("finance", "post", "other/activate", 403),
    ("finance", "post", "other/leave", 403),
    ("consultant", "get", None, 200),
    ("consultant", "get", "own", 200),
    ("consultant", "get", "other", 404),
    ("consultant", "post", None, 403),
    ("consultant", "put", "own", 403),
    ("consultant", "patch", "own", 403),
    ("consultant", "post", "own/invite", 403),
    ("consultant", "post", "own/activate", 403),
    ("consultant", "post", "own/leave", 403),
]


@pytest.mark.parametrize(("role", "method", "target", "expected"), MATRIX)
def test_permission_matrix(
    clients,
    consultant_with_user,
    role,
    method,
    target,
    expected,
    django_capture_on_commit_callbacks,
):
    other = ConsultantFactory(email="other@example.test")
    url = URL
    if target:
        name, _sep, action = target.partition("/")
        url = detail(consultant_with_user if name == "own" else other, action)
    payload = {
        "post": NEW if target is None else {"left_on": "2099-01-31"},
        "put": {**NEW, "email": "other@example.test"},
        "patch": {"city": "Rouen"},
    }.get(method)
    count_before = Consultant.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = getattr(clients[role], method)(url, payload, format="json")
    assert response.status_code == expected, response.content
    if expected in (403, 404):
        assert set(response.json()) == {"code", "message", "fields"}
        assert Consultant.objects.count() == count_before
        assert mail.outbox == []


def test_put_by_staff_replaces_fields(clients):
    other = ConsultantFactory(email="other@example.test")
    response = clients["staff"].put(
        detail(other), {**NEW, "email": "other@example.test"}, format="json"
    )
    assert response.status_code == 200
    other.refresh_from_db()
    assert (other.last_name, other.nir) == ("Lefèvre", "255081416802538")


def test_consultant_list_shows_only_their_own(clients, consultant_with_user):
    ConsultantFactory.create_batch(3)
    body = clients["consultant"].get(URL).json()
    assert body["count"] == 1
    assert [row["id"] for row in body["results"]] == [consultant_with_user.pk]


def test_consultant_role_without_profile_sees_nothing(api_as, consultant_role_user):
    ConsultantFactory()
    body = api_as(consultant_role_user).get(URL).json()
    assert body["count"] == 0


def test_anonymous_is_refused(api_client, consultant):
    assert api_client.get(URL).status_code in (401, 403)


def test_delete_is_not_possible(clients, consultant):
    response = clients["staff"].delete(detail(consultant))
    assert response.status_code in (403, 405)
    assert Consultant.objects.filter(pk=consultant.pk).exists()


def test_iban_masked_in_list_full_in_detail(clients):
    consultant = ConsultantFactory(iban="FR1420041010050500013M02606", bic="PSSTFRPPCAE")
    row = next(r for r in clients["staff"].get(URL).json()["results"] if r["id"] == consultant.pk)
    assert row["iban"] == "FR14 **** **** 2606"
    assert "FR1420041010050500013M02606" not in str(row)
    assert clients["staff"].get(detail(consultant)).json()["iban"] == "FR1420041010050500013M02606"


def test_create_returns_the_detail_with_eligibility(clients, staff_user):
    response = clients["staff"].post(URL, NEW, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "prospect"
    assert body["nir"] == "255081416802538"
    assert body["eligibility"]["eligible"] is True
    consultant = Consultant.objects.get(pk=body["id"])
    assert consultant.history.get().history_user == staff_user


def test_duplicate_email_gives_field_error(clients, consultant):
    response = clients["staff"].post(
        URL, {**NEW, "email": consultant.email.upper()}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"]["email"] == ["A consultant with this e-mail address already exists."]


@pytest.mark.parametrize(
    ("language", "nir_message", "required_message"),
    [
        (
            "en",
            "Social security number (NIR): the check digits are wrong.",
            "This field is required.",
        ),
        ("fr", None, "Ce champ est obligatoire."),
    ],
)
def test_invalid_nir_error_shape_and_language(clients, language, nir_message, required_message):
    payload = {**NEW, "nir": "2 55 08 14 168 025 39"}  # published example, key changed
    del payload["last_name"]
    response = clients["staff"].post(URL, payload, format="json", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == "invalid"
    assert body["fields"]["last_name"] == [required_message]
    assert len(body["fields"]["nir"]) == 1
    if nir_message:
        assert body["fields"]["nir"] == [nir_message]
    else:
        from django.utils import translation

        with translation.override("fr"):
            expected = str(translation.gettext("%(label)s: the check digits are wrong.")) % {
                "label": translation.gettext("Social security number (NIR)")
            }
        assert body["fields"]["nir"] == [expected]
    assert Consultant.objects.count() == 1  # only consultant_with_user


def test_activation_refusal_is_explained(clients):
    consultant = ConsultantFactory(highest_diploma_level=4, years_of_experience=2)
    response = clients["staff"].post(detail(consultant, "activate"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "not_eligible"
    assert "L1254-2 / CCN art. 2.2" in body["message"]
    assert "diploma level 4 and 2 years" in body["message"]


def test_invalid_transition_is_409(clients, consultant):
    clients["staff"].post(detail(consultant, "leave"), {"left_on": "2026-01-05"}, format="json")
    response = clients["staff"].post(detail(consultant, "activate"))
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_leave_requires_left_on(clients, consultant):
    response = clients["staff"].post(detail(consultant, "leave"), {}, format="json")
    assert response.status_code == 400
    assert "left_on" in response.json()["fields"]


def test_invite_then_reinvite_after_password_is_409(
    clients, consultant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert clients["staff"].post(detail(consultant, "invite")).status_code == 200
    consultant.refresh_from_db()
    consultant.user.set_password("Portail-s3cure-pass!")
    consultant.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["staff"].post(detail(consultant, "invite"))
    assert response.status_code == 409
    assert response.json()["code"] == "already_has_account"
    assert len(mail.outbox) == 1


class TestListQueries:
    def _count(self, client, django_assert_num_queries, expected_rows):
        client.get(URL)  # warm the user's permission and role caches
        with django_assert_num_queries(2):  # COUNT(*) for the pagination + one SELECT
            response = client.get(URL)
        assert response.json()["count"] == expected_rows

    def test_constant_queries_1_vs_5(
        self, api_as, staff_user, make_user, django_assert_num_queries
    ):
        client = api_as(staff_user)
        users = [make_user(Role.CONSULTANT) for _ in range(5)]
        ConsultantFactory(user=users[0])
        self._count(client, django_assert_num_queries, 1)
        for user in users[1:]:
            ConsultantFactory(user=user)
        self._count(client, django_assert_num_queries, 5)


class TestFilters:
    def test_filter_search_and_ordering(self, clients):
        a = ConsultantFactory(last_name="Zola", city="Lyon", status_cadre="non_cadre")
        b = ConsultantFactory(last_name="Aubert", city="Paris", email="aubert@example.test")
        staff = clients["staff"]
        ids = lambda response: [row["id"] for row in response.json()["results"]]  # noqa: E731
        assert ids(staff.get(URL, {"status_cadre": "non_cadre"})) == [a.pk]
        assert b.pk in ids(staff.get(URL, {"city": "pari"}))
        assert a.pk not in ids(staff.get(URL, {"city": "pari"}))
        assert ids(staff.get(URL, {"search": "aubert@"})) == [b.pk]
        ordered = ids(staff.get(URL, {"ordering": "-last_name"}))
        assert ordered.index(a.pk) < ordered.index(b.pk)
        assert ids(staff.get(URL, {"status": "left"})) == []
        today = timezone.localdate().isoformat()
        assert a.pk in ids(staff.get(URL, {"created_after": today}))
        assert ids(staff.get(URL, {"created_before": "2000-01-01"})) == []

    def test_pagination(self, clients):
        ConsultantFactory.create_batch(3)
        body = clients["staff"].get(URL, {"page_size": 2}).json()
        assert body["count"] == 4
        assert len(body["results"]) == 2
        assert body["next"]


def test_openapi_schema_has_no_warnings_for_consultants():
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/v1/", include("apps.consultants.api_urls"))])
    schema = generator.get_schema(request=None, public=True)
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache
    assert set(schema["paths"]) == {
        "/api/v1/consultants/",
        "/api/v1/consultants/{id}/",
        "/api/v1/consultants/{id}/invite/",
        "/api/v1/consultants/{id}/activate/",
        "/api/v1/consultants/{id}/leave/",
    }
    assert "delete" not in schema["paths"]["/api/v1/consultants/{id}/"]


def test_schema_endpoint_serves(clients):
    response = clients["staff"].get("/api/schema/")
    assert response.status_code == 200
