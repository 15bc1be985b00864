"""Ledger workbooks (台账) for the tests: read an exported one, edit a cell or add a row with
openpyxl as a clerk's Excel would, keep only some sheets; and the demo's records to edit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from io import BytesIO
from typing import Any

import sqlalchemy as sa
from openpyxl import load_workbook

from geo.db import create_engine


def _save(book: Any) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _column(sheet: Any, header: str) -> int:
    headers = [c.value for c in sheet[1]]
    return headers.index(header) + 1


def rows_of(data: bytes, sheet: str) -> list[dict[str, Any]]:
    """A sheet's rows as {header: value}."""
    book = load_workbook(BytesIO(data))
    values = list(book[sheet].iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=False)) for row in values[1:]]


def row_number(data: bytes, sheet: str, **match: Any) -> int:
    """The Excel row (from 2) of the first row whose cells hold `match` ({header: value})."""
    for number, row in enumerate(rows_of(data, sheet), start=2):
        if all(row.get(k) == v for k, v in match.items()):
            return number
    raise AssertionError(f"no row of {sheet} with {match}")


def edit(data: bytes, sheet: str, row: int, changes: Mapping[str, Any]) -> bytes:
    """The workbook with cells of one row changed ({header: new value})."""
    book = load_workbook(BytesIO(data))
    page = book[sheet]
    for header, value in changes.items():
        page.cell(row=row, column=_column(page, header), value=value)
    return _save(book)


def append(data: bytes, sheet: str, cells: Mapping[str, Any]) -> bytes:
    """The workbook with a row added to a sheet ({header: value}, the rest empty)."""
    book = load_workbook(BytesIO(data))
    page = book[sheet]
    headers = [c.value for c in page[1]]
    page.append([cells.get(h) for h in headers])
    return _save(book)


def only(data: bytes, sheets: Sequence[str]) -> bytes:
    """The workbook with only these sheets."""
    book = load_workbook(BytesIO(data))
    for name in book.sheetnames:
        if name not in sheets:
            book.remove(book[name])
    return _save(book)


def query(url: str, sql: str, **params: Any) -> list[sa.Row]:
    """Rows of a query on the database."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.text(sql), params))
    finally:
        engine.dispose()


def open_case_with_measure(url: str) -> tuple[str, int, str]:
    """A case being worked on with a measure not yet done: its reference, the measure's
    position and text."""
    found = query(url, "SELECT c.reference, m.position, m.text FROM cases c JOIN measures m "
                       "ON m.case_id = c.id WHERE c.state IN ('open', 'rectifying') AND "
                       "m.done_at IS NULL ORDER BY c.reference, m.position")
    return found[0][0], found[0][1], found[0][2]


def audit_count(url: str, action: str) -> int:
    """How many audit entries of an action there are."""
    return query(url, "SELECT count(*) FROM audit_log WHERE action = :a", a=action)[0][0]
