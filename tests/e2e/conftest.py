"""Browser tests of whole journeys; the browser fixtures live in tests/browser.py."""

import pytest


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
