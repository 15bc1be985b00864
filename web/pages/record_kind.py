"""What makes one kind of record page (complaints, enforcement, checks, organisation): its
path, columns, list query, coded filter, form template, permissions and message prefix. The
routes and templates in web/pages/record_routes.py serve every kind from its RecordKind."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import sqlalchemy as sa

from inspections.clock import Clock
from web.accounts.users import User
from web.services.xlsx import Column

Show = Literal["day", "chip", "summary", "text", "money", "num", "case", "cases"]
Validate = Callable[[sa.Connection, Mapping[str, Any], date, str, set | None],
                 tuple[Any, dict[str, str]]]
Record = Callable[[sa.Connection, Sequence[Any], User, Clock], list[int]]


@dataclass(frozen=True)
class ListColumn:
    """A column of the list's table: the row's field it shows, its header's message key and
    how it shows (a date, a chip named by `prefix` + code, the summary, plain text, money,
    a number, the case as a link, a list of cases as links); a chip's colour is the state
    in the row's `tone` field (grey without one)."""

    field: str
    header: str
    show: Show = "text"
    prefix: str = ""
    tone: str = ""


@dataclass(frozen=True)
class Coded:
    """The list's filter by a coded column: the URL parameter, the codes, the prefix of
    their names in the catalog and the filter's label."""

    param: str
    choices: tuple[str, ...]
    prefix: str
    label: str


@dataclass(frozen=True)
class Ids:
    """The element ids the pages (and their tests) find: the count, the new-record button,
    the table and the form."""

    count: str
    new: str
    table: str
    form: str


@dataclass(frozen=True)
class RecordKind:
    """One kind of record page. `msg` prefixes its own messages (title, count, new, none,
    none_hint, search, imported, recorded, import_confirm, confirm, sheet); `listed` finds
    the records by the filters, `rows` turns them into the table's and the export's rows;
    `check` and `record` take one form's or sheet row's values into the database."""

    path: str
    msg: str
    columns: tuple[Column, ...]
    export_columns: tuple[Column, ...]
    list_columns: tuple[ListColumn, ...]
    coded: Coded
    ids: Ids
    form_template: str
    listed: Callable[..., Sequence[Any]]
    rows: Callable[[Sequence[Any]], list[dict[str, Any]]]
    check: Validate
    record: Record
    may_read: Callable[[str], bool]
    may_record: Callable[[str], bool]
    noun: str  # the records' English name, for refusals in the logs
    date_field: str
    photos: bool = False  # the form sends photos (stored through the upload path)
    form_context: Callable[[sa.Connection], dict[str, Any]] = field(default=lambda conn: {})
    created_url: Callable[[int], str] | None = None  # where the form goes once recorded
    money: Callable[[Any, str], str] | None = None
