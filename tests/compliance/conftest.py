import pytest


@pytest.fixture(autouse=True)
def _english_messages():
    """Assert the English source messages (the project's default language is French and the
    French catalogue is produced later from these msgids)."""
    from django.utils import translation

    with translation.override("en"):
        yield
