"""The measure ledger (整改措施台账) sheet: one row per measure, named by its case's
reference and its position (序号). A row naming a measure that exists rewords it
(edit_measure); a new position, or none, adds one to the case (add_measure). Whether and
when a measure was done is recorded on the case's page, with its evidence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from inspections.case_edit import MEASURE_STATES, add_measure, edit_measure
from inspections.cases import Case, Measure, list_cases
from inspections.clock import Clock
from web.accounts.users import User
from web.i18n import t
from web.services.case_sheet import case_or_none
from web.services.ledger_kind import RowContext, fixed
from web.services.records import cases_for
from web.services.xlsx import Column

COLUMNS = (
    Column("case_reference", "complaints.case", required=True, width=16),
    Column("position", "ledger.col.position", "integer", width=6),
    Column("text", "ledger.col.measure", required=True, width=40),
    Column("done_on", "ledger.col.done_on", "date", width=12),
    Column("note", "ledger.col.done_note", width=30),
)
EXPORT_COLUMNS = COLUMNS
WHERE = "ledger.where.case"


@dataclass(frozen=True)
class Checked:
    """One row, checked: its case, the measure's position (None: after the last) and text,
    and whether the measure exists."""

    case_id: int
    position: int | None
    text: str
    record_id: int | None


def _row(case: Case, m: Measure, tz: ZoneInfo) -> dict[str, Any]:
    return {"case_reference": case.reference, "position": m.position, "text": m.text,
            "done_on": None if m.done_at is None else m.done_at.astimezone(tz).date(),
            "note": m.note}


def export_rows(conn: sa.Connection, user: User | None, tz: ZoneInfo) -> list[dict[str, Any]]:
    """The measures of the cases the user sees, by case reference and position."""
    found = cases_for(conn, user) if user is not None else list_cases(conn)
    return [_row(c, m, tz) for c in sorted(found, key=lambda c: c.reference)
            for m in c.measures]


def _measure_problems(case: Case, measure: Measure | None, values: Mapping[str, Any],
                      ctx: RowContext) -> dict[str, str]:
    problems: dict[str, str] = {}
    state = t(f"state.{case.state}", ctx.lang)
    if measure is None:
        if values["done_on"] is not None or values["note"] is not None:
            problems["done_on"] = t("ledger.fixed", ctx.lang, where=t(WHERE, ctx.lang))
        if case.state not in MEASURE_STATES:
            problems["text"] = t("ledger.measure_state", ctx.lang, state=state)
        return problems
    done = None if measure.done_at is None else measure.done_at.astimezone(ctx.tz).date()
    fixed(done, values["done_on"], "done_on", problems, ctx.lang, WHERE)
    fixed(measure.note, values["note"], "note", problems, ctx.lang, WHERE)
    if values["text"] is not None and values["text"] != measure.text:
        if measure.done_at is not None:
            problems["text"] = t("ledger.measure_done", ctx.lang)
        elif case.state not in MEASURE_STATES:
            problems["text"] = t("ledger.measure_state", ctx.lang, state=state)
    return problems


def check(conn: sa.Connection, values: Mapping[str, Any],
          ctx: RowContext) -> tuple[Checked | None, dict[str, str]]:
    """One row checked against its case and the measure it names, if any."""
    reference, position = values["case_reference"], values["position"]
    if reference is None:
        return None, {}
    case = case_or_none(conn, reference)
    if case is None:
        return None, {"case_reference": t("complaints.no_case", ctx.lang, reference=reference)}
    problems: dict[str, str] = {}
    if position is not None:
        if position < 1:
            problems["position"] = t("ledger.position", ctx.lang)
        elif (reference, position) in ctx.seen:
            problems["position"] = t("ledger.twice", ctx.lang, key=f"{reference} {position}")
        ctx.seen.add((reference, position))
    measure = next((m for m in case.measures if m.position == position), None)
    problems |= _measure_problems(case, measure, values, ctx)
    if problems or values["text"] is None:
        return None, problems
    return Checked(case.id, position, values["text"], measure.id if measure else None), {}


def _save(conn: sa.Connection, item: Checked, user: User, clock: Clock) -> int:
    if item.record_id is None:
        return add_measure(conn, case_id=item.case_id, actor=user.actor, clock=clock,
                           text=item.text, position=item.position)
    assert item.position is not None
    edit_measure(conn, case_id=item.case_id, position=item.position, actor=user.actor,
                 clock=clock, text=item.text)
    return item.record_id


def store(conn: sa.Connection, items: Sequence[Checked], user: User,
          clock: Clock) -> list[int]:
    """Add or reword the checked measures (in the caller's transaction); their ids. Those
    given a position come first, so a new one after the last does not take theirs."""
    ordered = sorted(items, key=lambda i: i.position is None)
    return [_save(conn, i, user, clock) for i in ordered]
