"""Objections raised while a case is on public notice (公示): which one may still be decided,
when the notice began, and which objections keep the case from being closed."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from inspections.cases import Case
from inspections.clock import aware
from inspections.errors import IllegalTransition, NotFound
from inspections.schema import audit_log, objections


def check_undecided(conn: sa.Connection, case: Case, objection_id: int) -> None:
    """NotFound unless the objection is on the case; IllegalTransition once decided."""
    row = conn.execute(sa.select(objections.c.case_id, objections.c.decision)
                       .where(objections.c.id == objection_id)).first()
    if row is None or row.case_id != case.id:
        raise NotFound(f"case {case.reference}: no objection {objection_id} on this case")
    if row.decision is not None:
        raise IllegalTransition(f"case {case.reference}: objection {objection_id} was "
                                f"already decided ({row.decision})")


def publicised_at(conn: sa.Connection, case: Case) -> datetime | None:
    """When the case was last put on public notice (from the audit log), if ever."""
    at = conn.execute(sa.select(audit_log.c.at)
                      .where(audit_log.c.entity == "case", audit_log.c.entity_id == case.id,
                             audit_log.c.action == "case.publicise")
                      .order_by(audit_log.c.id.desc()).limit(1)).scalar()
    return aware(at)


def blocking_objections(conn: sa.Connection, case: Case) -> list[str]:
    """The objections raised since the last notice that keep the case open (undecided or
    upheld), as "id (decision)"."""
    since = publicised_at(conn, case)
    rows = conn.execute(sa.select(objections.c.id, objections.c.received_at,
                                  objections.c.decision)
                        .where(objections.c.case_id == case.id)
                        .order_by(objections.c.id)).all()
    return [f"{r.id} ({r.decision or 'undecided'})" for r in rows
            if (since is None or aware(r.received_at) >= since)
            and r.decision in (None, "upheld")]
