"""The hash-chained audit log: appends, verification, and tamper detection on both backends."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from inspections import audit
from inspections.actors import Actor
from inspections.schema import audit_log

T0 = datetime(2022, 3, 1, 9, 0, tzinfo=UTC)
LEADER = Actor("li.ming", "leader")


def _three(engine) -> list[int]:  # noqa: ANN001
    with engine.begin() as conn:
        return [audit.record(conn, actor=LEADER, action=f"step_{i}", entity="case", entity_id=1,
                             at=T0, note=f"第{i}步", data={"to": "rectifying", "n": i})
                for i in range(3)]


def test_an_untouched_chain_verifies(engine) -> None:  # noqa: ANN001
    ids = _three(engine)
    with engine.connect() as conn:
        result = audit.verify(conn)
        assert (result.ok, result.entries, result.first_broken_id) == (True, 3, None)
        assert [r["id"] for r in audit.history(conn, "case", 1)] == ids
        first = conn.execute(sa.select(audit_log).order_by(audit_log.c.id)).mappings().first()
    assert first["prev_hash"] == audit.GENESIS


def test_a_changed_row_is_named(engine) -> None:  # noqa: ANN001
    ids = _three(engine)
    with engine.begin() as conn:
        conn.execute(sa.update(audit_log).where(audit_log.c.id == ids[1])
                     .values(note="改过的说明"))
    with engine.connect() as conn:
        result = audit.verify(conn)
    assert (result.ok, result.first_broken_id) == (False, ids[1])
    assert "was changed after it was written" in result.reason


def test_a_removed_row_breaks_the_link(engine) -> None:  # noqa: ANN001
    ids = _three(engine)
    with engine.begin() as conn:
        conn.execute(sa.delete(audit_log).where(audit_log.c.id == ids[1]))
    with engine.connect() as conn:
        result = audit.verify(conn)
    assert (result.ok, result.first_broken_id) == (False, ids[2])
    assert "removed or reordered" in result.reason


def test_an_empty_log_verifies(engine) -> None:  # noqa: ANN001
    with engine.connect() as conn:
        assert audit.verify(conn) == audit.Verification(True, 0)


def test_times_in_any_zone_verify(engine) -> None:  # noqa: ANN001
    from datetime import timedelta, timezone

    china = datetime(2022, 3, 1, 17, 0, tzinfo=timezone(timedelta(hours=8)))
    with engine.begin() as conn:
        audit.record(conn, actor=LEADER, action="case.create", entity="case", entity_id=1,
                     at=china)
    with engine.connect() as conn:
        assert audit.verify(conn).ok
