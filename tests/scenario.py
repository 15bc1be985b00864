"""The demo scenario played by `lookback demo` into a database of each backend, once per test
process, for the tests that read it (the scenario tests, the map and dashboard pages)."""

from __future__ import annotations

from dataclasses import dataclass

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
