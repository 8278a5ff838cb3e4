import pytest

from apps.accounts.roles import Role
from tests.consultants.factories import ConsultantFactory


@pytest.fixture(autouse=True)
def _english_messages():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def consultant(db):
    return ConsultantFactory()


@pytest.fixture
def other_consultant(db):
    return ConsultantFactory()


@pytest.fixture
def consultant_user(make_user):
    """A portal user with the consultant role and a consultant profile."""
    user = make_user(Role.CONSULTANT, first_name="Claire", last_name="Porte")
    ConsultantFactory(user=user, email=user.email)
    return user


@pytest.fixture
def own_consultant(consultant_user):
    return consultant_user.consultant


@pytest.fixture
def make_source(db):
    """A saved row to stand for a source document (invoices do not exist yet)."""
    from django.contrib.auth.models import Group

    counter = {"n": 0}

    def _make():
        counter["n"] += 1
        return Group.objects.create(name=f"ledger-source-{counter['n']}")

    return _make
