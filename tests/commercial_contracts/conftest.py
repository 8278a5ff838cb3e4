import pytest

from tests.company import make_company_profile


@pytest.fixture(autouse=True)
def _english(english_requests):
    """These tests assert the English source messages, in code and in responses."""


@pytest.fixture(autouse=True)
def company(db):
    return make_company_profile()
