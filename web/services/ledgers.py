"""The ledgers (台账) the bureau keeps in Excel, one sheet kind each, in the order a workbook's
sheets are stored (cases before what names them): cases, measures, supervision tickets,
look-back rounds, complaints and enforcement actions. Who may import each is decided where
that kind's permissions live (inspections.case_edit, tickets, round_edit, complaints,
enforcement)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from inspections import complaints, enforcement
from inspections.case_edit import may_edit
from inspections.round_edit import may_plan
from inspections.tickets import may_issue
from web.accounts.users import User
from web.services import (
    case_sheet,
    complaint_sheet,
    enforcement_sheet,
    measure_sheet,
    round_sheet,
    ticket_sheet,
)
from web.services.ledger_kind import Ledger, RowContext


def _complaint_rows(conn: sa.Connection, user: User | None, tz: ZoneInfo) -> list[dict]:
    return complaint_sheet.export_rows(complaints.list_complaints(conn, oldest_first=True))


def _complaint_check(conn: sa.Connection, values: Mapping[str, Any], ctx: RowContext) -> Any:
    return complaint_sheet.check(conn, values, ctx.today, ctx.lang, ctx.seen)


def _action_rows(conn: sa.Connection, user: User | None, tz: ZoneInfo) -> list[dict]:
    return enforcement_sheet.export_rows(enforcement.list_records(conn, oldest_first=True))


def _action_check(conn: sa.Connection, values: Mapping[str, Any], ctx: RowContext) -> Any:
    return enforcement_sheet.check(conn, values, ctx.today, ctx.lang, ctx.seen)


LEDGERS: dict[str, Ledger] = {ledger.code: ledger for ledger in (
    Ledger("cases", "ledger.sheet.cases", case_sheet.COLUMNS, case_sheet.EXPORT_COLUMNS,
           case_sheet.export_rows, case_sheet.check, case_sheet.store, may_edit),
    Ledger("measures", "ledger.sheet.measures", measure_sheet.COLUMNS,
           measure_sheet.EXPORT_COLUMNS, measure_sheet.export_rows, measure_sheet.check,
           measure_sheet.store, may_edit),
    Ledger("tickets", "ledger.sheet.tickets", ticket_sheet.COLUMNS,
           ticket_sheet.EXPORT_COLUMNS, ticket_sheet.export_rows, ticket_sheet.check,
           ticket_sheet.store, may_issue),
    Ledger("lookback_rounds", "ledger.sheet.rounds", round_sheet.COLUMNS,
           round_sheet.EXPORT_COLUMNS, round_sheet.export_rows, round_sheet.check,
           round_sheet.store, may_plan),
    Ledger("complaints", "complaints.sheet", complaint_sheet.COLUMNS,
           complaint_sheet.EXPORT_COLUMNS, _complaint_rows, _complaint_check,
           complaint_sheet.record_all, complaints.may_record, complaints.may_read),
    Ledger("enforcement", "enforcement.sheet", enforcement_sheet.COLUMNS,
           enforcement_sheet.EXPORT_COLUMNS, _action_rows, _action_check,
           enforcement_sheet.record_all, enforcement.may_record, enforcement.may_record),
)}


def ledger_named(name: str) -> Ledger | None:
    """The ledger a sheet's name means (its Chinese or English name, or its code)."""
    wanted = name.strip()
    return next((ledger for ledger in LEDGERS.values() if wanted in ledger.names()), None)
