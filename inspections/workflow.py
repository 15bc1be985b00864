"""The closed loop of a case (整改一个、验收一个、公示一个、销号一个): rectify, accept,
assess (销号评估), publicise, close, driven by one table of steps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from inspections import audit, step_roles
from inspections.actors import ROLES, Actor
from inspections.assessment import MAX_DOCUMENTS, Document, check_conclusion
from inspections.cases import Case, case_photo_ids, get_case, link_photos
from inspections.clock import Clock, local_date
from inspections.errors import (
    IllegalTransition,
    InvalidInput,
    MissingEvidence,
    NotAllowed,
    NotFound,
)
from inspections.lookback_policy import LookbackPolicy
from inspections.notice_objections import blocking_objections, check_undecided
from inspections.schema import (
    assessment_documents,
    case_assessments,
    cases,
    measures,
    objections,
)


@dataclass(frozen=True)
class Step:
    """One action on a case: the states it applies in, the state after, who may take it.

    `to` None: the case keeps its state. Role "unit": only the case's responsible unit.
    The roles of accepting and assessing are defaults: step_roles may set others per case
    source."""

    states: tuple[str, ...]
    to: str | None
    roles: tuple[str, ...]


STEPS: dict[str, Step] = {
    "start_rectification": Step(("open",), "rectifying", ("unit", "leader", "admin")),
    "complete_measure": Step(("rectifying",), None, ("unit", "admin")),
    "claim_rectified": Step(("rectifying",), "rectified", ("unit", "admin")),
    "accept": Step(("rectified",), "accepted", step_roles.DEFAULT_ROLES["accept"]),
    "return_for_rework": Step(("rectified",), "rectifying", step_roles.DEFAULT_ROLES["accept"]),
    "assess": Step(("accepted",), "assessed", step_roles.DEFAULT_ROLES["assess"]),
    "publicise": Step(("assessed",), "publicised", ("leader", "admin")),
    "record_objection": Step(("publicised",), None, ROLES),
    "decide_objection": Step(("publicised",), None, ("leader", "admin")),
    "uphold_objection": Step(("publicised",), "rectifying", ("leader", "admin")),
    "close": Step(("publicised",), "closed", ("leader", "admin", "system")),
    "reopen_for_recurrence": Step(("closed",), "rectifying",
                                  ("system", "inspector", "leader", "admin")),
}


# --- the table, applied ----------------------------------------------------------------------

def _verb(action: str) -> str:
    return action.replace("_", " ")


def roles_of(conn: sa.Connection, case: Case, action: str) -> tuple[str, ...]:
    """The roles that may take the action on this case (accepting and assessing: as set for
    the case's source, else the defaults)."""
    if action in step_roles.GOVERNS:
        return step_roles.roles_for(conn, case.source, step_roles.GOVERNS[action])
    return STEPS[action].roles


def check_allowed(conn: sa.Connection, case: Case, action: str, actor: Actor) -> None:
    """NotAllowed unless the actor's role (and unit) may take the action on this case: the
    one place that decides who takes which step."""
    roles = roles_of(conn, case, action)
    if actor.role not in roles:
        raise NotAllowed(f"case {case.reference}: role {actor.role!r} may not "
                         f"{_verb(action)}; only {', '.join(roles)}")
    if actor.role == "unit" and actor.unit != case.responsible_unit:
        raise NotAllowed(f"case {case.reference}: unit {actor.unit!r} may not "
                         f"{_verb(action)}; the responsible unit is {case.responsible_unit}")


def check_state(case: Case, action: str) -> None:
    """IllegalTransition unless the action applies to the case in its current state."""
    states = STEPS[action].states
    if case.state not in states:
        wanted = " or ".join(f"'{s}'" for s in states)
        raise IllegalTransition(f"case {case.reference}: cannot {_verb(action)} a case that "
                                f"is '{case.state}'; it must be {wanted}")


def _begin(conn: sa.Connection, action: str, case_id: int, actor: Actor) -> Case:
    case = get_case(conn, case_id)
    check_allowed(conn, case, action, actor)
    check_state(case, action)
    return case


def _move(conn: sa.Connection, case: Case, action: str, *, actor: Actor, at: datetime,
          note: str | None = None, data: dict[str, Any] | None = None,
          values: dict[str, Any] | None = None) -> None:
    """Set the step's target state (only if the case is still where it was read) and audit."""
    to = STEPS[action].to
    assert to is not None, action
    done = conn.execute(sa.update(cases).where(cases.c.id == case.id,
                                               cases.c.state == case.state)
                        .values(state=to, **(values or {})))
    if done.rowcount != 1:
        raise IllegalTransition(f"case {case.reference}: cannot {_verb(action)}; its state "
                                f"changed from '{case.state}' meanwhile")
    audit.record(conn, actor=actor, action=f"case.{action}", entity="case",
                 entity_id=case.id, at=at, note=note,
                 data={"from": case.state, "to": to} | (data or {}))


def _need_note(case: Case, action: str, note: str | None) -> str:
    if note is None or not note.strip():
        raise MissingEvidence(f"case {case.reference}: {_verb(action)} needs a note saying why")
    return note.strip()


def _need_photos(case: Case, action: str, photo_ids: Sequence[int], what: str) -> None:
    if not photo_ids:
        raise MissingEvidence(f"case {case.reference}: {_verb(action)} needs {what} photos")


# --- rectification ---------------------------------------------------------------------------

def start_rectification(conn: sa.Connection, *, case_id: int, actor: Actor, clock: Clock,
                        note: str | None = None) -> None:
    """open -> rectifying: the responsible unit starts the work."""
    case = _begin(conn, "start_rectification", case_id, actor)
    _move(conn, case, "start_rectification", actor=actor, at=clock.now(), note=note)


def _measure_at(conn: sa.Connection, case: Case, position: int) -> Any:
    row = conn.execute(sa.select(measures).where(measures.c.case_id == case.id,
                                                 measures.c.position == position)).first()
    if row is None:
        raise NotFound(f"case {case.reference}: no measure at position {position}")
    if row.done_at is not None:
        raise IllegalTransition(f"case {case.reference}: measure {position} is already done")
    return row


def complete_measure(conn: sa.Connection, *, case_id: int, actor: Actor, clock: Clock,
                     position: int, photo_ids: Sequence[int] = (),
                     note: str | None = None) -> None:
    """Tick off one measure of the checklist, with its evidence photos."""
    case = _begin(conn, "complete_measure", case_id, actor)
    row = _measure_at(conn, case, position)
    now = clock.now()
    if photo_ids:
        link_photos(conn, case_id=case.id, photo_ids=photo_ids, purpose="rectification",
                    actor=actor, clock=clock, measure_id=row.id)
    done = conn.execute(sa.update(measures).where(measures.c.id == row.id,
                                                  measures.c.done_at.is_(None))
                        .values(done_at=now, note=note))
    if done.rowcount != 1:  # ticked off by someone else meanwhile
        raise IllegalTransition(f"case {case.reference}: measure {position} is already done")
    audit.record(conn, actor=actor, action="measure.complete", entity="measure",
                 entity_id=row.id, at=now, note=note,
                 data={"case_id": case.id, "position": position,
                       "photo_ids": list(dict.fromkeys(photo_ids))})


def _step_with_photos(conn: sa.Connection, action: str, case_id: int, actor: Actor,
                      clock: Clock, photo_ids: Sequence[int], *, purpose: str, label: str,
                      note: str | None) -> None:
    """A step that needs photos: check them, link them for `purpose`, then move the case."""
    case = _begin(conn, action, case_id, actor)
    _need_photos(case, action, photo_ids, label)
    link_photos(conn, case_id=case.id, photo_ids=photo_ids, purpose=purpose, actor=actor,
                clock=clock, roles=roles_of(conn, case, action))
    _move(conn, case, action, actor=actor, at=clock.now(), note=note,
          data={"photo_ids": list(dict.fromkeys(photo_ids))})


def claim_rectified(conn: sa.Connection, *, case_id: int, actor: Actor, clock: Clock,
                    photo_ids: Sequence[int], note: str | None = None) -> None:
    """rectifying -> rectified: the unit reports the fix, with photos of it."""
    _step_with_photos(conn, "claim_rectified", case_id, actor, clock, photo_ids,
                      purpose="rectification", label="rectification", note=note)


# --- acceptance (验收) -----------------------------------------------------------------------

def accept(conn: sa.Connection, *, case_id: int, actor: Actor, clock: Clock,
           photo_ids: Sequence[int], note: str | None = None) -> None:
    """rectified -> accepted: the acceptance group (验收工作小组, or the roles set for the
    case's source) confirms the fix on site, with photos."""
    _step_with_photos(conn, "accept", case_id, actor, clock, photo_ids,
                      purpose="acceptance", label="on-site acceptance", note=note)


def return_for_rework(conn: sa.Connection, *, case_id: int, actor: Actor, clock: Clock,
                      note: str) -> None:
    """rectified -> rectifying: whoever accepts finds the fix incomplete and says why."""
    case = _begin(conn, "return_for_rework", case_id, actor)
    note = _need_note(case, "return_for_rework", note)
    _move(conn, case, "return_for_rework", actor=actor, at=clock.now(), note=note)


# --- closure assessment (销号评估) ------------------------------------------------------------

def assess(conn: sa.Connection, *, case_id: int, actor: Actor, clock: Clock,
           conclusion: str, documents: Sequence[Document]) -> int:
    """accepted -> assessed: the assessment group (评估工作小组, or the roles set for the
    case's source) records its conclusion with its documents, already in the file store;
    the assessment's id."""
    case = _begin(conn, "assess", case_id, actor)
    text = check_conclusion(case.reference, conclusion)
    if not documents:
        raise MissingEvidence(f"case {case.reference}: assess needs assessment documents")
    if len(documents) > MAX_DOCUMENTS:
        raise InvalidInput(f"case {case.reference}: documents: more than {MAX_DOCUMENTS}")
    now = clock.now()
    assessment_id = conn.execute(sa.insert(case_assessments).returning(case_assessments.c.id),
                                 {"case_id": case.id, "conclusion": text, "assessed_at": now,
                                  "assessed_by": actor.name}).scalar_one()
    conn.execute(sa.insert(assessment_documents),
                 [{"assessment_id": assessment_id, "sha256": d.sha256, "name": d.name[-255:],
                   "media_type": d.media_type, "size_bytes": d.size_bytes}
                  for d in documents])
    _move(conn, case, "assess", actor=actor, at=now, note=text,
          data={"assessment_id": assessment_id,
                "documents": [{"sha256": d.sha256, "name": d.name} for d in documents]})
    return assessment_id


# --- public notice (公示) and objections -----------------------------------------------------

def publicise(conn: sa.Connection, *, case_id: int, actor: Actor, clock: Clock,
              notice_start: date, notice_end: date) -> None:
    """assessed -> publicised: the assessment is put on public notice for a period."""
    case = _begin(conn, "publicise", case_id, actor)
    for field, value in (("notice_start", notice_start), ("notice_end", notice_end)):
        if isinstance(value, datetime) or not isinstance(value, date):
            raise InvalidInput(f"case {case.reference}: {field} {value!r} is not a date")
    if notice_end < notice_start:
        raise InvalidInput(f"case {case.reference}: notice_end {notice_end} is before "
                           f"notice_start {notice_start}")
    _move(conn, case, "publicise", actor=actor, at=clock.now(),
          data={"notice_start": notice_start.isoformat(), "notice_end": notice_end.isoformat()},
          values={"notice_start": notice_start, "notice_end": notice_end})


def record_objection(conn: sa.Connection, *, case_id: int, actor: Actor, clock: Clock,
                     text: str, contact: str | None = None,
                     submitter: str | None = None) -> int:
    """Record an objection raised while the case is on public notice (with how to reach
    whoever raised it, kept out of the audit note); its id."""
    case = _begin(conn, "record_objection", case_id, actor)
    if text is None or not text.strip():
        raise InvalidInput(f"case {case.reference}: objection text must not be empty")
    now = clock.now()
    objection_id = conn.execute(sa.insert(objections).returning(objections.c.id),
                                {"case_id": case.id, "received_at": now,
                                 "text": text.strip(), "contact": contact,
                                 "submitter": submitter}).scalar_one()
    audit.record(conn, actor=actor, action="objection.record", entity="objection",
                 entity_id=objection_id, at=now, note=text.strip(), data={"case_id": case.id})
    return objection_id


def decide_objection(conn: sa.Connection, *, case_id: int, actor: Actor, clock: Clock,
                     objection_id: int, upheld: bool, note: str) -> None:
    """Uphold an objection (the case goes back to rectifying) or dismiss it."""
    case = _begin(conn, "decide_objection", case_id, actor)
    note = _need_note(case, "decide_objection", note)
    check_undecided(conn, case, objection_id)
    now = clock.now()
    decision = "upheld" if upheld else "dismissed"
    conn.execute(sa.update(objections).where(objections.c.id == objection_id)
                 .values(decision=decision, decided_at=now, decided_by=actor.name))
    audit.record(conn, actor=actor, action="objection.decide", entity="objection",
                 entity_id=objection_id, at=now, note=note,
                 data={"case_id": case.id, "decision": decision})
    if upheld:
        _move(conn, case, "uphold_objection", actor=actor, at=now, note=note,
              data={"objection_id": objection_id})


# --- closure (销号) and recurrence -----------------------------------------------------------

def _check_closable(conn: sa.Connection, case: Case, today: date) -> None:
    if case.notice_end is None or today <= case.notice_end:
        raise IllegalTransition(f"case {case.reference}: cannot close before the notice "
                                f"period has ended (ends {case.notice_end}, today {today})")
    blocking = blocking_objections(conn, case)
    if blocking:
        raise IllegalTransition(f"case {case.reference}: cannot close with objection(s) "
                                f"{', '.join(blocking)}")
    if not case_photo_ids(conn, case.id, "acceptance"):
        raise MissingEvidence(f"case {case.reference}: cannot close without acceptance photos")


def close(conn: sa.Connection, *, case_id: int, actor: Actor, clock: Clock,
          note: str | None = None, policy: LookbackPolicy | None = None) -> None:
    """publicised -> closed once the notice period is over; schedules the look-back rounds
    (by `policy`, else the default: 1, 3, 6 and 12 months)."""
    case = _begin(conn, "close", case_id, actor)
    now = clock.now()
    _check_closable(conn, case, local_date(now, clock.tz))
    _move(conn, case, "close", actor=actor, at=now, note=note, values={"closed_at": now})
    from inspections.lookbacks import schedule_rounds  # here: lookbacks imports this module

    schedule_rounds(conn, case_id=case.id, closed_at=now, source=case.source,
                    agency=case.lookback_agency, actor=actor, tz=clock.tz, policy=policy)


def reopen_for_recurrence(conn: sa.Connection, *, case_id: int, actor: Actor, clock: Clock,
                          note: str, deadline: date | None = None) -> None:
    """closed -> rectifying, marked as a recurrence (死灰复燃) found by a look-back: a new
    deadline (given, else REOPEN_DAYS from today in the district's zone) and its measures
    open again for the new round (each completion stays in the audit trail)."""
    case = _begin(conn, "reopen_for_recurrence", case_id, actor)
    note = _need_note(case, "reopen_for_recurrence", note)
    today = clock.today()
    deadline = _new_deadline(case, deadline, today)
    now = clock.now()
    _move(conn, case, "reopen_for_recurrence", actor=actor, at=now, note=note,
          data={"deadline": deadline.isoformat(), "old_deadline": case.deadline.isoformat()},
          values={"is_recurrence": True, "deadline": deadline})
    reopen_measures(conn, case, actor=actor, at=now)


REOPEN_DAYS = 30  # a reopened case's default time to rectify again


def _new_deadline(case: Case, deadline: date | None, today: date) -> date:
    if deadline is None:
        return today + timedelta(days=REOPEN_DAYS)
    if isinstance(deadline, datetime) or not isinstance(deadline, date):
        raise InvalidInput(f"case {case.reference}: deadline {deadline!r} is not a date")
    if deadline <= today:
        raise InvalidInput(f"case {case.reference}: deadline {deadline} is not after "
                           f"today ({today})")
    return deadline


def reopen_measures(conn: sa.Connection, case: Case, *, actor: Actor, at: datetime) -> None:
    """Clear the completed measures of a reopened case, each old completion audited."""
    for m in case.measures:
        if m.done_at is None:
            continue
        conn.execute(sa.update(measures).where(measures.c.id == m.id)
                     .values(done_at=None, note=None))
        audit.record(conn, actor=actor, action="measure.reopen", entity="measure",
                     entity_id=m.id, at=at, note=m.note,
                     data={"case_id": case.id, "position": m.position,
                           "done_at": m.done_at.isoformat()})


DEADLINE_ROLES = ("leader", "admin")


def set_deadline(conn: sa.Connection, *, case_id: int, actor: Actor, clock: Clock,
                 deadline: date, note: str | None = None) -> None:
    """A leader sets a new deadline (整改时限) for a case still being worked on, e.g. one
    reopened by a recurrence; it must be after today."""
    case = get_case(conn, case_id)
    if actor.role not in DEADLINE_ROLES:
        raise NotAllowed(f"case {case.reference}: role {actor.role!r} may not set the "
                         f"deadline; only {', '.join(DEADLINE_ROLES)}")
    if case.state not in ("open", "rectifying"):
        raise IllegalTransition(f"case {case.reference}: cannot set the deadline of a case "
                                f"that is '{case.state}'; it must be 'open' or 'rectifying'")
    deadline = _new_deadline(case, deadline, clock.today())
    conn.execute(sa.update(cases).where(cases.c.id == case.id).values(deadline=deadline))
    audit.record(conn, actor=actor, action="case.set_deadline", entity="case",
                 entity_id=case.id, at=clock.now(), note=note,
                 data={"deadline": deadline.isoformat(), "old_deadline": case.deadline.isoformat()})
