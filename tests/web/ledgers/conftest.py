"""Fixtures of the ledger tests: a database of the test's own holding the whole demo
scenario (cases in every state, measures, tickets, look-back rounds), copied from one
played once per process, so that a test may change its records."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Templates
from tests.web.cli import run


def play_scenario(url: str, anchor: Path) -> None:
    """`lookback demo` into the database: the district, the accounts and the scenario."""
    result = run(url, "demo", "--json", LOOKBACK_AUDIT_ANCHOR_FILE=str(anchor),
                 LOOKBACK_DATA_DIR=str(anchor.parent / "data"))
    assert result.exit_code == 0, result.output


@pytest.fixture
def scenario_url(database_url: str, _templates: Templates) -> str:
    """The played demo scenario in the test's own database."""
    _templates.copy("scenario", database_url, play_scenario)
    return database_url
