"""Fixtures of the ledger tests: a database of the test's own holding the whole demo
scenario (cases in every state, measures, tickets, look-back rounds), copied from one
played once per run, so that a test may change its records."""

from __future__ import annotations

import pytest

from tests.conftest import Templates
from tests.scenario import play_scenario


@pytest.fixture
def scenario_url(database_url: str, _templates: Templates) -> str:
    """The played demo scenario in the test's own database."""
    _templates.copy("scenario", database_url, play_scenario)
    return database_url
