"""What makes one ledger (台账) sheet: its kind's code, the sheet's name, the columns it
imports and exports, how its rows are read from the records a person (or the command line)
sees, how one row is checked and how the checked rows are stored (a row naming a record that
exists updates it through the domain's functions, any other creates one), and who may do
either. web/services/ledgers.py holds one per kind; web/services/ledger_book.py reads and
writes workbooks of them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from inspections.clock import Clock
from web.accounts.users import User
from web.i18n import t
from web.services.xlsx import Column


@dataclass
class RowContext:
    """What checking a row needs besides its values: today and the zone (the district's
    dates), the reader's language, the importing user, the keys the file's earlier rows
    of the sheet named (each record once per file) and the columns the sheet has."""

    today: date
    tz: ZoneInfo
    lang: str
    user: User
    seen: set[Any] = field(default_factory=set)
    present: frozenset[str] = frozenset()  # the fields whose columns the sheet has

    def given(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The values of the columns the sheet has (a missing column changes nothing)."""
        return {k: v for k, v in values.items() if k in self.present}


Check = Callable[[sa.Connection, Mapping[str, Any], RowContext], tuple[Any, dict[str, str]]]
Store = Callable[[sa.Connection, Sequence[Any], User, Clock], list[int]]
Rows = Callable[[sa.Connection, User | None, ZoneInfo], list[dict[str, Any]]]


@dataclass(frozen=True)
class Ledger:
    """One kind of ledger sheet. A checked row carries `record_id` (None: a new record)."""

    code: str  # cases, measures, tickets, lookback_rounds, complaints, enforcement
    title: str  # message key of the sheet's name
    columns: tuple[Column, ...]
    export_columns: tuple[Column, ...]
    rows: Rows
    check: Check
    store: Store
    may_import: Callable[[str], bool]
    may_export: Callable[[str], bool] = lambda role: True
    after: tuple[str, ...] = ()  # kinds whose sheets are stored first (cases before measures)

    def names(self) -> set[str]:
        """The sheet names that mean this kind: its title in each language, and its code."""
        return {t(self.title, "zh"), t(self.title, "en"), self.code}


def fixed(stored: Any, given: Any, field_name: str, problems: dict[str, str],
          lang: str, where: str) -> None:
    """A column only the workflow changes (a state, a done date...): left blank it is not
    read; filled, it must say what is stored, else a problem saying where it changes."""
    if given is not None and given != stored:
        problems[field_name] = t("ledger.fixed", lang, where=t(where, lang))
