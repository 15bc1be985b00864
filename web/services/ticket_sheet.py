"""The supervision ticket ledger (督办单台账) sheet: one row per ticket, named by its number.
A row whose number exists updates the ticket while it is issued and not yet answered
(edit_ticket); a row without a number issues a new one (issue_ticket numbers it). The state,
the answer and the case change only on the ticket's page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from inspections.clock import Clock
from inspections.schema import TICKET_STATES, cases, tickets
from inspections.ticket_edit import EDITABLE, edit_ticket, may_edit
from inspections.tickets import Ticket, issue_ticket, list_tickets
from web.accounts.users import User
from web.i18n import t
from web.services.ledger_kind import RowContext, fixed
from web.services.record_links import case_id_of
from web.services.records import tickets_for
from web.services.xlsx import Column

LIMITS = {"responsible_unit": 100, "copy_to_leader": 100}
COLUMNS = (
    Column("number", "ledger.col.ticket_number", width=14),
    Column("case_reference", "complaints.case", width=16),
    Column("responsible_unit", "cases.unit", required=True, width=20),
    Column("copy_to_leader", "ledger.col.copy_to", width=10),
    Column("deadline", "ledger.col.ticket_deadline", "date", required=True, width=12),
    Column("request", "tickets.request", required=True, width=40),
    Column("state", "cases.state", "choice", choices=TICKET_STATES, prefix="ticket.", width=12),
)
EXPORT_COLUMNS = (*COLUMNS,
                  Column("issued_on", "ledger.col.issued_on", "date", width=12),
                  Column("issued_by", "ledger.col.issued_by", width=10),
                  Column("response", "ledger.col.response", width=40),
                  Column("responded_on", "ledger.col.responded_on", "date", width=12))
WHERE = "ledger.where.ticket"


@dataclass(frozen=True)
class Checked:
    """One row, checked: the ticket it updates (None: a new one), its case and values."""

    record_id: int | None
    case_id: int | None
    values: dict[str, Any]


def _day(at: Any, tz: ZoneInfo) -> Any:
    return None if at is None else at.astimezone(tz).date()


def _references(conn: sa.Connection) -> dict[int, str]:
    return dict(conn.execute(sa.select(cases.c.id, cases.c.reference)).all())


def _row(x: Ticket, references: Mapping[int, str], tz: ZoneInfo) -> dict[str, Any]:
    return {"number": x.number, "case_reference": references.get(x.case_id or 0),
            "responsible_unit": x.responsible_unit, "copy_to_leader": x.copy_to_leader,
            "deadline": x.deadline, "request": x.request, "state": x.state,
            "issued_on": _day(x.issued_at, tz), "issued_by": x.issued_by,
            "response": x.response, "responded_on": _day(x.responded_at, tz)}


def export_rows(conn: sa.Connection, user: User | None, tz: ZoneInfo) -> list[dict[str, Any]]:
    """The tickets the user sees (all for the command line), by number."""
    found = tickets_for(conn, user) if user is not None else list_tickets(conn)
    references = _references(conn)
    return [_row(x, references, tz)
            for x in sorted(found, key=lambda x: (x.issued_at.year, len(x.number), x.number))]


def _stored(conn: sa.Connection, number: str) -> sa.RowMapping | None:
    return conn.execute(sa.select(tickets, cases.c.reference)
                        .outerjoin(cases, cases.c.id == tickets.c.case_id)
                        .where(tickets.c.number == number)).mappings().first()


def _existing_problems(row: sa.RowMapping, values: Mapping[str, Any],
                       ctx: RowContext) -> dict[str, str]:
    problems: dict[str, str] = {}
    fixed(row["state"], values["state"], "state", problems, ctx.lang, WHERE)
    fixed(row["reference"], values["case_reference"], "case_reference", problems, ctx.lang,
          WHERE)
    wanted = {k: v for k, v in ctx.given(values).items() if k in EDITABLE}
    if "copy_to_leader" in wanted:
        wanted["copy_to_leader"] = wanted["copy_to_leader"] or None
    diff = [k for k, v in wanted.items() if v != row[k]]
    if not diff or problems:
        return problems
    if not may_edit(ctx.user.actor, row["issued_by"]):
        problems[diff[0]] = t("ledger.ticket_not_yours", ctx.lang, issuer=row["issued_by"])
    elif row["state"] != "issued":
        problems[diff[0]] = t("ledger.ticket_answered", ctx.lang,
                              state=t(f"ticket.{row['state']}", ctx.lang))
    elif "deadline" in diff and values["deadline"] < ctx.today:
        problems["deadline"] = t("ledger.deadline_past", ctx.lang,
                                 today=t("complaints.day", ctx.lang, day=ctx.today))
    return problems


def _new_problems(values: Mapping[str, Any], ctx: RowContext) -> dict[str, str]:
    problems: dict[str, str] = {}
    if values["state"] not in (None, "issued"):
        problems["state"] = t("ledger.new_state", ctx.lang, state=t("ticket.issued", ctx.lang))
    if values["deadline"] is not None and values["deadline"] < ctx.today:
        problems["deadline"] = t("ledger.deadline_past", ctx.lang,
                                 today=t("complaints.day", ctx.lang, day=ctx.today))
    return problems


def check(conn: sa.Connection, values: Mapping[str, Any],
          ctx: RowContext) -> tuple[Checked | None, dict[str, str]]:
    """One row checked against the rules and the ticket it names, if any."""
    problems = {name: t("complaints.too_long", ctx.lang, limit=limit)
                for name, limit in LIMITS.items()
                if values[name] is not None and len(values[name]) > limit}
    number = values["number"]
    row = _stored(conn, number) if number else None
    if number and row is None:
        problems["number"] = t("ledger.no_ticket", ctx.lang, number=number)
    elif number in ctx.seen:
        problems["number"] = t("ledger.twice", ctx.lang, key=number)
    if number:
        ctx.seen.add(number)
    case_id = None
    if values["case_reference"] and row is None:
        case_id, problem = case_id_of(conn, values["case_reference"], ctx.lang)
        if problem:
            problems["case_reference"] = problem
    problems |= (_existing_problems(row, values, ctx) if row is not None
                 else _new_problems(values, ctx) if not number else {})
    if problems or None in (values["responsible_unit"], values["deadline"], values["request"]):
        return None, problems
    return Checked(row["id"] if row else None, case_id, ctx.given(values)), {}


def _save(conn: sa.Connection, item: Checked, user: User, clock: Clock) -> int:
    v = item.values
    if item.record_id is None:
        return issue_ticket(conn, actor=user.actor, clock=clock,
                            responsible_unit=v["responsible_unit"], deadline=v["deadline"],
                            request=v["request"], case_id=item.case_id,
                            copy_to_leader=v.get("copy_to_leader"))
    edit_ticket(conn, ticket_id=item.record_id, actor=user.actor, clock=clock,
                values={k: v[k] for k in EDITABLE if k in v})
    return item.record_id


def store(conn: sa.Connection, items: Sequence[Checked], user: User,
          clock: Clock) -> list[int]:
    """Issue or update the checked tickets (in the caller's transaction); their ids."""
    return [_save(conn, i, user, clock) for i in items]
