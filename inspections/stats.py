"""Statistics for a year or a month (每月报): case, ticket, look-back, complaint and
enforcement figures, with case and round states as they stood at the end of the period."""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from geo import spatial
from geo.layers import GRID_CELLS
from inspections.clock import aware, to_utc
from inspections.errors import InvalidInput
from inspections.schema import (
    CASE_STATES,
    ROUND_STATES,
    audit_log,
    cases,
    complaints,
    enforcement_actions,
    lookback_rounds,
    tickets,
)

CENT = Decimal("0.01")
UNKNOWN_TOWN = "unknown"
OPEN_ROUND_STATES = ("scheduled", "due")


@dataclass(frozen=True)
class Period:
    """A calendar year or month, in the district's days (zone `tz`)."""

    start: date
    end: date
    tz: ZoneInfo

    @property
    def start_at(self) -> datetime:
        """The first instant of the period."""
        return datetime.combine(self.start, time.min, self.tz)

    @property
    def end_at(self) -> datetime:
        """The last instant of the period (23:59:59.999999 on the last day)."""
        return datetime.combine(self.end, time.max, self.tz)


def period_of(year: int, month: int | None = None, *, tz: ZoneInfo) -> Period:
    """The calendar year, or one month of it, in the days of zone `tz`."""
    if isinstance(year, bool) or not isinstance(year, int) or not 2 <= year <= 9998:
        raise InvalidInput(f"stats: year {year!r} is not a year between 2 and 9998")
    if month is None:
        return Period(date(year, 1, 1), date(year, 12, 31), tz)
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise InvalidInput(f"stats: month {month!r} is not a month between 1 and 12")
    last = calendar.monthrange(year, month)[1]
    return Period(date(year, month, 1), date(year, month, last), tz)


# --- states as of a moment, from the audit log -----------------------------------------------

def _histories(conn: sa.Connection, entity: str, ids: list[int],
               states: tuple[str, ...]) -> dict[int, list[tuple[datetime, Any, str]]]:
    """Per record: (at, from, to) of every audited change of state, oldest first."""
    found: dict[int, list[tuple[datetime, Any, str]]] = {}
    if not ids:
        return found
    a = audit_log
    rows = conn.execute(sa.select(a.c.entity_id, a.c.at, a.c.data)
                        .where(a.c.entity == entity, a.c.action.like(f"{entity}.%"),
                               a.c.entity_id.in_(ids)).order_by(a.c.id))
    for entity_id, at, data in rows:
        if isinstance(data, dict) and data.get("to") in states:
            found.setdefault(entity_id, []).append((aware(at), data.get("from"), data["to"]))
    return found


def _state_from_history(history: list[tuple[datetime, Any, str]], when: datetime,
                        fallback: str) -> str:
    """The state after the last change at or before `when` (before the first: its "from")."""
    before = [to for at, _, to in history if at <= when]
    if before:
        return before[-1]
    first_from = history[0][1]
    return first_from if isinstance(first_from, str) else fallback


def _case_states(conn: sa.Connection, rows: list[sa.RowMapping],
                 when: datetime) -> dict[int, str]:
    """Each case's state at `when`: from its audited history, else from state and closed_at."""
    histories = _histories(conn, "case", [r["id"] for r in rows], CASE_STATES)
    found = {}
    for r in rows:
        closed_later = r["state"] == "closed" and r["closed_at"] is not None and \
            aware(r["closed_at"]) > when
        fallback = "publicised" if closed_later else r["state"]
        history = histories.get(r["id"])
        found[r["id"]] = _state_from_history(history, when, "open") if history else fallback
    return found


def _round_states(conn: sa.Connection, rows: list[sa.RowMapping],
                  when: datetime) -> dict[int, str]:
    """Each round's state at `when`: from its audited history, else its current state."""
    histories = _histories(conn, "round", [r["id"] for r in rows], ROUND_STATES)
    return {r["id"]: (_state_from_history(histories[r["id"]], when, "scheduled")
                      if r["id"] in histories else r["state"]) for r in rows}


# --- sections --------------------------------------------------------------------------------

def _cases_of(conn: sa.Connection, source: str, period: Period,
              opened_within: bool) -> list[sa.RowMapping]:
    stmt = sa.select(cases).where(cases.c.source == source,
                                  cases.c.opened_at <= to_utc(period.end_at))
    if opened_within:
        stmt = stmt.where(cases.c.opened_at >= to_utc(period.start_at))
    return list(conn.execute(stmt.order_by(cases.c.id)).mappings())


def _closed_ids(conn: sa.Connection, rows: list[sa.RowMapping], period: Period) -> set[int]:
    states = _case_states(conn, rows, period.end_at)
    return {i for i, s in states.items() if s == "closed"}


def _of_inspection(rows: list[sa.RowMapping],
                   inspection: str | None) -> tuple[str | None, list[sa.RowMapping]]:
    """The cases of one inspection: the one named, else the latest (the one whose first case
    came last); cases that name no inspection count only when none does."""
    if inspection is not None:
        return inspection, [r for r in rows if r["inspection"] == inspection]
    first: dict[str, tuple[datetime, int]] = {}
    for r in rows:
        if r["inspection"] is not None:
            key = (aware(r["opened_at"]), r["id"])
            first[r["inspection"]] = min(first.get(r["inspection"], key), key)
    if not first:
        return None, rows
    latest = max(first, key=first.__getitem__)
    return latest, [r for r in rows if r["inspection"] == latest]


def _feedback(conn: sa.Connection, period: Period, inspection: str | None) -> dict[str, Any]:
    name, rows = _of_inspection(_cases_of(conn, "inspection_feedback", period, False),
                                inspection)
    closed = _closed_ids(conn, rows, period)
    overdue = [r for r in rows if r["id"] not in closed and r["deadline"] < period.end]
    return {"inspection": name, "total": len(rows), "closed": len(closed),
            "in_progress": len(rows) - len(closed), "overdue": len(overdue)}


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _petitions(conn: sa.Connection, period: Period, inspection: str | None) -> dict[str, Any]:
    name, rows = _of_inspection(_cases_of(conn, "petition", period, False), inspection)
    closed = _closed_ids(conn, rows, period)
    batches = {r["batch"] for r in rows if r["batch"] is not None}
    return {"inspection": name, "total": len(rows), "batches": len(batches), "closed": len(closed),
            "closure_rate": _rate(len(closed), len(rows))}


def _town_of(conn: sa.Connection, geom: Any) -> str:
    if geom is None or geom.is_empty:
        return UNKNOWN_TOWN
    point = geom if geom.geom_type == "Point" else geom.representative_point()
    cell = spatial.containing(conn, GRID_CELLS, point.x, point.y)
    return (cell["town"] if cell is not None else None) or UNKNOWN_TOWN


def _patrol(conn: sa.Connection, period: Period) -> dict[str, Any]:
    rows = _cases_of(conn, "patrol", period, opened_within=True)
    closed = _closed_ids(conn, rows, period)
    towns = Counter(_town_of(conn, r["geom"]) for r in rows)
    return {"opened": len(rows), "closed": len(closed), "in_progress": len(rows) - len(closed),
            "by_town": dict(sorted(towns.items()))}


def _tickets(conn: sa.Connection, period: Period) -> dict[str, int]:
    t = tickets
    rows = list(conn.execute(sa.select(t.c.state, t.c.deadline, t.c.responded_at).where(
        t.c.issued_at >= to_utc(period.start_at), t.c.issued_at <= to_utc(period.end_at))))

    def responded(row: sa.Row) -> bool:
        if row.responded_at is None:
            return row.state in ("responded", "verified")
        return aware(row.responded_at) <= period.end_at

    answered = sum(1 for r in rows if responded(r))
    overdue = sum(1 for r in rows if not responded(r) and r.deadline < period.end)
    return {"issued": len(rows), "responded": answered, "overdue": overdue}


def _lookbacks(conn: sa.Connection, period: Period) -> dict[str, int]:
    r = lookback_rounds
    rows = list(conn.execute(sa.select(r.c.id, r.c.state).where(
        r.c.window_start >= to_utc(period.start_at), r.c.window_start <= to_utc(period.end_at))
    ).mappings())
    states = Counter(_round_states(conn, rows, period.end_at).values())
    return {"scheduled": sum(states[s] for s in OPEN_ROUND_STATES), "passed": states["passed"],
            "recurred": states["recurred"], "overdue": states["overdue"]}


def _received(conn: sa.Connection, period: Period) -> int:
    c = complaints
    return conn.execute(sa.select(sa.func.count()).select_from(c).where(
        c.c.received_on >= period.start, c.c.received_on <= period.end)).scalar_one()


def previous_year(period: Period) -> Period:
    """The same days a year earlier (29 February becomes the 28th)."""
    def back(day: date) -> date:
        last = calendar.monthrange(day.year - 1, day.month)[1]
        return date(day.year - 1, day.month, min(day.day, last))
    return Period(back(period.start), back(period.end), period.tz)


def _complaints(conn: sa.Connection, period: Period) -> dict[str, Any]:
    now, before = _received(conn, period), _received(conn, previous_year(period))
    change = round((now - before) / before * 100, 2) if before else None
    return {"received": now, "previous_year": before, "yoy_change_pct": change}


def _money(amounts: Iterable[Any]) -> float:
    return float(sum((Decimal(str(a)) for a in amounts if a is not None), Decimal(0))
                 .quantize(CENT))


def _enforcement(conn: sa.Connection, period: Period) -> dict[str, Any]:
    e = enforcement_actions
    rows = list(conn.execute(sa.select(e.c.kind, e.c.fine_yuan).where(
        e.c.decided_on >= period.start, e.c.decided_on <= period.end)))
    kinds = Counter(r.kind for r in rows)
    return {"penalty_decisions": kinds["penalty_decision"],
            "fines_yuan": _money(r.fine_yuan for r in rows if r.kind == "penalty_decision"),
            "police_referrals": kinds["police_referral"],
            "seizures_or_limits": kinds["seizure_or_limit"],
            "detentions": kinds["administrative_detention"],
            "criminal_cases": kinds["criminal_case"]}


def stats(conn: sa.Connection, *, year: int, tz: ZoneInfo, month: int | None = None,
          inspection: str | None = None) -> dict[str, Any]:
    """The figures of a year (or one month of it, in the days of the district's zone `tz`)
    as a JSON-able dict.

    Feedback problems and petitions are those of `inspection`, else of the latest one."""
    period = period_of(year, month, tz=tz)
    return {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "feedback": _feedback(conn, period, inspection),
        "petitions": _petitions(conn, period, inspection),
        "tickets": _tickets(conn, period),
        "lookbacks": _lookbacks(conn, period),
        "patrol_cases": _patrol(conn, period),
        "complaints": _complaints(conn, period),
        "enforcement": _enforcement(conn, period),
    }
