"""Editing a supervision ticket (督办单) not yet answered: its issuer, a leader or an admin
corrects the unit, the leader copied, the deadline or the request; one audit entry naming
what changed. An answered ticket is handled by its steps (return, verify) instead."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import sqlalchemy as sa

from inspections import audit
from inspections.actors import Actor
from inspections.changes import changed, write
from inspections.clock import Clock
from inspections.errors import IllegalTransition, InvalidInput, NotAllowed, NotFound
from inspections.schema import tickets
from inspections.tickets import ISSUERS, RETURNERS

EDITABLE = ("responsible_unit", "copy_to_leader", "deadline", "request")


def may_edit(actor: Actor, issued_by: str) -> bool:
    """Whether the actor may edit a ticket issued by `issued_by`: its issuer, a leader or
    an admin."""
    return actor.role in RETURNERS or (actor.role in ISSUERS and actor.name == issued_by)


def _checked(number: str, values: Mapping[str, Any], today: date) -> dict[str, Any]:
    unknown = sorted(set(values) - set(EDITABLE))
    if unknown:
        raise InvalidInput(f"ticket {number}: {', '.join(unknown)} cannot be edited")
    checked = dict(values)
    for name in ("responsible_unit", "request"):
        if name in checked:
            if checked[name] is None or not str(checked[name]).strip():
                raise InvalidInput(f"ticket {number}: {name} must not be empty")
            checked[name] = str(checked[name]).strip()
    if "copy_to_leader" in checked:
        checked["copy_to_leader"] = (checked["copy_to_leader"] or "").strip() or None
    deadline = checked.get("deadline")
    if "deadline" in checked and (not isinstance(deadline, date) or deadline < today):
        raise InvalidInput(f"ticket {number}: deadline {deadline} is before today {today}")
    return checked


def edit_ticket(conn: sa.Connection, *, ticket_id: int, actor: Actor, clock: Clock,
                values: Mapping[str, Any]) -> bool:
    """Set an issued ticket's unit, copied leader, deadline or request; whether anything
    changed (then audited)."""
    row = conn.execute(sa.select(tickets).where(tickets.c.id == ticket_id)).mappings().first()
    if row is None:
        raise NotFound(f"ticket {ticket_id}: no such supervision ticket")
    if not may_edit(actor, row["issued_by"]):
        raise NotAllowed(f"ticket {row['number']}: {actor.name} ({actor.role}) may not edit "
                         f"it; only its issuer {row['issued_by']}, a leader or an admin may")
    wanted = dict(values)
    if wanted.get("deadline") == row["deadline"]:
        wanted.pop("deadline")  # an unchanged deadline in the past stays as it is
    diff = changed(row, _checked(row["number"], wanted, clock.today()))
    if not diff:
        return False
    if row["state"] != "issued":
        raise IllegalTransition(f"ticket {row['number']}: cannot edit a ticket that is "
                                f"{row['state']!r}; only one issued and not yet answered")
    write(conn, tickets, ticket_id, diff)
    audit.record(conn, actor=actor, action="ticket.edit", entity="ticket", entity_id=ticket_id,
                 at=clock.now(), data={"number": row["number"], "changes": diff})
    return True
