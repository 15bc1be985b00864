"""Run the `lookback` command line in-process against a given database."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from web.cli import app


def run(database_url: str, *args: str, input: str | None = None,  # noqa: A002
        **env: str):  # noqa: ANN201
    """Invoke `lookback ARGS` with LOOKBACK_DATABASE_URL (and any other LOOKBACK_ setting
    given as a keyword) set; returns click's Result."""
    return CliRunner().invoke(app, list(args), input=input,
                              env={"LOOKBACK_DATABASE_URL": database_url, **env})


def json_lines(output: str) -> list[dict]:
    """The JSON objects printed one per line."""
    return [json.loads(line) for line in output.splitlines() if line.strip()]
