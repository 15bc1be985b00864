"""Records to and from Excel (.xlsx, openpyxl): a column spec per kind of record, the
template and export written with headers in the reader's language (a frozen header row,
columns fitted to their contents, dates as Excel dates, text cells that Excel would run as a
formula neutralised), and an import that reads every row of every sheet before anything is
stored, naming each bad cell by sheet, row and column, in the reader's language."""

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
from web.services.excel_csv import FORMULA_STARTS, neutralise
from web.services.xlsx_width import fitted_width

Kind = Literal["date", "text", "number", "decimal", "integer", "choice"]
MAX_ROWS = 5000
MIN_WIDTH = 8
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
    """A bad cell (or a bad file, row 0): its Excel row, its column's header, the problem,
    the field the column fills and the sheet it is on."""

    row: int
    column: str
    message: str
    field: str = ""
    sheet: str = ""


@dataclass(frozen=True)
class Parsed:
    """A sheet's rows as (Excel row number, {field: value}), a bad cell's value None, the
    problems found in its cells and the sheet's name."""

    rows: list[tuple[int, dict[str, Any]]]
    problems: list[Problem]
    sheet: str = ""
    present: frozenset[str] = frozenset()  # the fields whose columns the sheet has


@dataclass(frozen=True)
class Sheet:
    """One sheet to write: its title, its columns and its rows ({field: value})."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Mapping[str, Any]]


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
    return write_book([Sheet(title, columns, rows)], lang)


def write_book(sheets: Sequence[Sheet], lang: str) -> bytes:
    """The sheets as one .xlsx, each with its header row frozen and its columns fitted."""
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        _write(book.create_sheet(sheet.title[:31]), sheet, lang)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _write(sheet: Any, spec: Sheet, lang: str) -> None:
    columns = spec.columns
    headers = [t(c.header, lang) for c in columns]
    sheet.append(headers)
    widths = [fitted_width(h, MIN_WIDTH) for h in headers]
    written = 0
    for row in spec.rows:
        cells = [_out(c, row.get(c.field), lang) for c in columns]
        sheet.append(cells)
        widths = [max(w, fitted_width(v, 0)) for w, v in zip(widths, cells, strict=True)]
        written += 1
    if not written:  # a template: room to type in
        widths = [max(w, c.width) for w, c in zip(widths, columns, strict=True)]
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = widths[index - 1]
        if column.kind == "date":
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd"
        if column.kind == "choice":
            names = ",".join(_choice_names(column, lang))
            check = DataValidation(type="list", formula1=f'"{names}"', allow_blank=True)
            sheet.add_data_validation(check)
            check.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    sheet.freeze_panes = "A2"


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
    return restore(str(value).strip()), None


def restore(text: str) -> str:
    """Text as typed before the export neutralised it (the quote put before a formula-like
    start is taken off again, so a record read back is the record written)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _header_map(columns: Sequence[Column], header: Sequence[Any]) -> dict[int, Column]:
    names = {t(c.header, lang).strip(): c for c in columns for lang in ("zh", "en")}
    return {i: names[str(h).strip()] for i, h in enumerate(header)
            if h is not None and str(h).strip() in names}


def _open(data: bytes, lang: str) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """Every sheet of the workbook: its name and its rows' values."""
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SheetRefused([Problem(0, "", t("xlsx.not_xlsx", lang))]) from exc
    try:
        return [(sheet.title, _rows(sheet, lang)) for sheet in book.worksheets]
    finally:
        book.close()


def _rows(sheet: Any, lang: str) -> list[tuple[Any, ...]]:
    rows = []
    for row in sheet.iter_rows(values_only=True):
        rows.append(row)
        if len(rows) > MAX_ROWS + 1:
            raise SheetRefused([Problem(0, "", t("xlsx.too_many", lang, limit=MAX_ROWS),
                                        sheet=sheet.title)])
    return rows


def read_book(data: bytes, lang: str) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """Every sheet of an uploaded workbook, by name, with its rows' values; SheetRefused
    when the file is not a workbook or a sheet is too long."""
    return _open(data, lang)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_sheet(data: bytes, columns: Sequence[Column], lang: str) -> Parsed:
    """Every row of the file's first sheet (blank rows skipped) with the problems of its
    cells; SheetRefused when the file itself is unreadable, empty or lacks a column."""
    sheets = _open(data, lang)
    if not sheets:
        raise SheetRefused([Problem(0, "", t("xlsx.empty", lang))])
    title, rows = sheets[0]
    return parse_rows(rows, columns, lang, title)


def parse_rows(rows: Sequence[tuple[Any, ...]], columns: Sequence[Column], lang: str,
               sheet: str = "") -> Parsed:
    """A sheet's rows (the first its headers) read by the columns, each bad cell a problem
    on the sheet; SheetRefused when it has no rows or lacks a required column."""
    if not rows:
        raise SheetRefused([Problem(0, "", t("xlsx.empty", lang), sheet=sheet)])
    found = _header_map(columns, rows[0])
    missing = [c for c in columns if c.required and c not in found.values()]
    if missing:
        raise SheetRefused([Problem(1, t(c.header, lang), t("xlsx.no_column", lang),
                                    sheet=sheet) for c in missing])
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
                problems.append(Problem(number, t(column.header, lang), problem, column.field,
                                        sheet))
        for column in (c for c in columns if c.required):  # every one of them found
            index = _index(found, column)
            if _blank(row[index] if index < len(row) else None):
                problems.append(Problem(number, t(column.header, lang), t("xlsx.required", lang),
                                        column.field, sheet))
        parsed.append((number, values))
    if not parsed:
        raise SheetRefused([Problem(0, "", t("xlsx.empty", lang), sheet=sheet)])
    return Parsed(parsed, problems, sheet, frozenset(c.field for c in found.values()))


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
        problems += [Problem(number, headers.get(f, ""), m, f, parsed.sheet)
                     for f, m in found.items() if (number, f) not in bad]
        if item is not None:
            checked.append(item)
    if problems:
        raise SheetRefused(sorted(problems, key=lambda p: (
            p.row, fields.index(p.field) if p.field in fields else len(fields))))
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
