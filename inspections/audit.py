"""The append-only audit log, hash-chained: who did what, when, to which record, and why."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from inspections.actors import Actor
from inspections.clock import aware
from inspections.schema import audit_log

GENESIS = "0" * 64
_PG_LOCK = 4_242_001  # the one advisory lock serialising writers, so the chain never forks


def serialise(conn: sa.Connection) -> None:
    """Hold the writers' lock until the transaction ends (PostgreSQL; SQLite's BEGIN
    IMMEDIATE already serialises). Every writer that needs the lock, for the audit chain or
    for the next number in a series, takes this same one, so two of them cannot deadlock."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})


def _canonical_time(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def entry_hash(prev_hash: str, *, at: datetime, actor: str, role: str, action: str,
               entity: str, entity_id: int, note: str | None, data: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and a canonical JSON of the entry."""
    body = json.dumps(
        {"at": _canonical_time(at), "actor": actor, "role": role, "action": action,
         "entity": entity, "entity_id": entity_id, "note": note, "data": data},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def record(conn: sa.Connection, *, actor: Actor, action: str, entity: str, entity_id: int,
           at: datetime, note: str | None = None, data: dict[str, Any] | None = None) -> int:
    """Append an entry in the caller's transaction; its id."""
    serialise(conn)
    prev = conn.execute(sa.select(audit_log.c.hash).order_by(audit_log.c.id.desc())
                        .limit(1)).scalar() or GENESIS
    data = json.loads(json.dumps(data or {}, default=str))  # what the database gives back
    # SQLite keeps no offset: store UTC.
    values = {"at": at.astimezone(UTC), "actor": actor.name, "role": actor.role, "action": action,
              "entity": entity, "entity_id": entity_id, "note": note, "data": data}
    digest = entry_hash(prev, **values)
    return conn.execute(sa.insert(audit_log).returning(audit_log.c.id),
                        values | {"prev_hash": prev, "hash": digest}).scalar_one()


@dataclass(frozen=True)
class Verification:
    """The outcome of walking the chain: entries checked and the first broken one, if any."""

    ok: bool
    entries: int
    first_broken_id: int | None = None
    reason: str | None = None


def verify(conn: sa.Connection) -> Verification:
    """Recompute every hash in order; name the first entry whose content or link is wrong."""
    prev = GENESIS
    count = 0
    for row in conn.execute(sa.select(audit_log).order_by(audit_log.c.id)).mappings():
        count += 1
        if row["prev_hash"] != prev:
            return Verification(False, count, row["id"],
                                f"entry {row['id']} does not follow entry before it "
                                "(an entry was removed or reordered)")
        expected = entry_hash(prev, at=aware(row["at"]), actor=row["actor"], role=row["role"],
                              action=row["action"], entity=row["entity"],
                              entity_id=row["entity_id"], note=row["note"], data=row["data"])
        if row["hash"] != expected:
            return Verification(False, count, row["id"],
                                f"entry {row['id']} ({row['action']} on {row['entity']} "
                                f"{row['entity_id']}) was changed after it was written")
        prev = row["hash"]
    return Verification(True, count)


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
