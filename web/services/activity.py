"""Recent activity on the work desk: the latest audit entries about records the user may see
(cases and their measures, objections, rounds, tickets), each with its record's reference."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from inspections.actors import SYSTEM
from inspections.clock import aware
from inspections.schema import audit_log, measures
from web.accounts.users import User
from web.services.notifications import RESOLVERS, case_refs

SHOWN = 8
LOOKED_AT = 400  # the newest entries read to find SHOWN the user may see
KNOWN_ENTITIES = ("case", "measure", "objection", "round", "ticket")


@dataclass(frozen=True)
class Activity:
    """One thing done: when, by whom (None: the system), what (its audit action, worded by
    web/pages/labels.py), to what."""

    at: datetime
    actor: str | None
    action: str
    reference: str
    href: str


def _measure_refs(conn: sa.Connection, user: User, ids: set[int]) -> dict[int, tuple[str, str]]:
    case_of = {m: c for m, c in conn.execute(sa.select(measures.c.id, measures.c.case_id)
                                             .where(measures.c.id.in_(ids)))}
    refs = case_refs(conn, user, set(case_of.values()))
    return {m: refs[c] for m, c in case_of.items() if c in refs}


def recent_activity(conn: sa.Connection, user: User, labelled: set[str],
                    limit: int = SHOWN) -> list[Activity]:
    """The newest entries (among actions with a label in `labelled`) about records the user
    sees, the newest first."""
    a = audit_log
    rows = conn.execute(sa.select(a.c.at, a.c.actor, a.c.action, a.c.entity,
                                  a.c.entity_id)
                        .where(a.c.entity.in_(KNOWN_ENTITIES), a.c.action.in_(sorted(labelled)))
                        .order_by(a.c.at.desc(), a.c.id.desc()).limit(LOOKED_AT)).all()
    resolvers = {**RESOLVERS, "measure": _measure_refs}
    refs = {entity: resolve(conn, user, {r.entity_id for r in rows if r.entity == entity})
            for entity, resolve in resolvers.items()}
    found = []
    for r in rows:
        ref = refs[r.entity].get(r.entity_id)
        if ref is not None:
            found.append(Activity(aware(r.at), None if r.actor == SYSTEM.name else r.actor,
                                  r.action, *ref))
        if len(found) == limit:
            break
    return found
