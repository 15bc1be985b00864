"""Records as they stood at a past moment (截至某时), read back from the audit log: a case's
state, deadline and ticked-off measures, a look-back round's state. The statistics and the
progress report of a period both read them here, at the period's end."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from inspections.cases import Case, Measure
from inspections.clock import aware
from inspections.schema import CASE_STATES, ROUND_STATES, audit_log

History = list[tuple[datetime, Any, str]]  # (at, from, to) of each change, oldest first


def _entries(conn: sa.Connection, entity: str, ids: Sequence[int]) -> list[sa.Row]:
    """The audit entries about these records of `entity`, in the order they were written."""
    if not ids:
        return []
    a = audit_log
    return list(conn.execute(sa.select(a.c.entity_id, a.c.at, a.c.action, a.c.data)
                             .where(a.c.entity == entity, a.c.action.like(f"{entity}.%"),
                                    a.c.entity_id.in_(list(ids))).order_by(a.c.id)))


def histories(conn: sa.Connection, entity: str, ids: Sequence[int],
              states: tuple[str, ...]) -> dict[int, History]:
    """Per record: (at, from, to) of every audited change of state, oldest first."""
    found: dict[int, History] = {}
    for entity_id, at, _, data in _entries(conn, entity, ids):
        if isinstance(data, dict) and data.get("to") in states:
            found.setdefault(entity_id, []).append((aware(at), data.get("from"), data["to"]))
    return found


def state_from_history(history: History, when: datetime, fallback: str) -> str:
    """The state after the last change at or before `when` (before the first: its "from")."""
    before = [to for at, _, to in history if at <= when]
    if before:
        return before[-1]
    first_from = history[0][1]
    return first_from if isinstance(first_from, str) else fallback


def case_states(conn: sa.Connection, rows: Sequence[tuple[int, str, datetime | None]],
                when: datetime) -> dict[int, str]:
    """Each case's state at `when`, from (id, state now, closed_at) rows: from its audited
    history, else (a case with none) from its state and closing time."""
    found = histories(conn, "case", [r[0] for r in rows], CASE_STATES)
    states = {}
    for case_id, state, closed_at in rows:
        closed_later = state == "closed" and closed_at is not None and aware(closed_at) > when
        fallback = "publicised" if closed_later else state
        history = found.get(case_id)
        states[case_id] = state_from_history(history, when, "open") if history else fallback
    return states


def round_states(conn: sa.Connection, rows: Sequence[tuple[int, str]],
                 when: datetime) -> dict[int, str]:
    """Each look-back round's state at `when`, from (id, state now) rows: from its audited
    history, else its current state."""
    found = histories(conn, "round", [r[0] for r in rows], ROUND_STATES)
    return {i: (state_from_history(found[i], when, "scheduled") if i in found else state)
            for i, state in rows}


def _deadlines(conn: sa.Connection, cases: Sequence[Case], when: datetime) -> dict[int, date]:
    """Each case's deadline at `when`: the old deadline of its first change after `when`
    (a leader's new deadline, a reopening), else the deadline it has now."""
    found = {c.id: c.deadline for c in cases}
    changed: set[int] = set()
    for case_id, at, _, data in _entries(conn, "case", [c.id for c in cases]):
        old = data.get("old_deadline") if isinstance(data, dict) else None
        if old and case_id not in changed and aware(at) > when:
            found[case_id] = date.fromisoformat(old)
            changed.add(case_id)
    return found


def _measures_done(conn: sa.Connection, cases: Sequence[Case],
                   when: datetime) -> dict[int, datetime | None]:
    """Each measure's completion time as it stood at `when` (None: not done then), from its
    audited completions and reopenings; a measure with neither, from its row."""
    measures = [m for c in cases for m in c.measures]
    events: dict[int, list[tuple[datetime, str]]] = {}
    for measure_id, at, action, _ in _entries(conn, "measure", [m.id for m in measures]):
        events.setdefault(measure_id, []).append((aware(at), action))
    done: dict[int, datetime | None] = {}
    for m in measures:
        before = [(at, action) for at, action in events.get(m.id, []) if at <= when]
        if m.id not in events:
            done[m.id] = m.done_at if m.done_at is not None and m.done_at <= when else None
        elif before and before[-1][1] == "measure.complete":
            done[m.id] = before[-1][0]
        else:
            done[m.id] = None
    return done


def _measure_at(m: Measure, done_at: datetime | None) -> Measure:
    return m if done_at == m.done_at else replace(m, done_at=done_at,
                                                   note=m.note if done_at else None)


def cases_at(conn: sa.Connection, cases: Sequence[Case], when: datetime) -> list[Case]:
    """The cases as they stood at `when`: state, deadline and ticked-off measures (titles,
    units and sites as they are now)."""
    states = case_states(conn, [(c.id, c.state, c.closed_at) for c in cases], when)
    deadlines = _deadlines(conn, cases, when)
    done = _measures_done(conn, cases, when)
    return [replace(c, state=states[c.id], deadline=deadlines[c.id],
                    closed_at=c.closed_at if states[c.id] == "closed" else None,
                    measures=tuple(_measure_at(m, done[m.id]) for m in c.measures))
            for c in cases]
