"""The demo scenario played by `lookback demo` into a database of each backend, once per test
run (a template, tests/templates.py), for the tests that read it (the scenario tests, the map
and dashboard pages, the ledgers)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.web.cli import json_lines, run


@dataclass(frozen=True)
class Played:
    """The database the scenario was played into, and what `lookback demo` printed."""

    env: dict[str, str]
    output: list[dict]

    def cli(self, *args: str) -> list[dict]:
        """Run a command with --json on this database; its JSON lines (exit status 0)."""
        result = run(self.env["url"], *args, "--json", LOOKBACK_DATA_DIR=self.env["data"],
                     LOOKBACK_NOW=self.env["now"])
        assert result.exit_code == 0, result.output
        return json_lines(result.stdout)


OUTPUT = "demo.jsonl"  # what `lookback demo` printed, beside the template's anchor file


def play_scenario(url: str, anchor: Path) -> None:
    """`lookback demo` into the database: the district, the accounts and the scenario; its
    files in `data` and what it printed in OUTPUT, beside the anchor file."""
    result = run(url, "demo", "--json", LOOKBACK_AUDIT_ANCHOR_FILE=str(anchor),
                 LOOKBACK_DATA_DIR=str(anchor.parent / "data"))
    assert result.exit_code == 0, result.output
    (anchor.parent / OUTPUT).write_text(result.stdout, encoding="utf-8")
