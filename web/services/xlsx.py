"""Records to and from Excel (.xlsx, openpyxl): a column spec per kind of record, the
template and export written with headers in the reader's language (text cells that Excel
would run as a formula neutralised), and an import that reads every row before anything is
stored, naming each bad cell by row and column, in the reader's language."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any, Literal
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from web.i18n import t
from web.services.excel_csv import neutralise

Kind = Literal["date", "text", "number", "decimal", "integer", "choice"]
MAX_ROWS = 5000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


@dataclass(frozen=True)
class Column:
    """One column of a sheet: the field it fills, its header's message key, what it holds
    and, for a choice, the codes and the prefix of their names in the catalog."""

    field: str
    header: str
    kind: Kind = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    prefix: str = ""
    width: int = 14


@dataclass(frozen=True)
class Problem:
    """A bad cell (or a bad file, row 0): its Excel row, its column's header, the problem
    and the field the column fills."""

    row: int
    column: str
    message: str
    field: str = ""


@dataclass(frozen=True)
class Parsed:
    """A sheet's rows as (Excel row number, {field: value}), a bad cell's value None, and
    the problems found in its cells."""

    rows: list[tuple[int, dict[str, Any]]]
    problems: list[Problem]


class SheetRefused(Exception):
    """The file was not imported: every problem found, in the reader's language."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(f"{p.row} {p.column}: {p.message}" for p in problems))
        self.problems = list(problems)


def _choice_names(column: Column, lang: str) -> dict[str, str]:
    return {t(column.prefix + code, lang): code for code in column.choices}


def write_sheet(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]], lang: str,
                title: str) -> bytes:
    """The rows as an .xlsx (the template when there are none): named headers, choices by
    their names, dates as dates, formula-like text neutralised."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([t(c.header, lang) for c in columns])
    for row in rows:
        sheet.append([_out(c, row.get(c.field), lang) for c in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.kind == "date":
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd"
        if column.kind == "choice":
            names = ",".join(_choice_names(column, lang))
            check = DataValidation(type="list", formula1=f'"{names}"', allow_blank=True)
            sheet.add_data_validation(check)
            check.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    sheet.freeze_panes = "A2"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _out(column: Column, value: Any, lang: str) -> Any:
    if value is None:
        return None
    if column.kind == "choice":
        return t(column.prefix + value, lang)
    if isinstance(value, Decimal):
        return float(value)
    return neutralise(value)


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = DATE_TEXT.match(str(value))
    if match is None:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def parse_cell(column: Column, value: Any, lang: str) -> tuple[Any, str | None]:
    """The cell's value as the field wants it, or the problem (in `lang`)."""
    if column.kind == "date":
        day = _date(value)
        return (day, None) if day else (None, t("xlsx.not_date", lang, value=value))
    if column.kind == "choice":
        names = _choice_names(column, lang) | _choice_names(column, "zh")
        code = names.get(str(value).strip(), str(value).strip()
                         if str(value).strip() in column.choices else None)
        return (code, None) if code else (None, t("xlsx.not_choice", lang, value=value,
                                                  choices="、".join(_choice_names(column, lang))))
    if column.kind in ("number", "decimal", "integer"):
        number = _number(value)
        if number is None or (column.kind == "integer" and number != number.to_integral()):
            return None, t("xlsx.not_integer" if column.kind == "integer" else
                           "xlsx.not_number", lang, value=value)
        return (int(number) if column.kind == "integer" else
                number if column.kind == "decimal" else float(number)), None
    return str(value).strip(), None


def _header_map(columns: Sequence[Column], header: Sequence[Any]) -> dict[int, Column]:
    names = {t(c.header, lang).strip(): c for c in columns for lang in ("zh", "en")}
    return {i: names[str(h).strip()] for i, h in enumerate(header)
            if h is not None and str(h).strip() in names}


def _open(data: bytes, lang: str) -> list[tuple[Any, ...]]:
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SheetRefused([Problem(0, "", t("xlsx.not_xlsx", lang))]) from exc
    try:
        rows = []
        for row in book.worksheets[0].iter_rows(values_only=True):
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                raise SheetRefused([Problem(0, "", t("xlsx.too_many", lang, limit=MAX_ROWS))])
        return rows
    finally:
        book.close()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_sheet(data: bytes, columns: Sequence[Column], lang: str) -> Parsed:
    """Every row of the file's first sheet (blank rows skipped) with the problems of its
    cells; SheetRefused when the file itself is unreadable, empty or lacks a column."""
    rows = _open(data, lang)
    if not rows:
        raise SheetRefused([Problem(0, "", t("xlsx.empty", lang))])
    found = _header_map(columns, rows[0])
    missing = [c for c in columns if c.required and c not in found.values()]
    if missing:
        raise SheetRefused([Problem(1, t(c.header, lang), t("xlsx.no_column", lang))
                            for c in missing])
    parsed, problems = [], []
    for number, row in enumerate(rows[1:], start=2):
        if all(_blank(v) for v in row):
            continue
        values: dict[str, Any] = {c.field: None for c in columns}
        for index, column in found.items():
            raw = row[index] if index < len(row) else None
            if _blank(raw):
                continue
            values[column.field], problem = parse_cell(column, raw, lang)
            if problem:
                problems.append(Problem(number, t(column.header, lang), problem, column.field))
        for column in columns:
            index = _index(found, column)
            if column.required and _blank(row[index] if index < len(row) else None):
                problems.append(Problem(number, t(column.header, lang), t("xlsx.required", lang),
                                        column.field))
        parsed.append((number, values))
    if not parsed:
        raise SheetRefused([Problem(0, "", t("xlsx.empty", lang))])
    return Parsed(parsed, problems)


def _index(found: dict[int, Column], column: Column) -> int:
    return next(i for i, c in found.items() if c is column)


def check_all(parsed: Parsed, columns: Sequence[Column], lang: str,
              check: Callable[[dict[str, Any]], tuple[Any, dict[str, str]]]) -> list[Any]:
    """Every row of a read sheet checked by `check` (the checked record, or the problems by
    field); SheetRefused naming each bad row and column (a cell's own problem first, none
    twice) otherwise."""
    fields = [c.field for c in columns]
    headers = {c.field: t(c.header, lang) for c in columns}
    checked, problems = [], list(parsed.problems)
    bad = {(p.row, p.field) for p in problems}
    for number, values in parsed.rows:
        item, found = check(values)
        problems += [Problem(number, headers[f], m, f) for f, m in found.items()
                     if (number, f) not in bad]
        if item is not None:
            checked.append(item)
    if problems:
        raise SheetRefused(sorted(problems, key=lambda p: (p.row, fields.index(p.field))))
    return checked


def parse_fields(form: Mapping[str, str], columns: Sequence[Column],
                 lang: str) -> tuple[dict[str, Any], dict[str, str]]:
    """A web form's fields read as the sheet's cells are (a bad one None), and the problems
    by field."""
    values: dict[str, Any] = {c.field: None for c in columns}
    problems: dict[str, str] = {}
    for column in columns:
        raw = (form.get(column.field) or "").strip()
        if not raw:
            if column.required:
                problems[column.field] = t("xlsx.required", lang)
            continue
        values[column.field], problem = parse_cell(column, raw, lang)
        if problem:
            problems[column.field] = problem
    return values, problems
