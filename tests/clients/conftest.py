import pytest


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests assert the English source messages; French is checked explicitly where it
    matters (API tests with Accept-Language: fr). The project's default language is French."""
    from django.utils import translation

    with translation.override("en"):
        yield
