"""The look-back ledger (回头看台账) sheet: one row per round, named by its case's reference
and its number (轮次). A row naming a round that exists moves its window or changes its
agency while it is scheduled (edit_round); a new number adds a round to a closed case
(add_round). Reviews and their outcome are recorded on the round's review page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from inspections.clock import Clock
from inspections.lookbacks import Round, list_rounds
from inspections.round_edit import add_round, edit_round
from inspections.schema import ROUND_STATES, lookback_rounds
from web.accounts.users import User
from web.i18n import t
from web.services.case_sheet import case_or_none
from web.services.ledger_kind import RowContext, fixed
from web.services.records import rounds_for
from web.services.xlsx import Column

COLUMNS = (
    Column("case_reference", "complaints.case", required=True, width=16),
    Column("number", "export.col.number", "integer", required=True, width=6),
    Column("first_day", "ledger.col.window_start", "date", required=True, width=12),
    Column("last_day", "ledger.col.window_end", "date", required=True, width=12),
    Column("agency", "export.col.agency", width=20),
    Column("state", "cases.state", "choice", choices=ROUND_STATES, prefix="round.", width=12),
)
EXPORT_COLUMNS = (*COLUMNS,
                  Column("reviewed_on", "ledger.col.reviewed_on", "date", width=12),
                  Column("reviewed_by", "ledger.col.reviewed_by", width=10),
                  Column("note", "ledger.col.review_note", width=40),
                  Column("evidence", "export.col.evidence", "integer", width=8))
WHERE = "ledger.where.round"


@dataclass(frozen=True)
class Checked:
    """One row, checked: the round it updates (None: a new one of `case_id`) and values."""

    record_id: int | None
    case_id: int
    values: dict[str, Any]


def _row(r: Round, tz: ZoneInfo) -> dict[str, Any]:
    return {"case_reference": r.case_reference, "number": r.number,
            "first_day": r.window_start.astimezone(tz).date(),
            "last_day": r.window_end.astimezone(tz).date(), "agency": r.agency,
            "state": r.state, "reviewed_by": r.reviewed_by, "note": r.note,
            "reviewed_on": None if r.reviewed_at is None else r.reviewed_at.astimezone(tz).date(),
            "evidence": len(r.evidence_photo_ids)}


def export_rows(conn: sa.Connection, user: User | None, tz: ZoneInfo) -> list[dict[str, Any]]:
    """The rounds the user sees (all for the command line), by case and number."""
    found = rounds_for(conn, user) if user is not None else list_rounds(conn)
    return [_row(r, tz) for r in sorted(found, key=lambda r: (r.case_reference, r.number))]


def _round(conn: sa.Connection, case_id: int, number: int) -> Round | None:
    from inspections.lookbacks import get_round

    found = conn.execute(sa.select(lookback_rounds.c.id).where(
        lookback_rounds.c.case_id == case_id, lookback_rounds.c.number == number)).scalar()
    return None if found is None else get_round(conn, found)


def _changes(r: Round, values: Mapping[str, Any], ctx: RowContext) -> list[str]:
    stored = _row(r, ctx.tz)
    wanted = ctx.given(values)
    if "agency" in wanted:
        wanted["agency"] = wanted["agency"] or None
    return [k for k in ("first_day", "last_day", "agency")
            if k in wanted and wanted[k] != stored[k]]


def _problems(r: Round | None, case_state: str, values: Mapping[str, Any],
              ctx: RowContext) -> dict[str, str]:
    problems: dict[str, str] = {}
    first, last = values["first_day"], values["last_day"]
    if first is not None and last is not None and last < first:
        problems["last_day"] = t("ledger.window_order", ctx.lang)
    if r is None:
        if values["state"] not in (None, "scheduled"):
            problems["state"] = t("ledger.new_state", ctx.lang,
                                  state=t("round.scheduled", ctx.lang))
        if case_state != "closed":
            problems["number"] = t("ledger.round_case", ctx.lang,
                                   state=t(f"state.{case_state}", ctx.lang))
        return problems
    fixed(r.state, values["state"], "state", problems, ctx.lang, WHERE)
    changes = _changes(r, values, ctx)
    if changes and r.state != "scheduled" and not problems:
        problems[changes[0]] = t("ledger.round_started", ctx.lang,
                                 state=t(f"round.{r.state}", ctx.lang))
    return problems


def check(conn: sa.Connection, values: Mapping[str, Any],
          ctx: RowContext) -> tuple[Checked | None, dict[str, str]]:
    """One row checked against its case and the round it names, if any."""
    reference, number = values["case_reference"], values["number"]
    if reference is None or number is None:
        return None, {}
    case = case_or_none(conn, reference)
    if case is None:
        return None, {"case_reference": t("complaints.no_case", ctx.lang, reference=reference)}
    if number < 1:
        return None, {"number": t("ledger.position", ctx.lang)}
    if (reference, number) in ctx.seen:
        return None, {"number": t("ledger.twice", ctx.lang, key=f"{reference} {number}")}
    ctx.seen.add((reference, number))
    r = _round(conn, case.id, number)
    problems = _problems(r, case.state, values, ctx)
    if problems or None in (values["first_day"], values["last_day"]):
        return None, problems
    if r is not None and not _changes(r, values, ctx):
        return Checked(r.id, case.id, {}), {}  # nothing to change
    wanted = dict(values)
    if "agency" not in ctx.present:  # no agency column: the stored one stays
        wanted["agency"] = r.agency if r else None
    return Checked(r.id if r else None, case.id, wanted), {}


def _save(conn: sa.Connection, item: Checked, user: User, clock: Clock) -> int:
    v = item.values
    if item.record_id is None:
        return add_round(conn, case_id=item.case_id, actor=user.actor, clock=clock,
                         number=v["number"], first_day=v["first_day"], last_day=v["last_day"],
                         agency=v["agency"])
    if v:
        edit_round(conn, round_id=item.record_id, actor=user.actor, clock=clock,
                   first_day=v["first_day"], last_day=v["last_day"], agency=v["agency"])
    return item.record_id


def store(conn: sa.Connection, items: Sequence[Checked], user: User,
          clock: Clock) -> list[int]:
    """Add or move the checked rounds (in the caller's transaction); their ids."""
    return [_save(conn, i, user, clock) for i in items]
