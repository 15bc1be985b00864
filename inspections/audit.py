"""The append-only audit log, hash-chained: who did what, when, to which record, and why.

Each entry's hash covers the previous entry's hash and its own fields. Entries are keyed
(scheme "hmac-sha256": an HMAC under a secret kept outside the database, see audit_key), so
nobody with database access alone can write or rewrite one that checks; entries written
before the key existed keep their plain SHA-256 (scheme "sha256") and still check.
audit_chain says how an entry is hashed, audit_verify checks the chain (`verify`, here too),
audit_anchor writes its head down outside the database."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from inspections.actors import Actor
from inspections.audit_anchor import Head
from inspections.audit_chain import GENESIS, KEYED, PLAIN, entry_mac
from inspections.audit_key import key_of
from inspections.audit_verify import Verification as Verification  # re-exported
from inspections.audit_verify import verify as verify  # re-exported
from inspections.schema import audit_log

_PG_LOCK = 4_242_001  # the one advisory lock serialising writers, so the chain never forks


def serialise(conn: sa.Connection) -> None:
    """Hold the writers' lock until the transaction ends (PostgreSQL; SQLite's BEGIN
    IMMEDIATE already serialises). Every writer that needs the lock, for the audit chain or
    for the next number in a series, takes this same one, so two of them cannot deadlock."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})


def record(conn: sa.Connection, *, actor: Actor, action: str, entity: str, entity_id: int,
           at: datetime, note: str | None = None, data: dict[str, Any] | None = None) -> int:
    """Append an entry, keyed with the key the connection carries (see audit_key), in the
    caller's transaction; its id."""
    key = key_of(conn)
    serialise(conn)
    prev = conn.execute(sa.select(audit_log.c.hash).order_by(audit_log.c.id.desc())
                        .limit(1)).scalar() or GENESIS
    data = json.loads(json.dumps(data or {}, default=str))  # what the database gives back
    # SQLite keeps no offset: store UTC.
    values = {"at": at.astimezone(UTC), "actor": actor.name, "role": actor.role, "action": action,
              "entity": entity, "entity_id": entity_id, "note": note, "data": data}
    digest = entry_mac(key, prev, **values)
    return conn.execute(sa.insert(audit_log).returning(audit_log.c.id),
                        values | {"prev_hash": prev, "hash": digest, "scheme": KEYED}
                        ).scalar_one()


def head(conn: sa.Connection) -> Head:
    """The chain's head as committed now: entries, plain-hashed entries, the last hash."""
    last = (sa.select(audit_log.c.hash).order_by(audit_log.c.id.desc()).limit(1)
            .scalar_subquery())
    plain = sa.func.coalesce(sa.func.sum(sa.case((audit_log.c.scheme == PLAIN, 1), else_=0)), 0)
    row = conn.execute(sa.select(sa.func.count(), plain, last).select_from(audit_log)).one()
    return Head(row[0], int(row[1]), row[2] or GENESIS)


def history(conn: sa.Connection, entity: str, entity_id: int) -> list[sa.RowMapping]:
    """Every entry about one record, oldest first."""
    return list(conn.execute(
        sa.select(audit_log).where(audit_log.c.entity == entity,
                                   audit_log.c.entity_id == entity_id)
        .order_by(audit_log.c.id)).mappings())


def case_timeline(conn: sa.Connection, case_id: int) -> list[sa.RowMapping]:
    """A case's entries with those of its measures and objections, oldest first."""
    rows = conn.execute(
        sa.select(audit_log).where(sa.or_(
            sa.and_(audit_log.c.entity == "case", audit_log.c.entity_id == case_id),
            audit_log.c.entity.in_(("measure", "objection"))))
        .order_by(audit_log.c.id)).mappings()
    return [r for r in rows if r["entity"] == "case"
            or (isinstance(r["data"], dict) and r["data"].get("case_id") == case_id)]
