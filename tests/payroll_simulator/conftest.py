import pytest


@pytest.fixture(autouse=True)
def _english(english_requests):
    """These tests assert the English source messages; French is asserted explicitly."""
