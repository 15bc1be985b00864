"""Statistics for a year or a month (每月报): organisation (meetings, instructions, leader-led
checks), case, ticket, look-back, complaint and enforcement figures, with case and round
states as they stood at the end of the period (read in inspections.as_of and
inspections.standing, as the progress report reads them)."""

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
from inspections.as_of import case_states, histories, round_states
from inspections.clock import aware, local_date, to_utc
from inspections.errors import InvalidInput
from inspections.organisation import count_organisation
from inspections.schema import (
    audit_log,
    cases,
    complaints,
    enforcement_actions,
    lookback_rounds,
    tickets,
)
from inspections.standing import Standing, standings

CENT = Decimal("0.01")
UNKNOWN_TOWN = "unknown"
OPEN_ROUND_STATES = ("scheduled", "due")


@dataclass(frozen=True)
class Period:
    """A calendar year or month, in the district's days (zone `tz`); `now`, when given, is
    the clock's time: a period not over yet is read as it stands now."""

    start: date
    end: date
    tz: ZoneInfo
    now: datetime | None = None

    @property
    def start_at(self) -> datetime:
        """The first instant of the period."""
        return datetime.combine(self.start, time.min, self.tz)

    @property
    def end_at(self) -> datetime:
        """The last instant of the period (23:59:59.999999 on the last day)."""
        return datetime.combine(self.end, time.max, self.tz)

    @property
    def as_of(self) -> datetime:
        """The moment records are read as they stood: the period's end, or now if sooner."""
        return self.end_at if self.now is None else min(self.end_at, self.now)

    @property
    def as_of_day(self) -> date:
        """The district's day of `as_of` (the last day, or today in a running period)."""
        return local_date(self.as_of, self.tz)


def period_of(year: int, month: int | None = None, *, tz: ZoneInfo,
              now: datetime | None = None) -> Period:
    """The calendar year, or one month of it, in the days of zone `tz`, read at `now` when
    it is not over (see Period.as_of)."""
    if isinstance(year, bool) or not isinstance(year, int) or not 2 <= year <= 9998:
        raise InvalidInput(f"stats: year {year!r} is not a year between 2 and 9998")
    if month is None:
        return Period(date(year, 1, 1), date(year, 12, 31), tz, now)
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise InvalidInput(f"stats: month {month!r} is not a month between 1 and 12")
    last = calendar.monthrange(year, month)[1]
    return Period(date(year, month, 1), date(year, month, last), tz, now)


# --- sections --------------------------------------------------------------------------------

def _cases_of(conn: sa.Connection, source: str, period: Period,
              opened_within: bool) -> list[sa.RowMapping]:
    stmt = sa.select(cases).where(cases.c.source == source,
                                  cases.c.opened_at <= to_utc(period.end_at))
    if opened_within:
        stmt = stmt.where(cases.c.opened_at >= to_utc(period.start_at))
    return list(conn.execute(stmt.order_by(cases.c.id)).mappings())


def _closed_ids(conn: sa.Connection, rows: list[sa.RowMapping], period: Period) -> set[int]:
    states = case_states(conn, [(r["id"], r["state"], r["closed_at"]) for r in rows],
                         period.as_of)
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


def inspection_standings(conn: sa.Connection, source: str, period: Period,
                         inspection: str | None) -> tuple[str | None, list[Standing]]:
    """The feedback problems (or petitions) of `inspection` (else the latest one) opened by
    the end of the period, as they stood at its end: what the figures count."""
    name, rows = _of_inspection(_cases_of(conn, source, period, False), inspection)
    return name, standings(conn, [r["id"] for r in rows], period.as_of, period.tz)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _opened_days(found: list[Standing], tz: ZoneInfo) -> list[str]:
    return sorted(local_date(s.case.opened_at, tz).isoformat() for s in found)


def _rates(found: list[Standing]) -> dict[str, Any]:
    closed = sum(s.closed for s in found)
    rectified = sum(s.rectified for s in found)
    return {"total": len(found), "rectified": rectified, "closed": closed,
            "rectification_rate": _rate(rectified, len(found)),
            "closure_rate": _rate(closed, len(found))}


def _feedback(conn: sa.Connection, period: Period, inspection: str | None) -> dict[str, Any]:
    name, found = inspection_standings(conn, "inspection_feedback", period, inspection)
    days = _opened_days(found, period.tz)
    counts = _rates(found)
    return {"inspection": name, "first_opened": days[0] if days else None, **counts,
            "in_progress": counts["total"] - counts["closed"],
            "overdue": sum(s.overdue for s in found),
            "behind_schedule": sum(s.behind_schedule for s in found)}


def _petitions(conn: sa.Connection, period: Period, inspection: str | None) -> dict[str, Any]:
    name, found = inspection_standings(conn, "petition", period, inspection)
    days = _opened_days(found, period.tz)
    batches = {s.case.batch for s in found if s.case.batch is not None}
    return {"inspection": name, "first_opened": days[0] if days else None,
            "last_opened": days[-1] if days else None, "batches": len(batches),
            **_rates(found)}


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
        return aware(row.responded_at) <= period.as_of

    answered = sum(1 for r in rows if responded(r))
    overdue = sum(1 for r in rows if not responded(r) and r.deadline < period.as_of_day)
    return {"issued": len(rows), "responded": answered, "overdue": overdue}


def rounds_in(conn: sa.Connection, period: Period) -> list[tuple[int, int, str]]:
    """The look-back rounds whose window opened within the period: (id, case id, state at
    the period's end)."""
    r = lookback_rounds
    rows = list(conn.execute(sa.select(r.c.id, r.c.case_id, r.c.state).where(
        r.c.window_start >= to_utc(period.start_at), r.c.window_start <= to_utc(period.end_at))
    ).mappings())
    states = round_states(conn, [(x["id"], x["state"]) for x in rows], period.as_of)
    return [(x["id"], x["case_id"], states[x["id"]]) for x in rows]


def _lookbacks(conn: sa.Connection, period: Period) -> dict[str, int]:
    states = Counter(state for _, _, state in rounds_in(conn, period))
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


def _persons(rows: list[sa.Row], kind: str) -> int:
    """Persons detained by actions of a kind; an action with none recorded (written before
    persons were) counts as one, the fewest a detention holds."""
    return sum(r.persons or 1 for r in rows if r.kind == kind)


def _enforcement(conn: sa.Connection, period: Period) -> dict[str, Any]:
    e = enforcement_actions
    rows = list(conn.execute(sa.select(e.c.kind, e.c.fine_yuan, e.c.persons).where(
        e.c.decided_on >= period.start, e.c.decided_on <= period.end)))
    kinds = Counter(r.kind for r in rows)
    return {"penalty_decisions": kinds["penalty_decision"],
            "fines_yuan": _money(r.fine_yuan for r in rows if r.kind == "penalty_decision"),
            "police_referrals": kinds["police_referral"],
            "seizures_or_limits": kinds["seizure_or_limit"],
            "detentions": kinds["administrative_detention"],
            "detained_persons": _persons(rows, "administrative_detention"),
            "criminal_cases": kinds["criminal_case"],
            "criminal_persons": _persons(rows, "criminal_case")}


def _organisation(conn: sa.Connection, period: Period) -> dict[str, int]:
    """Meetings, leaders' written instructions and leader-led site checks (会议、批示、带队督查)
    held within the period, from their records."""
    kinds = count_organisation(conn, start=period.start, end=period.end)
    return {"meetings": kinds["meeting"], "instructions": kinds["instruction"],
            "leader_checks": kinds["leader_check"]}


LOOP_STATES = ("accepted", "assessed", "publicised", "closed")


def _closure_loop(conn: sa.Connection, period: Period) -> dict[str, int]:
    """Cases of any source accepted, assessed, publicised and closed within the period
    (验收、销号评估、公示、销号), each counted once per step: from the audit log, and a case
    whose closing was never audited by its closing time."""
    a, c = audit_log, cases
    reached: dict[str, set[int]] = {s: set() for s in LOOP_STATES}
    for case_id, data in conn.execute(sa.select(a.c.entity_id, a.c.data).where(
            a.c.entity == "case", a.c.action.like("case.%"),
            a.c.at >= to_utc(period.start_at), a.c.at <= to_utc(period.end_at))):
        to = data.get("to") if isinstance(data, dict) else None
        if to in reached:
            reached[to].add(case_id)
    closed = set(conn.execute(sa.select(c.c.id).where(
        c.c.closed_at >= to_utc(period.start_at), c.c.closed_at <= to_utc(period.end_at))
    ).scalars()) - reached["closed"]
    audited = histories(conn, "case", sorted(closed), ("closed",))
    reached["closed"] |= closed - set(audited)
    return {state: len(ids) for state, ids in reached.items()}


def stats(conn: sa.Connection, *, year: int, tz: ZoneInfo, month: int | None = None,
          inspection: str | None = None, now: datetime | None = None) -> dict[str, Any]:
    """The figures of a year (or one month of it, in the days of the district's zone `tz`)
    as a JSON-able dict, states as they stood at the period's end (or at `now`, the clock's
    time, in a period not over yet).

    Feedback problems and petitions are those of `inspection`, else of the latest one."""
    period = period_of(year, month, tz=tz, now=now)
    return {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "organisation": _organisation(conn, period),
        "feedback": _feedback(conn, period, inspection),
        "petitions": _petitions(conn, period, inspection),
        "tickets": _tickets(conn, period),
        "lookbacks": _lookbacks(conn, period),
        "closure_loop": _closure_loop(conn, period),
        "patrol_cases": _patrol(conn, period),
        "complaints": _complaints(conn, period),
        "enforcement": _enforcement(conn, period),
    }
