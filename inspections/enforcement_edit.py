"""Correcting a recorded enforcement action (执法): its date, fine, persons, site, case and
document (the kind and number name it), by those who record actions; one audit entry naming
what changed."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa

from inspections import audit
from inspections.actors import Actor
from inspections.changes import changed, write
from inspections.clock import Clock
from inspections.enforcement import (
    CENT,
    RECORD_ROLES,
    _check_fine,
    _check_links,
    _check_persons,
)
from inspections.errors import InvalidInput, NotAllowed, NotFound
from inspections.schema import enforcement_actions


def edit_action(conn: sa.Connection, *, action_id: int, actor: Actor, clock: Clock,
                decided_on: date, fine_yuan: Decimal | None = None, persons: int | None = None,
                site_id: int | None = None, case_id: int | None = None,
                document_ref: str | None = None) -> bool:
    """Set an action's fields (not its kind and number); whether anything changed."""
    t = enforcement_actions
    row = conn.execute(sa.select(t).where(t.c.id == action_id)).mappings().first()
    if row is None:
        raise NotFound(f"enforcement action {action_id}: no such action")
    label = f"enforcement {row['kind']} {row['number']}"
    if actor.role not in RECORD_ROLES:
        raise NotAllowed(f"{label}: role {actor.role!r} may not edit enforcement actions")
    if isinstance(decided_on, datetime) or not isinstance(decided_on, date):
        raise InvalidInput(f"{label}: decided_on {decided_on!r} is not a date")
    fine = _check_fine(row["kind"], row["number"], fine_yuan)
    persons = _check_persons(row["kind"], row["number"], persons)
    _check_links(conn, label, site_id, case_id)
    stored = dict(row) | {"fine_yuan": None if row["fine_yuan"] is None
                          else Decimal(row["fine_yuan"]).quantize(CENT)}
    diff = changed(stored, {"decided_on": decided_on, "fine_yuan": fine, "persons": persons,
                            "site_id": site_id, "case_id": case_id,
                            "document_ref": (document_ref or "").strip() or None})
    if not diff:
        return False
    write(conn, t, action_id, diff)
    audit.record(conn, actor=actor, action="enforcement.edit", entity="enforcement",
                 entity_id=action_id, at=clock.now(), data={"changes": diff})
    return True
