"""Rectification tasks (整改任务): one task of an inspection may cover many sites (41 township
landfills and 4 waste-to-energy plants), each site with its own case, evidence and look-back
rounds. The task is accepted, assessed, publicised and closed as one: each of its steps moves
every member case through the single-case step of the workflow in one savepoint of the
caller's transaction, and stops at the first case that refuses it (TaskBlocked names that
case), leaving every case where it was. Who may take a step is the workflow's decision, case
by case (per source, see step_roles); who sees and changes tasks is decided here."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

import sqlalchemy as sa

from inspections import audit, workflow
from inspections.actors import Actor
from inspections.assessment import Document
from inspections.cases import Case, get_cases
from inspections.clock import Clock, aware
from inspections.contact import Contact, checked
from inspections.errors import InspectionError, InvalidInput, NotAllowed, NotFound, TaskBlocked
from inspections.lookback_policy import LookbackPolicy
from inspections.schema import CASE_STATES, cases, rectification_tasks

EDIT_ROLES = ("leader", "admin")  # who makes tasks and changes their cases
# Who sees tasks: those who see every case (the government's acceptance and assessment
# groups take the task's steps); the others work on their own cases.
VIEW_ROLES = ("leader", "admin", "acceptor", "assessor")
ENTITY = "rectification_task"
STEPS = ("accept", "assess", "publicise", "close")  # the steps a task takes as one
LIMITS = {"title": 300, "inspection": 100, "serial": 50}
T = TypeVar("T")


@dataclass(frozen=True)
class RectificationTask:
    """A task as stored, with the ids of its cases (by id)."""

    id: int
    title: str
    inspection: str | None
    serial: str | None
    contact: Contact
    created_at: datetime
    created_by: str
    case_ids: tuple[int, ...]


# --- reading -------------------------------------------------------------------------------

def _members(conn: sa.Connection, task_ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {i: [] for i in task_ids}
    rows = conn.execute(sa.select(cases.c.task_id, cases.c.id)
                        .where(cases.c.task_id.in_(task_ids)).order_by(cases.c.id))
    for task_id, case_id in rows:
        found[task_id].append(case_id)
    return found


def _build(conn: sa.Connection, rows: Sequence[sa.RowMapping]) -> list[RectificationTask]:
    members = _members(conn, [r["id"] for r in rows]) if rows else {}
    return [RectificationTask(r["id"], r["title"], r["inspection"], r["serial"],
                              Contact(r["contact_person"], r["contact_phone"],
                                      r["contact_email"]),
                              aware(r["created_at"]), r["created_by"],
                              tuple(members[r["id"]])) for r in rows]


def get_task(conn: sa.Connection, task_id: int) -> RectificationTask:
    """The task with this id; NotFound if there is none."""
    rows = conn.execute(sa.select(rectification_tasks)
                        .where(rectification_tasks.c.id == task_id)).mappings().all()
    if not rows:
        raise NotFound(f"rectification task {task_id}: no such task")
    return _build(conn, rows)[0]


def list_tasks(conn: sa.Connection) -> list[RectificationTask]:
    """Every task, newest first."""
    rows = conn.execute(sa.select(rectification_tasks)
                        .order_by(rectification_tasks.c.id.desc())).mappings().all()
    return _build(conn, rows)


def task_cases(conn: sa.Connection, task: RectificationTask) -> list[Case]:
    """The task's cases, by reference."""
    return sorted(get_cases(conn, task.case_ids), key=lambda c: c.reference)


def least_state(found: Sequence[Case]) -> str | None:
    """The state of the task as a whole: that of its least advanced case (None: no cases)."""
    if not found:
        return None
    return min((c.state for c in found), key=CASE_STATES.index)


def check_viewer(actor: Actor) -> None:
    """NotAllowed unless the actor's role sees tasks."""
    if actor.role not in VIEW_ROLES:
        raise NotAllowed(f"rectification tasks: role {actor.role!r} may not see them; only "
                         f"{', '.join(VIEW_ROLES)}")


def may_edit(actor: Actor) -> bool:
    """Whether the actor may make tasks and change their cases."""
    return actor.role in EDIT_ROLES


# --- making and changing tasks -------------------------------------------------------------

def check_editor(actor: Actor, what: str = "rectification tasks") -> None:
    """NotAllowed unless the actor may make tasks and change their cases."""
    if actor.role not in EDIT_ROLES:
        raise NotAllowed(f"{what}: role {actor.role!r} may not make or change tasks; only "
                         f"{', '.join(EDIT_ROLES)}")


def _fields(what: str, title: str, inspection: str | None,
            serial: str | None) -> dict[str, str | None]:
    values = {"title": (title or "").strip(), "inspection": (inspection or "").strip() or None,
              "serial": (serial or "").strip() or None}
    if not values["title"]:
        raise InvalidInput(f"{what}: title must not be empty")
    for name, limit in LIMITS.items():
        if values[name] is not None and len(values[name]) > limit:
            raise InvalidInput(f"{what}: {name} is longer than {limit} characters")
    return values


def create_task(conn: sa.Connection, *, actor: Actor, clock: Clock, title: str,
                inspection: str | None = None, serial: str | None = None,
                contact: Contact | None = None, case_ids: Sequence[int] = ()) -> int:
    """Make a task (a leader or an admin) with its cases, if given; its id."""
    what = f"task {title!r}"
    check_editor(actor, what)
    values = _fields(what, title, inspection, serial)
    person = checked(contact or Contact(), what)
    now = clock.now()
    task_id = conn.execute(sa.insert(rectification_tasks).returning(rectification_tasks.c.id),
                           values | {"contact_person": person.person,
                                     "contact_phone": person.phone,
                                     "contact_email": person.email, "created_at": now,
                                     "created_by": actor.name}).scalar_one()
    audit.record(conn, actor=actor, action="task.create", entity=ENTITY, entity_id=task_id,
                 at=now, data=values)
    if case_ids:
        add_cases(conn, task_id=task_id, case_ids=case_ids, actor=actor, clock=clock)
    return task_id


def _wanted_cases(conn: sa.Connection, task_id: int, case_ids: Sequence[int]) -> list[Case]:
    wanted = list(dict.fromkeys(case_ids))
    found = get_cases(conn, wanted)
    missing = sorted(set(wanted) - {c.id for c in found})
    if missing:
        raise NotFound(f"task {task_id}: no case with id {', '.join(map(str, missing))}")
    return found


def add_cases(conn: sa.Connection, *, task_id: int, case_ids: Sequence[int], actor: Actor,
              clock: Clock) -> list[int]:
    """Put cases in the task (a case belongs to one task at most); the ids of those added
    (a case already in it is left as it is)."""
    task = get_task(conn, task_id)
    check_editor(actor, f"task {task_id}")
    found = _wanted_cases(conn, task_id, case_ids)
    taken = [c.reference for c in found if c.task_id not in (None, task.id)]
    if taken:
        raise InvalidInput(f"task {task_id}: case {', '.join(taken)} is already part of "
                           "another task")
    new = [c for c in found if c.task_id is None]
    now = clock.now()
    for case in new:
        conn.execute(sa.update(cases).where(cases.c.id == case.id).values(task_id=task.id))
        audit.record(conn, actor=actor, action="case.join_task", entity="case",
                     entity_id=case.id, at=now, data={"task_id": task.id})
    return [c.id for c in new]


def remove_cases(conn: sa.Connection, *, task_id: int, case_ids: Sequence[int],
                 actor: Actor, clock: Clock) -> None:
    """Take cases out of the task; each keeps its own state, evidence and rounds."""
    task = get_task(conn, task_id)
    check_editor(actor, f"task {task_id}")
    found = _wanted_cases(conn, task_id, case_ids)
    outside = [c.reference for c in found if c.task_id != task.id]
    if outside:
        raise InvalidInput(f"task {task_id}: case {', '.join(outside)} is not part of it")
    now = clock.now()
    for case in found:
        conn.execute(sa.update(cases).where(cases.c.id == case.id).values(task_id=None))
        audit.record(conn, actor=actor, action="case.leave_task", entity="case",
                     entity_id=case.id, at=now, data={"task_id": task.id})


# --- the steps, taken as one ---------------------------------------------------------------

ACTIONS = {"accept": "accept", "assess": "assess", "publicise": "publicise", "close": "close"}


def _blocked(task: RectificationTask, case: Case, step: str, exc: InspectionError) -> TaskBlocked:
    return TaskBlocked(task.id, case.reference, step, exc)


def check_step(conn: sa.Connection, task_id: int, step: str,
               actor: Actor) -> tuple[RectificationTask, list[Case]]:
    """The task and its cases once every case may take the step now (who and state): else
    TaskBlocked naming the first case, by reference, that may not."""
    if step not in STEPS:
        raise InvalidInput(f"task {task_id}: step {step!r} is unknown; use one of "
                           f"{', '.join(STEPS)}")
    task = get_task(conn, task_id)
    found = task_cases(conn, task)
    if not found:
        raise InvalidInput(f"task {task_id}: has no cases to {step}")
    for case in found:
        try:
            workflow.check_allowed(conn, case, ACTIONS[step], actor)
            workflow.check_state(case, ACTIONS[step])
        except InspectionError as exc:
            raise _blocked(task, case, step, exc) from exc
    return task, found


def _each(conn: sa.Connection, task_id: int, step: str, actor: Actor, clock: Clock,
          take: Callable[[Case], T], data: dict[str, Any] | None = None) -> list[T]:
    """Take the step on every case of the task (after checking them all), then audit the
    task's step; what each case's step gave back. In a savepoint: a case refusing half-way
    undoes the cases before it even if the caller goes on with its transaction."""
    task, found = check_step(conn, task_id, step, actor)
    results = []
    with conn.begin_nested():
        for case in found:
            try:
                results.append(take(case))
            except InspectionError as exc:
                raise _blocked(task, case, step, exc) from exc
        audit.record(conn, actor=actor, action=f"task.{step}", entity=ENTITY,
                     entity_id=task.id, at=clock.now(),
                     data={"case_ids": [c.id for c in found]} | (data or {}))
    return results


def accept_task(conn: sa.Connection, *, task_id: int, actor: Actor, clock: Clock,
                photo_ids: Sequence[int] = (),
                photos_by_case: Mapping[int, Sequence[int]] | None = None,
                note: str | None = None) -> None:
    """rectified -> accepted for every case: the acceptance group's photos of the whole
    task (`photo_ids`, linked to each case) and of each site (`photos_by_case`)."""
    own = photos_by_case or {}

    def take(case: Case) -> None:
        workflow.accept(conn, case_id=case.id, actor=actor, clock=clock,
                        photo_ids=[*photo_ids, *own.get(case.id, ())], note=note)

    _each(conn, task_id, "accept", actor, clock, take, {"photo_ids": list(photo_ids)})


def assess_task(conn: sa.Connection, *, task_id: int, actor: Actor, clock: Clock,
                conclusion: str, documents: Sequence[Document]) -> list[int]:
    """accepted -> assessed for every case, with the group's one conclusion and documents;
    the assessments' ids, by case reference."""
    def take(case: Case) -> int:
        return workflow.assess(conn, case_id=case.id, actor=actor, clock=clock,
                               conclusion=conclusion, documents=documents)

    return _each(conn, task_id, "assess", actor, clock, take)


def publicise_task(conn: sa.Connection, *, task_id: int, actor: Actor, clock: Clock,
                   notice_start: date, notice_end: date) -> None:
    """assessed -> publicised for every case, all on notice for the same period."""
    def take(case: Case) -> None:
        workflow.publicise(conn, case_id=case.id, actor=actor, clock=clock,
                           notice_start=notice_start, notice_end=notice_end)

    _each(conn, task_id, "publicise", actor, clock, take,
          {"notice_start": str(notice_start), "notice_end": str(notice_end)})


def close_task(conn: sa.Connection, *, task_id: int, actor: Actor, clock: Clock,
               note: str | None = None, policy: LookbackPolicy | None = None) -> None:
    """publicised -> closed for every case once its notice period is over; each case gets
    its own look-back rounds."""
    def take(case: Case) -> None:
        workflow.close(conn, case_id=case.id, actor=actor, clock=clock, note=note,
                       policy=policy)

    _each(conn, task_id, "close", actor, clock, take)


def _ready(case: Case, step: str, today: date) -> bool:
    """Whether the case is where the step applies (closing: its notice period over)."""
    try:
        workflow.check_state(case, ACTIONS[step])
    except InspectionError:
        return False
    return step != "close" or (case.notice_end is not None and today > case.notice_end)


def open_steps(conn: sa.Connection, found: Sequence[Case], actor: Actor,
               today: date) -> dict[str, list[str]]:
    """The task's steps to offer this actor now, each with the references of the cases that
    would block it: a step is offered when the actor's role may take it on every case and
    at least one case is ready for it (taking it while others block is refused, naming
    the first of them)."""
    offered: dict[str, list[str]] = {}
    for step in STEPS:
        try:
            for case in found:
                workflow.check_allowed(conn, case, ACTIONS[step], actor)
        except InspectionError:
            continue
        ready = [c for c in found if _ready(c, step, today)]
        if ready:
            offered[step] = [c.reference for c in found if c not in ready]
    return offered
