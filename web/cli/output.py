"""How commands report: JSON Lines with --json, readable text otherwise; progress on stderr."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, tzinfo
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from inspections.clock import aware

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


def local_time(at: datetime | None, tz: tzinfo) -> str:
    """A time as the district reads it, to the minute ("" for none)."""
    return "" if at is None else aware(at).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def print_table(columns: Sequence[str], rows: Iterable[Sequence[object]], *,
                title: str | None = None) -> None:
    """Rows as a readable table on standard output (the plain output; --json prints JSON
    Lines instead). Piped output is not cut to a terminal's width."""
    table = Table(*columns, title=title, title_justify="left", show_edge=False,
                  header_style="bold")
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    width = None if sys.stdout.isatty() else 200
    Console(file=sys.stdout, highlight=False, width=width).print(table)


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
    # Imported here: every command imports this module, few show a bar.
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=False) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
