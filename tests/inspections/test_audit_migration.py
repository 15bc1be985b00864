"""An audit log written before the key existed is upgraded in place: its entries are marked
plain-hashed and still verify; the entries written after them are keyed."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa

from geo.db import create_engine
from geo.migrate import upgrade
from inspections import audit
from inspections.actors import Actor
from inspections.audit_chain import entry_hash
from inspections.audit_key import attach
from tests.conftest import ALL_VERSIONS, TEST_AUDIT_KEY

T0 = datetime(2022, 3, 1, 9, 0, tzinfo=UTC)


def _old_entries(conn: sa.Connection, n: int) -> None:
    """What the code before the key wrote: plain SHA-256 links, no scheme column."""
    prev = audit.GENESIS
    for i in range(n):
        fields = {"at": T0, "actor": "li.ming", "role": "leader", "action": f"case.step_{i}",
                  "entity": "case", "entity_id": 1, "note": "旧记录", "data": {"n": i}}
        digest = entry_hash(prev, **fields)
        conn.execute(sa.text(
            "INSERT INTO audit_log (at, actor, role, action, entity, entity_id, note, data, "
            "prev_hash, hash) VALUES (:at, :actor, :role, :action, :entity, :entity_id, "
            ":note, :data, :prev, :hash)"),
            fields | {"data": json.dumps({"n": i}), "prev": prev, "hash": digest})
        prev = digest


def test_old_entries_stay_verifiable_and_new_ones_are_keyed(database_url: str) -> None:
    engine = create_engine(database_url)
    attach(engine, TEST_AUDIT_KEY)
    upgrade(engine, ALL_VERSIONS, target="inspections_0003")
    with engine.begin() as conn:
        _old_entries(conn, 2)
    upgrade(engine, ALL_VERSIONS)  # through inspections_0004 (the scheme column) and on
    with engine.connect() as conn:
        schemes = conn.execute(sa.text("SELECT scheme FROM audit_log ORDER BY id")).scalars()
        assert list(schemes) == ["sha256", "sha256"]
        before = audit.verify(conn)
    assert (before.ok, before.entries, before.plain, before.keyed) == (True, 2, 2, 0)
    with engine.begin() as conn:
        audit.record(conn, actor=Actor("li.ming", "leader"), action="case.close",
                     entity="case", entity_id=1, at=T0)
    with engine.connect() as conn:
        after = audit.verify(conn)
        last = conn.execute(sa.text("SELECT scheme FROM audit_log ORDER BY id DESC")).first()
    assert (after.ok, after.entries, after.plain, after.keyed) == (True, 3, 2, 1)
    assert last == ("hmac-sha256",)
    engine.dispose()
