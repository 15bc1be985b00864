"""`lookback report`: the progress report of a month or year, a case's closure report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from inspections.errors import InspectionError
from web.cli.audit_messages import anchor_or_stop, say_anchored
from web.cli.layers import JsonOpt
from web.cli.output import emit_json, err_console, fail

if TYPE_CHECKING:  # the rest is imported inside the commands: see web/cli/__init__.py
    from docx.document import Document as DocumentType
    from sqlalchemy.engine import Engine

    from web.settings import Settings

report_app = typer.Typer(help="Reports as .docx (GB/T 9704 layout).", no_args_is_help=True)
OutOpt = Annotated[Path, typer.Option(help="The .docx file to write.")]


def _parse_month(month: str) -> tuple[int, int]:
    try:
        year, number = (int(x) for x in month.split("-"))
    except ValueError:
        raise InspectionError(f"--month {month!r}: give YYYY-MM") from None
    if not 1 <= number <= 12:
        raise InspectionError(f"--month {month!r}: the month must be 01 to 12")
    return year, number


def _save(doc: DocumentType, out: Path, engine: Engine, settings: Settings, what: str,
          as_json: bool) -> None:
    """Anchor the audit chain's head (noted in the report too), save, say so."""
    from web.services.audit_anchors import anchor_fields, stamp_report

    anchor = anchor_or_stop(engine, settings, f"report {what}", as_json=as_json)
    stamp_report(doc, anchor)
    doc.save(out)
    if as_json:
        emit_json({"out": str(out), "bytes": out.stat().st_size,
                   "audit_anchor": anchor_fields(anchor)})
    else:
        err_console.print(f"wrote {out}", highlight=False)
        say_anchored(anchor, settings)


def _file_texts(path: Path | None) -> dict[str, str]:
    """The paragraphs of a --texts file: a JSON object of part to text, checked."""
    from inspections.report_texts import check_texts

    if path is None:
        return {}
    try:
        texts = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InspectionError(f"--texts {path}: cannot read it as JSON ({exc})") from None
    if not isinstance(texts, dict):
        raise InspectionError(f"--texts {path}: give a JSON object of part to paragraph")
    return check_texts(texts)


@report_app.command("progress")
def progress(out: OutOpt,
             month: Annotated[str | None, typer.Option(help="YYYY-MM")] = None,
             year: Annotated[int | None, typer.Option(help="A whole year.")] = None,
             texts: Annotated[Path | None, typer.Option(
                 help="A JSON object of part to paragraph, taking the place of the saved "
                      "paragraphs of those parts for this report (not saved).")] = None,
             as_json: JsonOpt = False) -> None:
    """The progress report of a month or a year, every figure from the records, with the
    paragraphs saved for the period on the report page."""
    from inspections.report_texts import ReportPeriod, saved_texts
    from inspections.reports.progress_report import progress_report
    from web.clock import clock_for
    from web.database import engine_for, init_database
    from web.settings import Settings

    settings = Settings()
    engine = engine_for(settings)
    init_database(engine)
    clock = clock_for(settings, engine)
    try:
        if (month is None) == (year is None):
            raise InspectionError("report progress: give --month YYYY-MM or --year YYYY")
        y, m = _parse_month(month) if month else (year, None)
        given = _file_texts(texts)
        with engine.connect() as conn:
            paragraphs = saved_texts(conn, ReportPeriod(y, m)) | given
            doc = progress_report(conn, year=y, month=m, tz=clock.tz, now=clock.now(),
                                  texts=paragraphs)
    except InspectionError as exc:
        fail(str(exc), as_json=as_json)
    _save(doc, out, engine, settings, f"progress {month or year}", as_json)


@report_app.command("closure")
def closure(reference: Annotated[str | None, typer.Argument(
                help="The case's reference (or give --task).")] = None,
            out: OutOpt = ...,  # type: ignore[assignment]  # required, after the argument
            task: Annotated[int | None, typer.Option(
                help="A rectification task's id: one report for all its sites.")] = None,
            contact_person: Annotated[str | None, typer.Option(help="联系人")] = None,
            contact_phone: Annotated[str | None, typer.Option(help="联系电话")] = None,
            contact_email: Annotated[str | None, typer.Option(help="电子邮箱")] = None,
            as_json: JsonOpt = False) -> None:
    """A case's or a task's closure assessment report (销号评估报告); the contact given here
    over the case's, the task's and the settings'."""
    from inspections.contact import Contact, checked
    from inspections.reports.closure_report import closure_report
    from web.clock import clock_for
    from web.database import engine_for, init_database
    from web.services.report_docs import report_contact
    from web.settings import Settings
    from web.store import file_store

    settings = Settings()
    engine = engine_for(settings)
    init_database(engine)
    clock = clock_for(settings, engine)
    try:
        if (reference is None) == (task is None):
            raise InspectionError("report closure: give a case reference or --task ID")
        given = checked(Contact(contact_person, contact_phone, contact_email), "contact")
        with engine.connect() as conn:
            doc = closure_report(conn, file_store(settings), reference=reference, task_id=task,
                                 tz=clock.tz, contact=given, defaults=report_contact(settings),
                                 issuer=settings.report_issuer, today=clock.today())
    except InspectionError as exc:
        fail(str(exc), as_json=as_json)
    what = f"closure {reference}" if task is None else f"closure task {task}"
    _save(doc, out, engine, settings, what, as_json)
