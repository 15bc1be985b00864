"""Look-back rounds (回头看): scheduled after a closure, moved on by the clock, reviewed on
evidence; a recurrence (死灰复燃) reopens the case and issues a supervision ticket."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from imagery.schema import photos
from inspections import audit
from inspections.actors import Actor
from inspections.clock import Clock, FixedClock, aware, day_start, to_utc
from inspections.errors import (
    IllegalTransition,
    InvalidInput,
    MissingEvidence,
    NotAllowed,
    NotFound,
)
from inspections.evidence import match_evidence
from inspections.lookback_policy import DEFAULT_POLICY, LookbackPolicy
from inspections.schema import case_sites, cases, lookback_rounds, round_photos
from inspections.tickets import issue_ticket

OUTCOMES = ("passed", "recurred")
REVIEWABLE = ("due", "awaiting_review", "overdue")
OPEN_STATES = ("scheduled", "due", "awaiting_review")
TICKET_DAYS = 15


@dataclass(frozen=True)
class Round:
    """A look-back round with its case, the case's sites, its window and its evidence."""

    id: int
    case_id: int
    case_reference: str
    number: int
    site_ids: tuple[int, ...]
    window_start: datetime
    window_end: datetime
    agency: str | None
    state: str
    evidence_photo_ids: tuple[int, ...]
    reviewed_at: datetime | None = None
    reviewed_by: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class RoundChanges:
    """What one refresh did: ids of rounds that became due, awaiting review, overdue, and
    the photos newly linked per round."""

    due: tuple[int, ...] = ()
    awaiting_review: tuple[int, ...] = ()
    overdue: tuple[int, ...] = ()
    evidence: dict[int, tuple[int, ...]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        """True when anything changed."""
        return bool(self.due or self.awaiting_review or self.overdue or self.evidence)


@dataclass(frozen=True)
class ReviewResult:
    """The outcome of a review: the round's new state, its evidence, the ticket issued."""

    round_id: int
    state: str
    photo_ids: tuple[int, ...]
    ticket_id: int | None = None


# --- reading ---------------------------------------------------------------------------------

def _select_rounds() -> sa.Select:
    return (sa.select(lookback_rounds, cases.c.reference.label("case_reference"))
            .join(cases, cases.c.id == lookback_rounds.c.case_id))


def _round_row(conn: sa.Connection, round_id: int) -> sa.RowMapping:
    row = conn.execute(_select_rounds().where(lookback_rounds.c.id == round_id)
                       ).mappings().first()
    if row is None:
        raise NotFound(f"look-back round {round_id}: no such round")
    return row


def _label(row: sa.RowMapping) -> str:
    return f"round {row['number']} of case {row['case_reference']}"


def _linked(conn: sa.Connection, round_id: int) -> list[int]:
    return sorted(conn.execute(sa.select(round_photos.c.photo_id)
                               .where(round_photos.c.round_id == round_id)).scalars())


def _grouped(conn: sa.Connection, key: sa.Column, value: sa.Column,
             ids: list[int]) -> dict[int, tuple[int, ...]]:
    found: dict[int, list[int]] = {i: [] for i in ids}
    for k, v in conn.execute(sa.select(key, value).where(key.in_(ids)).order_by(key, value)):
        found[k].append(v)
    return {k: tuple(v) for k, v in found.items()}


def _rounds(conn: sa.Connection, rows: Sequence[sa.RowMapping]) -> list[Round]:
    case_ids = sorted({r["case_id"] for r in rows})
    sites = _grouped(conn, case_sites.c.case_id, case_sites.c.site_id, case_ids)
    evidence = _grouped(conn, round_photos.c.round_id, round_photos.c.photo_id,
                        [r["id"] for r in rows])
    return [Round(id=r["id"], case_id=r["case_id"], case_reference=r["case_reference"],
                  number=r["number"], site_ids=sites[r["case_id"]],
                  window_start=aware(r["window_start"]), window_end=aware(r["window_end"]),
                  agency=r["agency"], state=r["state"], evidence_photo_ids=evidence[r["id"]],
                  reviewed_at=aware(r["reviewed_at"]) if r["reviewed_at"] else None,
                  reviewed_by=r["reviewed_by"], note=r["note"])
            for r in rows]


def get_round(conn: sa.Connection, round_id: int) -> Round:
    """One round by id."""
    return _rounds(conn, [_round_row(conn, round_id)])[0]


def list_rounds(conn: sa.Connection, *, state: str | None = None,
                due_before: date | None = None, agency: str | None = None,
                tz: ZoneInfo | None = None) -> list[Round]:
    """Rounds by window start; `due_before`: windows opening before that day in the
    district's zone `tz` (which it needs)."""
    stmt = _select_rounds().order_by(lookback_rounds.c.window_start, lookback_rounds.c.id)
    if state is not None:
        stmt = stmt.where(lookback_rounds.c.state == state)
    if agency is not None:
        stmt = stmt.where(lookback_rounds.c.agency == agency)
    if due_before is not None:
        if tz is None:
            raise InvalidInput(f"look-back rounds due before {due_before}: no time zone given "
                               "to read the date in")
        stmt = stmt.where(lookback_rounds.c.window_start < to_utc(day_start(due_before, tz)))
    return _rounds(conn, conn.execute(stmt).mappings().all())


# --- scheduling ------------------------------------------------------------------------------

def schedule_rounds(conn: sa.Connection, *, case_id: int, closed_at: datetime, source: str,
                    agency: str | None, actor: Actor, tz: ZoneInfo,
                    policy: LookbackPolicy | None = None) -> list[int]:
    """Create the rounds of a just-closed case (numbered after any earlier ones), their
    windows in the district's days (zone `tz`); their ids.

    The agency is the one passed, else the case's look-back agency."""
    case = conn.execute(sa.select(cases).where(cases.c.id == case_id)).mappings().first()
    if case is None:
        raise NotFound(f"case {case_id}: no such case")
    agency = agency or case["lookback_agency"]
    done = conn.execute(sa.select(sa.func.max(lookback_rounds.c.number))
                        .where(lookback_rounds.c.case_id == case_id)).scalar() or 0
    ids = []
    for planned in (policy or DEFAULT_POLICY).plan(closed_at, source, tz):
        values = {"case_id": case_id, "number": done + planned.number, "agency": agency,
                  "window_start": to_utc(planned.window_start),
                  "window_end": to_utc(planned.window_end), "state": "scheduled"}
        round_id = conn.execute(sa.insert(lookback_rounds).returning(lookback_rounds.c.id),
                                values).scalar_one()
        audit.record(conn, actor=actor, action="round.schedule", entity="round",
                     entity_id=round_id, at=to_utc(closed_at),
                     data={"case": case["reference"], "number": values["number"],
                           "agency": agency, "to": "scheduled",
                           "window_start": planned.window_start.isoformat(),
                           "window_end": planned.window_end.isoformat()})
        ids.append(round_id)
    return ids


def _cancel_scheduled(conn: sa.Connection, case_id: int, *, actor: Actor,
                      at: datetime) -> list[int]:
    """Drop a reopened case's rounds that have not started: a new closure schedules anew."""
    pending = list(conn.execute(sa.select(lookback_rounds.c.id).where(
        lookback_rounds.c.case_id == case_id, lookback_rounds.c.state == "scheduled")
        .order_by(lookback_rounds.c.id)).scalars())
    for round_id in pending:
        conn.execute(sa.delete(lookback_rounds).where(lookback_rounds.c.id == round_id))
        audit.record(conn, actor=actor, action="round.cancel", entity="round",
                     entity_id=round_id, at=at, note="the case was reopened for a recurrence",
                     data={"from": "scheduled", "to": None})
    return pending


# --- the clock -------------------------------------------------------------------------------

def _set_state(conn: sa.Connection, row: sa.RowMapping, to: str, *, actor: Actor,
               at: datetime, note: str | None = None, data: dict[str, Any] | None = None,
               values: dict[str, Any] | None = None) -> None:
    done = conn.execute(sa.update(lookback_rounds).where(lookback_rounds.c.id == row["id"],
                                                         lookback_rounds.c.state == row["state"])
                        .values(state=to, **(values or {})))
    if done.rowcount != 1:
        raise IllegalTransition(f"{_label(row)}: its state changed from '{row['state']}' "
                                "meanwhile")
    audit.record(conn, actor=actor, action=f"round.{to}", entity="round", entity_id=row["id"],
                 at=at, note=note, data={"from": row["state"], "to": to} | (data or {}))


def _link(conn: sa.Connection, row: sa.RowMapping, photo_ids: Sequence[int], *, actor: Actor,
          at: datetime, how: str) -> tuple[int, ...]:
    have = set(_linked(conn, row["id"]))
    new = sorted(set(photo_ids) - have)
    if new:
        conn.execute(sa.insert(round_photos), [{"round_id": row["id"], "photo_id": p}
                                               for p in new])
        audit.record(conn, actor=actor, action="round.evidence", entity="round",
                     entity_id=row["id"], at=at, data={"photo_ids": new, "how": how})
    return tuple(new)


def _advance(conn: sa.Connection, row: sa.RowMapping, *, actor: Actor, now: datetime,
             tz: ZoneInfo, changes: dict[str, Any]) -> sa.RowMapping:
    """Apply the clock (its time `now`, its zone `tz`) and the evidence to one round; the row
    as it now is."""
    if row["state"] == "scheduled" and now >= aware(row["window_start"]):
        _set_state(conn, row, "due", actor=actor, at=now)
        changes["due"].append(row["id"])
        row = _round_row(conn, row["id"])
    if row["state"] in ("due", "awaiting_review"):
        new = _link(conn, row, match_evidence(conn, round_id=row["id"], tz=tz), actor=actor, at=now,
                    how="matched")
        if new:
            changes["evidence"][row["id"]] = new
        if row["state"] == "due" and _linked(conn, row["id"]):
            _set_state(conn, row, "awaiting_review", actor=actor, at=now)
            changes["awaiting_review"].append(row["id"])
            row = _round_row(conn, row["id"])
    if row["state"] in ("due", "awaiting_review") and now > aware(row["window_end"]):
        _set_state(conn, row, "overdue", actor=actor, at=now,
                   note=f"window ended {aware(row['window_end']).astimezone(tz)} "
                        "without a review")
        changes["overdue"].append(row["id"])
        row = _round_row(conn, row["id"])
    return row


def _empty_changes() -> dict[str, Any]:
    return {"due": [], "awaiting_review": [], "overdue": [], "evidence": {}}


def refresh_rounds(conn: sa.Connection, *, actor: Actor, clock: Clock) -> RoundChanges:
    """Move rounds on: scheduled -> due when the window opens, due -> awaiting_review when
    evidence matches, due/awaiting_review -> overdue after the window; idempotent."""
    now = to_utc(clock.now())
    changes = _empty_changes()
    rows = conn.execute(_select_rounds().where(lookback_rounds.c.state.in_(OPEN_STATES))
                        .order_by(lookback_rounds.c.id)).mappings().all()
    for row in rows:
        _advance(conn, row, actor=actor, now=now, tz=clock.tz, changes=changes)
    return RoundChanges(due=tuple(changes["due"]),
                        awaiting_review=tuple(changes["awaiting_review"]),
                        overdue=tuple(changes["overdue"]), evidence=changes["evidence"])


# --- review ----------------------------------------------------------------------------------

def _check_reviewer(row: sa.RowMapping, actor: Actor) -> None:
    if actor.role in ("leader", "admin"):
        return
    if actor.role == "inspector" and actor.agency is not None and actor.agency == row["agency"]:
        return
    who = f"{actor.name} ({actor.role}{', ' + actor.agency if actor.agency else ''})"
    raise NotAllowed(f"{_label(row)}: {who} may not review it; only an inspector of "
                     f"{row['agency'] or 'its agency'}, a leader or an admin may")


def _check_photos(conn: sa.Connection, row: sa.RowMapping, photo_ids: Sequence[int]) -> None:
    wanted = set(photo_ids)
    found = set(conn.execute(sa.select(photos.c.id).where(photos.c.id.in_(wanted))).scalars())
    if missing := sorted(wanted - found):
        raise NotFound(f"{_label(row)}: photo {missing[0]} does not exist")


def _recurrence_ticket(conn: sa.Connection, row: sa.RowMapping, *, actor: Actor, clock: Clock,
                       note: str, deadline: date | None = None) -> int:
    case = conn.execute(sa.select(cases).where(cases.c.id == row["case_id"])).mappings().one()
    if case["state"] == "closed":
        from inspections.workflow import reopen_for_recurrence  # workflow imports us

        reopen_for_recurrence(conn, case_id=case["id"], actor=actor, clock=clock,
                              note=f"look-back {_label(row)}: {note}", deadline=deadline)
        _cancel_scheduled(conn, case["id"], actor=actor, at=clock.now())
    today = clock.today()
    request = (f"{case['reference']} 第{row['number']}轮回头看发现问题反弹（死灰复燃）：{note}"
               f" 请于{TICKET_DAYS}日内整改到位并反馈。")
    return issue_ticket(conn, actor=actor, clock=clock, responsible_unit=case["responsible_unit"],
                        deadline=today + timedelta(days=TICKET_DAYS), request=request,
                        case_id=case["id"], round_id=row["id"])


def add_evidence(conn: sa.Connection, *, round_id: int, photo_ids: Sequence[int],
                 actor: Actor, clock: Clock) -> tuple[int, ...]:
    """Link photos handed over for a round (a flight's orthophoto, which carries no time to
    match it by) as its evidence, by its agency (or a leader/admin); the newly linked ids."""
    row = _round_row(conn, round_id)
    _check_reviewer(row, actor)
    _check_photos(conn, row, photo_ids)
    return _link(conn, row, photo_ids, actor=actor, at=to_utc(clock.now()), how="handed_over")


def review_round(conn: sa.Connection, *, round_id: int, actor: Actor, clock: Clock,
                 outcome: str, note: str, photo_ids: Sequence[int] = (),
                 reopen_deadline: date | None = None) -> ReviewResult:
    """The round's agency (or a leader/admin) records "passed" or "recurred" on evidence;
    "recurred" reopens a closed case (with `reopen_deadline`, by default 30 days on) and
    issues a supervision ticket."""
    if outcome not in OUTCOMES:
        raise InvalidInput(f"look-back round {round_id}: outcome {outcome!r} is unknown; "
                           f"use {' or '.join(OUTCOMES)}")
    row = _round_row(conn, round_id)
    _check_reviewer(row, actor)
    now = to_utc(clock.now())
    row = _advance(conn, row, actor=actor, now=now, tz=clock.tz, changes=_empty_changes())
    if row["state"] not in REVIEWABLE:
        raise IllegalTransition(f"{_label(row)}: cannot review a round that is "
                                f"'{row['state']}'; it must be 'due', 'awaiting_review' or "
                                "'overdue'")
    if note is None or not note.strip():
        raise MissingEvidence(f"{_label(row)}: a review needs a note saying what was found")
    _check_photos(conn, row, photo_ids)
    _link(conn, row, photo_ids, actor=actor, at=now, how="given")
    evidence = tuple(_linked(conn, round_id))
    if not evidence:
        raise MissingEvidence(f"{_label(row)}: no photo shows its sites inside the window; "
                              "give photo_ids of the re-check")
    _set_state(conn, row, outcome, actor=actor, at=now, note=note.strip(),
               data={"photo_ids": list(evidence)},
               values={"reviewed_at": to_utc(now), "reviewed_by": actor.name,
                       "note": note.strip()})
    utc_clock = FixedClock(now, clock.tz)  # one instant for the reopening and the ticket
    ticket_id = (_recurrence_ticket(conn, row, actor=actor, clock=utc_clock, note=note.strip(),
                                    deadline=reopen_deadline)
                 if outcome == "recurred" else None)
    return ReviewResult(round_id, outcome, evidence, ticket_id)
