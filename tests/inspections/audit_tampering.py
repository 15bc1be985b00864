"""What someone with database access (and without the audit key) can do to the audit log:
recompute every link and hash, with a plain hash or a key of their own; and entries as the
code before the key wrote them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from inspections.audit_chain import GENESIS, entry_hash, entry_mac
from inspections.audit_key import AuditKey
from inspections.clock import aware
from inspections.schema import audit_log

OTHER_KEY = AuditKey(b"\x07" * 32)  # not the installation's key
OLD_TIME = datetime(2022, 3, 1, 9, 0, tzinfo=UTC)


def with_other_key(prev: str, **fields: object) -> str:
    """An entry keyed with OTHER_KEY."""
    return entry_mac(OTHER_KEY, prev, **fields)


def rewrite(engine: Engine, digest: Callable[..., str], scheme: str,
            change: dict[int, dict] | None = None) -> None:
    """Recompute every link and hash with `digest`, naming `scheme`; `change` alters some
    entries' notes first (by id)."""
    with engine.begin() as conn:
        rows = conn.execute(sa.select(audit_log).order_by(audit_log.c.id)).mappings().all()
        prev = GENESIS
        for row in rows:
            fields = {k: row[k] for k in ("actor", "role", "action", "entity", "entity_id",
                                          "note", "data")} | {"at": aware(row["at"])}
            fields |= (change or {}).get(row["id"], {})
            new = digest(prev, **fields)
            conn.execute(sa.update(audit_log).where(audit_log.c.id == row["id"])
                         .values(prev_hash=prev, hash=new, scheme=scheme, note=fields["note"]))
            prev = new


def insert_plain(conn: sa.Connection, n: int) -> None:
    """Entries as the code before the key wrote them (plain SHA-256, no scheme given)."""
    prev = conn.execute(sa.select(audit_log.c.hash).order_by(audit_log.c.id.desc())
                        .limit(1)).scalar() or GENESIS
    for i in range(n):
        values = {"at": OLD_TIME, "actor": "wang.wei", "role": "grid_officer",
                  "action": f"old_{i}", "entity": "case", "entity_id": 7, "note": None,
                  "data": {"i": i}}
        digest = entry_hash(prev, **values)
        conn.execute(sa.insert(audit_log).values(values | {"prev_hash": prev, "hash": digest}))
        prev = digest
