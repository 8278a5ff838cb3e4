"""Fixtures shared by every test: one user per role and API clients logged in as them."""

import pytest
from rest_framework.test import APIClient

from apps.accounts.roles import Role
from apps.accounts.services import user_create

pytest_plugins = ["tests.browser"]

PASSWORD = "S3cure-pass-for-tests!"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def english_requests(settings):
    """Requests without Accept-Language get English instead of the French default, and code
    run by the test itself speaks English: for test folders that assert the English source
    messages. French is asserted explicitly (Accept-Language: fr) where it matters."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def make_user(db):
    counter = {"n": 0}

    def _make(role: str, email: str | None = None, **kwargs):
        counter["n"] += 1
        email = email or f"{role}{counter['n']}@example.test"
        return user_create(email=email, role=role, password=PASSWORD, **kwargs)

    return _make


@pytest.fixture
def staff_user(make_user):
    return make_user(Role.STAFF, first_name="Sophie", last_name="Gestion")


@pytest.fixture
def finance_user(make_user):
    return make_user(Role.FINANCE, first_name="Fabrice", last_name="Compta")


@pytest.fixture
def consultant_role_user(make_user):
    """A user with the consultant role but no consultant profile attached."""
    return make_user(Role.CONSULTANT, first_name="Camille", last_name="Porte")


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as():
    """api_as(user) -> an APIClient authenticated as that user (session-less, forced)."""

    def _as(user):
        client = APIClient()
        client.force_authenticate(user=user)
        return client

    return _as
