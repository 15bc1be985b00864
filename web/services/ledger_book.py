"""Ledger workbooks (台账): the export of one or more ledgers as sheets of one .xlsx, and the
import of a workbook whose every sheet is a ledger named by the sheet's name. An import reads
and checks every row of every sheet before it stores anything, in one transaction (the
caller's): a single bad row, named by sheet, row and column in the reader's language, and
nothing is imported."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from inspections.clock import Clock
from inspections.errors import InspectionError, NotAllowed
from web.accounts.users import User
from web.i18n import t
from web.services.ledger_kind import Ledger, RowContext
from web.services.ledgers import LEDGERS, ledger_named
from web.services.xlsx import (
    Problem,
    Sheet,
    SheetRefused,
    check_all,
    parse_rows,
    read_book,
    write_book,
)


@dataclass
class Imported:
    """What an import stored: per ledger code, the rows that created a record and those
    that named one already there (changed when they differed)."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def total(self) -> int:
        """Every row stored."""
        return sum(self.created.values()) + sum(self.updated.values())


def may_export(user: User | None, codes: Sequence[str]) -> None:
    """NotAllowed unless the user (None: the command line) may export every ledger asked."""
    for code in codes:
        if user is not None and not LEDGERS[code].may_export(user.role):
            raise NotAllowed(f"role {user.role!r} may not export the {code} ledger")


def _kept(rows: list[dict[str, Any]], filters: Mapping[str, str]) -> list[dict[str, Any]]:
    """The rows whose columns named by a filter hold its value (a ledger without the column
    is not filtered by it)."""
    return [r for r in rows if all(r.get(k, v) == v for k, v in filters.items())]


def export_book(conn: sa.Connection, codes: Sequence[str], user: User | None, clock: Clock,
                lang: str, filters: Mapping[str, str] | None = None) -> bytes:
    """The ledgers as sheets of one workbook, with what the user (None: everyone) sees,
    filtered (e.g. {"state": "closed"}) where a ledger has the column."""
    may_export(user, codes)
    return write_book([Sheet(t(LEDGERS[c].title, lang), LEDGERS[c].export_columns,
                             _kept(LEDGERS[c].rows(conn, user, clock.tz), filters or {}))
                       for c in codes], lang)


def _sheets(data: bytes, user: User, lang: str) -> list[tuple[Ledger, str, list[Any]]]:
    """The workbook's sheets with their ledgers, in storing order; SheetRefused naming each
    sheet that is no ledger, is one twice, or that the user may not import."""
    found, problems, seen = [], [], set()
    known = "、".join(t(ledger.title, lang) for ledger in LEDGERS.values())
    for title, rows in read_book(data, lang):
        ledger = ledger_named(title)
        if not any(any(v is not None for v in row) for row in rows[1:]):
            continue  # no rows: an empty ledger as exported, or Excel's empty Sheet2
        if ledger is None:
            problems.append(Problem(0, "", t("ledger.unknown_sheet", lang, names=known),
                                    sheet=title))
        elif ledger.code in seen:
            problems.append(Problem(0, "", t("ledger.sheet_twice", lang), sheet=title))
        elif not ledger.may_import(user.role):
            problems.append(Problem(0, "", t("ledger.not_allowed", lang), sheet=title))
        else:
            seen.add(ledger.code)
            found.append((ledger, title, rows))
    if problems:
        raise SheetRefused(problems)
    if not found:
        raise SheetRefused([Problem(0, "", t("xlsx.empty", lang))])
    order = list(LEDGERS)
    return sorted(found, key=lambda item: order.index(item[0].code))


def _store(conn: sa.Connection, ledger: Ledger, title: str, checked: list[Any], user: User,
           clock: Clock, lang: str, done: Imported) -> None:
    try:
        ledger.store(conn, checked, user, clock)
    except InspectionError as exc:  # a rule the checks did not foresee: still nothing stored
        raise SheetRefused([Problem(0, "", t("ledger.refused", lang, reason=str(exc)),
                                    sheet=title)]) from exc
    new = sum(1 for item in checked if item.record_id is None)
    done.created[ledger.code] = new
    done.updated[ledger.code] = len(checked) - new


def import_book(conn: sa.Connection, data: bytes, user: User, clock: Clock,
                lang: str) -> Imported:
    """Import every sheet of the workbook in the caller's transaction, upserting each row;
    SheetRefused with every problem found (the caller rolls back) otherwise. A sheet is
    stored only while no earlier one was refused, so later sheets may name records that
    earlier ones create, and every sheet is still checked."""
    done, problems = Imported(), []
    for ledger, title, rows in _sheets(data, user, lang):
        try:
            parsed = parse_rows(rows, ledger.columns, lang, title)
            ctx = RowContext(clock.today(), clock.tz, lang, user, present=parsed.present)
            checked = check_all(parsed, ledger.columns, lang,
                                lambda values, lg=ledger, cx=ctx: lg.check(conn, values, cx))
            if not problems:
                _store(conn, ledger, title, checked, user, clock, lang, done)
        except SheetRefused as refused:
            problems += refused.problems
    if problems:
        raise SheetRefused(problems)
    return done
