"""Planning look-back rounds (回头看) by hand: a leader or admin adds a round to a closed
case, or moves a scheduled round's window or agency; one audit entry each. Windows run from
00:00 on their first day to 23:59:59 on their last, in the district's zone."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa

from inspections import audit
from inspections.actors import Actor
from inspections.changes import changed, write
from inspections.clock import Clock, aware, to_utc
from inspections.errors import IllegalTransition, InvalidInput, NotAllowed, NotFound
from inspections.lookback_policy import END_OF_DAY
from inspections.schema import cases, lookback_rounds

PLAN_ROLES = ("leader", "admin")


def may_plan(role: str) -> bool:
    """Whether a role may add or move look-back rounds (and so import their ledger)."""
    return role in PLAN_ROLES


def _window(label: str, first: date, last: date, clock: Clock) -> dict[str, datetime]:
    if last < first:
        raise InvalidInput(f"{label}: the window ends ({last}) before it starts ({first})")
    return {"window_start": to_utc(datetime.combine(first, time(0), clock.tz)),
            "window_end": to_utc(datetime.combine(last, END_OF_DAY, clock.tz))}


def _check_role(actor: Actor, label: str) -> None:
    if not may_plan(actor.role):
        raise NotAllowed(f"{label}: role {actor.role!r} may not plan look-back rounds; only "
                         f"{', '.join(PLAN_ROLES)}")


def add_round(conn: sa.Connection, *, case_id: int, actor: Actor, clock: Clock, number: int,
              first_day: date, last_day: date, agency: str | None = None) -> int:
    """Add round `number` to a closed case, scheduled for the window given; its id."""
    case = conn.execute(sa.select(cases).where(cases.c.id == case_id)).mappings().first()
    if case is None:
        raise NotFound(f"case id {case_id}: no such case")
    label = f"round {number} of case {case['reference']}"
    _check_role(actor, label)
    if case["state"] != "closed":
        raise IllegalTransition(f"{label}: look-back rounds follow a closure; the case is "
                                f"'{case['state']}'")
    taken = conn.execute(sa.select(lookback_rounds.c.id).where(
        lookback_rounds.c.case_id == case_id, lookback_rounds.c.number == number)).first()
    if number < 1 or taken:
        raise InvalidInput(f"{label}: the number is taken or not a whole number from 1")
    values = {"case_id": case_id, "number": number, "state": "scheduled",
              "agency": (agency or "").strip() or case["lookback_agency"],
              **_window(label, first_day, last_day, clock)}
    round_id = conn.execute(sa.insert(lookback_rounds).returning(lookback_rounds.c.id),
                            values).scalar_one()
    audit.record(conn, actor=actor, action="round.schedule", entity="round",
                 entity_id=round_id, at=clock.now(),
                 data={"case": case["reference"], "number": number, "agency": values["agency"],
                       "to": "scheduled", "window_start": first_day.isoformat(),
                       "window_end": last_day.isoformat(), "how": "by hand"})
    return round_id


def edit_round(conn: sa.Connection, *, round_id: int, actor: Actor, clock: Clock,
               first_day: date, last_day: date, agency: str | None) -> bool:
    """Move a scheduled round's window or change its agency; whether anything changed."""
    row = conn.execute(sa.select(lookback_rounds, cases.c.reference)
                       .join(cases, cases.c.id == lookback_rounds.c.case_id)
                       .where(lookback_rounds.c.id == round_id)).mappings().first()
    if row is None:
        raise NotFound(f"look-back round {round_id}: no such round")
    label = f"round {row['number']} of case {row['reference']}"
    _check_role(actor, label)
    wanted: dict[str, Any] = {"agency": (agency or "").strip() or None,
                              **_window(label, first_day, last_day, clock)}
    stored = {"agency": row["agency"], "window_start": to_utc(aware(row["window_start"])),
              "window_end": to_utc(aware(row["window_end"]))}
    diff = changed(stored, wanted)
    if not diff:
        return False
    if row["state"] != "scheduled":
        raise IllegalTransition(f"{label}: only a scheduled round can be moved; it is "
                                f"'{row['state']}'")
    write(conn, lookback_rounds, round_id, diff)
    audit.record(conn, actor=actor, action="round.edit", entity="round", entity_id=round_id,
                 at=clock.now(), data={"case": row["reference"], "number": row["number"],
                                       "changes": diff})
    return True
