"""`lookback import ledger FILE.xlsx --as NAME`: a ledger workbook (台账; each sheet's name
says its ledger) imported as a named account, all rows or none; each problem printed by
sheet, row and column in the installation's language."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from web.cli.audit_messages import anchor_or_stop, say_anchored
from web.cli.layers import JsonOpt
from web.cli.output import emit_json, error, fail
from web.i18n import t

LedgerFile = Annotated[Path, typer.Argument(
    help="The workbook (.xlsx), one ledger a sheet: 案件, 整改措施, 督办单, 回头看, 信访举报, "
         "执法记录.")]
AsOpt = Annotated[str, typer.Option("--as", help="The account the import is done as (its "
                                                 "role decides what it may import; the audit "
                                                 "log names it).")]


def problem_line(p: object, lang: str) -> str:
    """One problem as the pages word it: sheet, row and column when it has them."""
    sheet, row, column, message = (getattr(p, k) for k in ("sheet", "row", "column", "message"))
    if row and sheet:
        return t("ledger.sheet_problem", lang, sheet=sheet, row=row, column=column,
                 message=message)
    if row:
        return t("complaints.row_problem", lang, row=row, column=column, message=message)
    return t("ledger.sheet_file_problem", lang, sheet=sheet, message=message) if sheet \
        else message


def import_ledger(file: LedgerFile, actor: AsOpt, as_json: JsonOpt = False) -> None:
    """Import a ledger workbook: a row whose reference exists updates that record (audited),
    a new one creates a record; one bad row and nothing is imported."""
    from web.accounts.users import find_user
    from web.clock import clock_for
    from web.database import engine_for, init_database
    from web.services.audit_anchors import anchor_fields
    from web.services.ledger_book import import_book
    from web.services.ledgers import LEDGERS
    from web.services.xlsx import SheetRefused
    from web.settings import Settings

    settings = Settings()
    lang = settings.language
    if not file.is_file():
        fail(f"{file}: no such file", as_json=as_json)
    engine = engine_for(settings)
    init_database(engine)
    with engine.connect() as conn:
        found = find_user(conn, actor)
    if found is None or not found[0].active:
        fail(f"--as {actor}: no such active account", as_json=as_json)
    user = found[0]
    try:
        with engine.begin() as conn:
            done = import_book(conn, file.read_bytes(), user, clock_for(settings, engine), lang)
    except SheetRefused as refused:
        lines = [problem_line(p, lang) for p in refused.problems]
        if as_json:
            emit_json({"error": t("complaints.import_refused", lang), "problems": lines})
            raise typer.Exit(1) from None
        error(t("complaints.import_refused", lang))
        for line in lines:
            typer.echo(f"  {line}", err=True)
        raise typer.Exit(1) from None
    anchor = anchor_or_stop(engine, settings, "import ledger", as_json=as_json)
    if as_json:
        emit_json({"file": str(file), "created": done.created, "updated": done.updated,
                   "audit_anchor": anchor_fields(anchor)})
        return
    sheets = "；".join(t("cli.ledger_sheet", lang, name=t(LEDGERS[code].title, lang),
                         created=done.created[code], updated=done.updated[code])
                       for code in done.created)
    typer.echo(t("cli.ledger_imported", lang, path=file, sheets=sheets))
    say_anchored(anchor, settings)
