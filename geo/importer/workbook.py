"""Read an Excel workbook (.xlsx) whose rows are points, as a CSV is read: one sheet (named
by --layer when several hold data), its header in the top rows (a ledger's title may sit
above it), every bad coordinate named by sheet, row and column."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from geo.errors import LayerImportError
from geo.importer.points import X_NAMES, Y_NAMES, coordinate_column, find_column

HEADER_ROWS = 10  # how far down the header may sit, below a ledger's title rows
Row = tuple[Any, ...]


def read_workbook(path: Path, *, sheet: str | None, x_field: str | None,
                  y_field: str | None, source: str) -> gpd.GeoDataFrame:
    """The chosen sheet's rows as points (no CRS: the caller declares it), the other
    columns as text attributes."""
    book = _open(path, source)
    try:
        title = _choose(book, sheet, x_field, y_field, source)
        rows = list(book[title].iter_rows(min_row=1, min_col=1, values_only=True))
    finally:
        book.close()
    return _points(rows, title, x_field, y_field, source)


def _open(path: Path, source: str) -> Workbook:
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is no workbook
        raise LayerImportError(source, [f"is not a readable Excel workbook (.xlsx): {exc}"]) \
            from exc


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_index(rows: Sequence[Row], x_field: str | None, y_field: str | None) -> int | None:
    """The first of the top rows naming both coordinate columns."""
    for index, row in enumerate(rows[:HEADER_ROWS]):
        names = [_text(v) for v in row if not _blank(v)]
        if find_column(names, x_field, X_NAMES) and find_column(names, y_field, Y_NAMES):
            return index
    return None


def _choose(book: Workbook, wanted: str | None, x_field: str | None, y_field: str | None,
            source: str) -> str:
    """The sheet `--layer` names; else the only one holding data, or the only one whose
    header names the coordinate columns."""
    titles = [sheet.title for sheet in book.worksheets]  # not chart sheets
    if wanted is not None:
        if wanted not in titles:
            raise LayerImportError(source, [f"has no sheet {wanted!r}; sheets: "
                                            f"{', '.join(titles)}"])
        return wanted
    tops = {t: list(book[t].iter_rows(min_row=1, max_row=HEADER_ROWS, min_col=1,
                                      values_only=True)) for t in titles}
    filled = [t for t in titles if any(not _blank(v) for row in tops[t] for v in row)]
    if len(filled) == 1:
        return filled[0]
    if not filled:
        raise LayerImportError(source, ["holds no data: every sheet is empty"])
    with_points = [t for t in filled if _header_index(tops[t], x_field, y_field) is not None]
    if len(with_points) == 1:
        return with_points[0]
    raise LayerImportError(source, [f"holds {len(filled)} sheets with data "
                                    f"({', '.join(filled)}); choose one with --layer"])


def _names(row: Row) -> list[str]:
    """Column names from a header row: the text, or "column C" when blank; a repeated
    name gets its letter too."""
    names: list[str] = []
    for index, value in enumerate(row):
        letter = get_column_letter(index + 1)
        name = f"column {letter}" if _blank(value) else _text(value)
        names.append(f"{name} ({letter})" if name in names else name)
    return names


def _points(rows: list[Row], title: str, x_field: str | None, y_field: str | None,
            source: str) -> gpd.GeoDataFrame:
    label = f"{source} (sheet {title!r})"
    width = max((len(r) for r in rows), default=0)
    rows = [tuple(r) + (None,) * (width - len(r)) for r in rows]
    header = _header_index(rows, x_field, y_field)
    if header is None:  # say which columns there are: those of the fullest top row
        filled = [sum(not _blank(v) for v in r) for r in rows[:HEADER_ROWS]]
        if not any(filled):
            raise LayerImportError(label, ["is empty"])
        header = filled.index(max(filled))
    names = _names(rows[header])
    x_col = coordinate_column(names, x_field, X_NAMES, "--x-field", label)
    y_col = coordinate_column(names, y_field, Y_NAMES, "--y-field", label)
    body = [(number, row) for number, row in enumerate(rows[header + 1:], start=header + 2)
            if not all(map(_blank, row))]
    xs, x_problems = _coordinates(body, names.index(x_col), x_col, title)
    ys, y_problems = _coordinates(body, names.index(y_col), y_col, title)
    problems = sorted(x_problems + y_problems, key=lambda p: p[0])
    if problems:
        raise LayerImportError(source, [text for _, text in problems])
    unused = {n for i, n in enumerate(names)  # columns with neither a header nor a value
              if _blank(rows[header][i]) and all(_blank(r[i]) for _, r in body)}
    attrs = pd.DataFrame([[_text(v) for v in row] for _, row in body], columns=names,
                         dtype=str).drop(columns=list({x_col, y_col} | unused))
    return gpd.GeoDataFrame(attrs, geometry=gpd.points_from_xy(xs, ys), crs=None)


def _coordinates(body: list[tuple[int, Row]], index: int, name: str,
                 title: str) -> tuple[list[float], list[tuple[tuple[int, int], str]]]:
    """One coordinate column's numbers, and a problem naming each bad cell."""
    values: list[float] = []
    problems = []
    letter = get_column_letter(index + 1)
    for number, row in body:
        value = row[index]
        where = f"sheet {title!r}, row {number}, column {letter} ({name})"
        number_value = _number(value)
        if number_value is None:
            what = "is empty" if _blank(value) else f"{_text(value)!r} is not a number"
            problems.append(((number, index), f"{where}: {what}"))
            number_value = float("nan")
        values.append(number_value)
    return values, problems


def _number(value: Any) -> float | None:
    """A finite number from a numeric cell or a cell of text holding one; else None."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _text(value: Any) -> str:
    """A cell as text, the way Excel shows it: 331002 not 331002.0, dates without a time
    at midnight."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else \
            value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()
