"""`lookback store check`: the file store against the photo rows (and the assessment
documents); and the clean-up of stale temporary files that `lookback serve` and `lookback
init` run first."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from typing import TYPE_CHECKING, Annotated

import typer

from web.cli.output import emit_json, err_console, fail, progress_bar

if TYPE_CHECKING:  # the rest is imported inside the commands: see web/cli/__init__.py
    from imagery.store import Store
    from imagery.store_check import Finding, StoreReport
    from web.settings import Settings

JsonOpt = Annotated[bool, typer.Option("--json", help="Print results as JSON.")]
store_app = typer.Typer(help="Look after the file store.", no_args_is_help=True)
PROGRESS_FROM = 2000  # files: a smaller store is checked before a bar would show

LABELS = {"orphan_file": "file without a photo", "missing_file": "photo without its file",
          "temporary": "temporary leftover"}


def checked_store(settings: Settings, *, as_json: bool = False) -> Store:
    """The settings' store, once it answers; else the reason, naming the setting to look at,
    and exit status 1."""
    from imagery.errors import StoreUnavailable
    from web.store import file_store, store_message

    store = file_store(settings)
    try:
        store.check()
    except StoreUnavailable as exc:
        fail(store_message(exc, settings.language), as_json=as_json, store=store.describe())
    return store


def clean_temporaries(settings: Settings) -> int:
    """Remove the store's temporary files older than an hour (interrupted uploads and
    ingests); how many. Files being written now are younger and stay."""
    from imagery.store_check import remove_temporaries
    from web.store import file_store

    removed = remove_temporaries(file_store(settings))
    if removed:
        err_console.print(f"removed {removed} stale temporary file(s) from {settings.data_dir}")
    return removed


class _LazyBar:
    """A progress bar that shows only once the store turns out to hold many files."""

    def __init__(self, stack: ExitStack, *, enabled: bool) -> None:
        self.stack, self.enabled = stack, enabled
        self.update: Callable[[int, int], None] | None = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < PROGRESS_FROM:
            return
        if self.update is None:
            self.update = self.stack.enter_context(progress_bar("checking the store"))
        self.update(done, total)


def _line(finding: Finding) -> str:
    ids = f" (photo {', '.join(map(str, finding.photo_ids))})" if finding.photo_ids else ""
    state = ": removed" if finding.repaired else ""
    return f"{LABELS[finding.kind]}: {finding.path}{ids}{state}"


def _summary(report: StoreReport, repaired: bool) -> dict:
    return {"files": report.files, "originals": report.originals, "photos": report.photos,
            "orphan_files": report.count("orphan_file"),
            "missing_files": report.count("missing_file"),
            "temporaries": report.count("temporary"),
            "repaired": sum(1 for f in report.findings if f.repaired) if repaired else 0,
            "problems_left": report.problems_left}


@store_app.command("check")
def check(
    do_repair: Annotated[bool, typer.Option(
        "--repair", help="Remove files without a photo and temporary leftovers (photos "
                         "without their file are only reported).")] = False,
    as_json: JsonOpt = False,
) -> None:
    """List files without a photo, photos without their file, and temporary leftovers.

    The exit status is 1 while any remain."""
    from imagery.store_check import StoreReport, check_store, repair
    from inspections.assessment import stored_hashes
    from web.database import engine_for, init_database
    from web.settings import Settings

    settings = Settings()
    engine = engine_for(settings)
    init_database(engine)
    store = checked_store(settings, as_json=as_json)
    with ExitStack() as stack, engine.connect() as conn:
        report = check_store(conn, store, progress=_LazyBar(stack, enabled=not as_json),
                             kept=stored_hashes(conn))  # assessment documents
        if do_repair:  # each orphan checked against the rows again just before it goes
            report = StoreReport(repair(store, report.findings, conn=conn,
                                        kept=stored_hashes(conn)),
                                 report.files, report.originals, report.photos)
    summary = _summary(report, do_repair)
    for finding in report.findings:
        emit_json(finding) if as_json else typer.echo(_line(finding))
    if as_json:
        emit_json(summary)
    else:
        typer.echo(f"{summary['files']} files ({summary['originals']} originals), "
                   f"{summary['photos']} photos: {summary['orphan_files']} without a photo, "
                   f"{summary['missing_files']} missing, {summary['temporaries']} temporary; "
                   f"{summary['problems_left']} problem(s) left", err=True)
    if report.problems_left:
        raise typer.Exit(1)
