"""Editing a case's particulars (案件信息) and its checklist of measures outside the
workflow: a leader or admin corrects a title, the responsible unit, the target, adds a
measure or rewords one not yet done. Each edit is one audit entry naming what changed (the
state and the deadline move only through the workflow's steps)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from inspections import audit
from inspections.actors import Actor
from inspections.changes import changed, write
from inspections.clock import Clock
from inspections.errors import IllegalTransition, InvalidInput, NotAllowed, NotFound
from inspections.schema import cases, measures

EDIT_ROLES = ("leader", "admin")
REQUIRED = ("title", "responsible_unit", "target")
OPTIONAL = ("description", "leader", "inspection")
EDITABLE = (*REQUIRED, *OPTIONAL, "key_case", "batch")
MEASURE_STATES = ("open", "rectifying")  # a checklist changes only while work is under way
INSPECTION_SOURCES = ("inspection_feedback", "petition")


def may_edit(role: str) -> bool:
    """Whether a role may edit cases' particulars and measures (and so import the case and
    measure ledgers)."""
    return role in EDIT_ROLES


def _case_row(conn: sa.Connection, case_id: int, actor: Actor) -> sa.RowMapping:
    row = conn.execute(sa.select(cases).where(cases.c.id == case_id)).mappings().first()
    if row is None:
        raise NotFound(f"case id {case_id}: no such case")
    if not may_edit(actor.role):
        raise NotAllowed(f"case {row['reference']}: role {actor.role!r} may not edit it; "
                         f"only {', '.join(EDIT_ROLES)}")
    return row


def _checked(row: sa.RowMapping, wanted: Mapping[str, Any]) -> dict[str, Any]:
    label = f"case {row['reference']}"
    unknown = sorted(set(wanted) - set(EDITABLE))
    if unknown:
        raise InvalidInput(f"{label}: {', '.join(unknown)} cannot be edited here")
    values = dict(wanted)
    for name in REQUIRED:
        if name in values:
            if values[name] is None or not str(values[name]).strip():
                raise InvalidInput(f"{label}: {name} must not be empty")
            values[name] = str(values[name]).strip()
    if "description" in values:
        values["description"] = (values["description"] or "").strip()
    if values.get("inspection") and row["source"] not in INSPECTION_SOURCES:
        raise InvalidInput(f"{label}: inspection is only for "
                           f"{' and '.join(INSPECTION_SOURCES)} cases")
    batch = values.get("batch")
    if batch is not None and (row["source"] != "petition" or isinstance(batch, bool)
                              or not isinstance(batch, int) or batch < 1):
        raise InvalidInput(f"{label}: batch {batch!r} is only for petitions, a whole number "
                           "from 1")
    if "batch" in values and batch is None and row["source"] == "petition":
        raise InvalidInput(f"{label}: batch is required for a petition")
    if "key_case" in values:
        values["key_case"] = bool(values["key_case"])
    return values


def edit_case(conn: sa.Connection, *, case_id: int, actor: Actor, clock: Clock,
              values: Mapping[str, Any]) -> bool:
    """Set a case's particulars (title, unit, target, description, leader, inspection,
    batch, key case); whether anything changed (then audited). The person in charge has its
    own step (cases.assign_person)."""
    row = _case_row(conn, case_id, actor)
    diff = changed(row, _checked(row, values))
    if not diff:
        return False
    write(conn, cases, case_id, diff)
    audit.record(conn, actor=actor, action="case.edit", entity="case", entity_id=case_id,
                 at=clock.now(), data={"reference": row["reference"], "changes": diff})
    return True


def _open_checklist(row: sa.RowMapping) -> None:
    if row["state"] not in MEASURE_STATES:
        raise IllegalTransition(f"case {row['reference']}: its measures cannot change while "
                                f"it is '{row['state']}'; only while "
                                f"{' or '.join(MEASURE_STATES)}")


def _measure_text(row: sa.RowMapping, text: str | None) -> str:
    if text is None or not text.strip():
        raise InvalidInput(f"case {row['reference']}: a measure's text must not be empty")
    return text.strip()


def add_measure(conn: sa.Connection, *, case_id: int, actor: Actor, clock: Clock, text: str,
                position: int | None = None) -> int:
    """Add a measure to an open or rectifying case's checklist (at `position`, else after
    the last); its id."""
    row = _case_row(conn, case_id, actor)
    _open_checklist(row)
    text = _measure_text(row, text)
    taken = set(conn.execute(sa.select(measures.c.position)
                             .where(measures.c.case_id == case_id)).scalars())
    if position is None:
        position = max(taken, default=0) + 1
    if position < 1 or position in taken:
        raise InvalidInput(f"case {row['reference']}: measure position {position} is taken "
                           "or not a whole number from 1")
    measure_id = conn.execute(sa.insert(measures).returning(measures.c.id),
                              {"case_id": case_id, "position": position, "text": text}
                              ).scalar_one()
    audit.record(conn, actor=actor, action="measure.add", entity="measure",
                 entity_id=measure_id, at=clock.now(), note=text,
                 data={"case_id": case_id, "position": position})
    return measure_id


def edit_measure(conn: sa.Connection, *, case_id: int, position: int, actor: Actor,
                 clock: Clock, text: str) -> bool:
    """Reword a measure not yet done of an open or rectifying case; whether it changed."""
    row = _case_row(conn, case_id, actor)
    measure = conn.execute(sa.select(measures).where(measures.c.case_id == case_id,
                                                     measures.c.position == position)
                           ).mappings().first()
    if measure is None:
        raise NotFound(f"case {row['reference']}: no measure at position {position}")
    text = _measure_text(row, text)
    if text == measure["text"]:
        return False
    _open_checklist(row)
    if measure["done_at"] is not None:
        raise IllegalTransition(f"case {row['reference']}: measure {position} is done; its "
                                "text stays as it was when it was done")
    conn.execute(sa.update(measures).where(measures.c.id == measure["id"]).values(text=text))
    audit.record(conn, actor=actor, action="measure.edit", entity="measure",
                 entity_id=measure["id"], at=clock.now(), note=text,
                 data={"case_id": case_id, "position": position,
                       "changes": {"text": [measure["text"], text]}})
    return True
