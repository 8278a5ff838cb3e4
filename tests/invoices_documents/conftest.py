"""Fixtures of the invoice document tests (PDF, Factur-X, sending, downloads)."""

import pytest

from apps.accounts.roles import Role
from tests.company import make_company_profile
from tests.consultants.factories import ConsultantFactory

from .factories import make_issued_invoice


@pytest.fixture(autouse=True)
def company(db):
    return make_company_profile()


@pytest.fixture(autouse=True)
def _english(english_requests):
    """These tests assert the English source messages."""


@pytest.fixture
def consultant_user(make_user):
    user = make_user(Role.CONSULTANT, first_name="Claire", last_name="Porte", language="en")
    ConsultantFactory(user=user, email=user.email)
    return user


@pytest.fixture
def other_consultant_user(make_user):
    user = make_user(Role.CONSULTANT, first_name="Olivier", last_name="Autre", language="en")
    ConsultantFactory(user=user, email=user.email)
    return user


@pytest.fixture
def invoice(consultant_user):
    """An issued French invoice of consultant_user, English document (asserted in English)."""
    return make_issued_invoice(consultant=consultant_user.consultant, language="en")
