"""Fixtures of the payslip document tests (PDF, render task, e-mail, portal, API)."""

import pytest

from apps.accounts.roles import Role
from tests.company import make_company_profile
from tests.consultants.factories import ConsultantFactory


@pytest.fixture(autouse=True)
def company(db):
    return make_company_profile()


@pytest.fixture(autouse=True)
def _english(english_requests):
    """These tests assert the English source messages (the PDF itself is always French)."""


@pytest.fixture
def consultant_user(make_user):
    user = make_user(Role.CONSULTANT, first_name="Claire", last_name="Porte", language="en")
    ConsultantFactory(user=user, email=user.email, first_name="Claire", last_name="Porte")
    return user


@pytest.fixture
def other_consultant_user(make_user):
    user = make_user(Role.CONSULTANT, first_name="Olivier", last_name="Autre", language="en")
    ConsultantFactory(user=user, email=user.email, first_name="Olivier", last_name="Autre")
    return user
