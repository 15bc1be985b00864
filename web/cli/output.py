"""How commands report: JSON Lines with --json, readable text otherwise; progress on stderr."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

err_console = Console(stderr=True)


def as_dict(obj: Any) -> Any:
    """Dataclasses (nested) as plain dicts, for JSON."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {k: as_dict(v) for k, v in dataclasses.asdict(obj).items()}
    return obj


def emit_json(obj: Any) -> None:
    """One JSON object on one line of standard output."""
    sys.stdout.write(json.dumps(as_dict(obj), ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def fail(message: str, *, as_json: bool, **fields: Any) -> None:
    """Report an error (as a JSON object with --json) and exit with status 1."""
    if as_json:
        emit_json({"error": message, **fields})
    else:
        error(message)
    raise typer.Exit(1)


def error(message: str) -> None:
    """An error on stderr, unwrapped so paths and feature codes stay whole."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)


@contextmanager
def progress_bar(description: str, *, enabled: bool = True) -> Iterator[Any]:
    """A progress bar on stderr; yields a callback taking (done, total)."""
    if not enabled:
        yield lambda done, total: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=False) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
