"""Fixtures for the web tests: a database holding the demo district and its accounts."""

from __future__ import annotations

import pytest

from tests.web.cli import run


@pytest.fixture(scope="module")
def demo_url(module_database_url: str) -> str:
    """A database (shared by the module) with the demo layers and demo accounts, no cases."""
    result = run(module_database_url, "demo", "--no-scenario", "--json")
    assert result.exit_code == 0, result.output
    return module_database_url


@pytest.fixture
def fresh_demo_url(database_url: str) -> str:
    """Like demo_url, but the test's own (for tests that count failures or change data)."""
    result = run(database_url, "demo", "--no-scenario", "--json")
    assert result.exit_code == 0, result.output
    return database_url
