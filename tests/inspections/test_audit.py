"""The audit chain on both backends: keyed appends, verification, and tampering detected by
the key (a changed or forged entry) and by the anchors (cut short, recomputed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from geo.db import create_engine
from geo.migrate import upgrade
from inspections import audit, audit_anchor
from inspections.actors import Actor
from inspections.audit_chain import entry_hash, entry_mac
from inspections.audit_key import AuditKey
from inspections.clock import aware
from inspections.errors import AuditKeyError
from inspections.schema import audit_log
from tests.conftest import ALL_VERSIONS, TEST_AUDIT_KEY
from tests.inspections.audit_tampering import OTHER_KEY, insert_plain, rewrite, with_other_key

T0 = datetime(2022, 3, 1, 9, 0, tzinfo=UTC)
LEADER = Actor("li.ming", "leader")
KEY = TEST_AUDIT_KEY  # the key the `engine` fixture's connections carry


def _three(engine) -> list[int]:  # noqa: ANN001
    with engine.begin() as conn:
        return [audit.record(conn, actor=LEADER, action=f"step_{i}", entity="case", entity_id=1,
                             at=T0, note=f"第{i}步", data={"to": "rectifying", "n": i})
                for i in range(3)]


def _anchor(engine, path: Path, writer: str = "tick") -> None:  # noqa: ANN001
    with engine.connect() as conn:
        audit_anchor.append(path, audit.head(conn), at=T0, writer=writer, key=KEY)


def _verify(engine, path: Path | None = None, key: AuditKey | None = None):  # noqa: ANN001, ANN202
    with engine.connect() as conn:
        return audit.verify(conn, key, path)


# --- the chain and the key -----------------------------------------------------------------

def test_an_untouched_chain_verifies_and_is_keyed(engine) -> None:  # noqa: ANN001
    ids = _three(engine)
    result = _verify(engine)
    assert (result.ok, result.entries, result.keyed, result.plain) == (True, 3, 3, 0)
    with engine.connect() as conn:
        assert [r["id"] for r in audit.history(conn, "case", 1)] == ids
        rows = conn.execute(sa.select(audit_log).order_by(audit_log.c.id)).mappings().all()
    assert rows[0]["prev_hash"] == audit.GENESIS
    assert {r["scheme"] for r in rows} == {"hmac-sha256"}
    fields = {k: rows[0][k] for k in ("actor", "role", "action", "entity", "entity_id", "note",
                                      "data")} | {"at": aware(rows[0]["at"])}
    assert rows[0]["hash"] == entry_mac(KEY, audit.GENESIS, **fields)
    assert rows[0]["hash"] != entry_hash(audit.GENESIS, **fields)  # not the plain hash


def test_a_connection_without_a_key_writes_nothing(database_url: str) -> None:
    bare = create_engine(database_url)  # opened without the application: no audit key
    upgrade(bare, ALL_VERSIONS)
    with pytest.raises(AuditKeyError, match="carries no audit key"), bare.begin() as conn:
        audit.record(conn, actor=LEADER, action="case.create", entity="case", entity_id=1,
                     at=T0)
    with bare.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(audit_log)).scalar() == 0
    bare.dispose()


def test_a_changed_row_is_named(engine) -> None:  # noqa: ANN001
    ids = _three(engine)
    with engine.begin() as conn:
        conn.execute(sa.update(audit_log).where(audit_log.c.id == ids[1])
                     .values(note="改过的说明"))
    result = _verify(engine)
    assert (result.ok, result.first_broken_id, result.problem) == (False, ids[1], "forged")
    assert f"entry {ids[1]} (step_1 on case 1): its HMAC does not match" in result.reason
    assert result.facts["id"] == ids[1]


def test_a_removed_row_breaks_the_link(engine) -> None:  # noqa: ANN001
    ids = _three(engine)
    with engine.begin() as conn:
        conn.execute(sa.delete(audit_log).where(audit_log.c.id == ids[1]))
    result = _verify(engine)
    assert (result.ok, result.first_broken_id, result.problem) == (False, ids[2], "unlinked")
    assert "removed or reordered" in result.reason


def test_an_empty_log_verifies(engine, tmp_path: Path) -> None:  # noqa: ANN001
    assert _verify(engine) == audit.Verification(True, 0)
    _anchor(engine, tmp_path / "a.anchor", "init")
    assert _verify(engine, tmp_path / "a.anchor") == audit.Verification(True, 0, anchors=1)


def test_times_in_any_zone_verify(engine) -> None:  # noqa: ANN001
    china = datetime(2022, 3, 1, 17, 0, tzinfo=timezone(timedelta(hours=8)))
    with engine.begin() as conn:
        audit.record(conn, actor=LEADER, action="case.create", entity="case", entity_id=1,
                     at=china)
    assert _verify(engine).ok


def test_a_chain_keyed_with_another_key_fails_at_its_first_entry(engine) -> None:  # noqa: ANN001
    ids = _three(engine)
    result = _verify(engine, key=OTHER_KEY)
    assert (result.ok, result.first_broken_id, result.problem) == (False, ids[0], "forged")


@pytest.mark.parametrize("how", ["wrong_key", "plain_hash_named_keyed"])
def test_a_chain_recomputed_without_the_key_is_caught_by_the_key(engine, how: str) -> None:  # noqa: ANN001
    ids = _three(engine)
    digest, scheme = ((with_other_key, "hmac-sha256") if how == "wrong_key"
                      else (entry_hash, "hmac-sha256"))
    rewrite(engine, digest, scheme, change={ids[1]: {"note": "改过的说明"}})
    result = _verify(engine)
    assert (result.ok, result.first_broken_id, result.problem) == (False, ids[0], "forged")


def test_plain_entries_after_keyed_ones_are_caught(engine) -> None:  # noqa: ANN001
    ids = _three(engine)
    with engine.begin() as conn:  # the newest entry recomputed as if from before the key
        row = conn.execute(sa.select(audit_log).where(audit_log.c.id == ids[2])).mappings().one()
        fields = {k: row[k] for k in ("actor", "role", "action", "entity", "entity_id",
                                      "note", "data")} | {"at": aware(row["at"])}
        conn.execute(sa.update(audit_log).where(audit_log.c.id == ids[2]).values(
            scheme="sha256", hash=entry_hash(row["prev_hash"], **fields)))
    result = _verify(engine)
    assert (result.ok, result.first_broken_id, result.problem) == (
        False, ids[2], "plain_after_keyed")
    assert "hashed without the key after keyed entries" in result.reason


def test_an_unknown_scheme_is_named(engine) -> None:  # noqa: ANN001
    ids = _three(engine)
    with engine.begin() as conn:
        conn.execute(sa.update(audit_log).where(audit_log.c.id == ids[0]).values(scheme="md5"))
    result = _verify(engine)
    assert (result.ok, result.first_broken_id, result.problem) == (False, ids[0],
                                                                    "unknown_scheme")


# --- the anchors ---------------------------------------------------------------------------

def test_anchors_of_a_good_chain_match(engine, tmp_path: Path) -> None:  # noqa: ANN001
    anchors = tmp_path / "audit.anchor"
    _anchor(engine, anchors, "init")
    _three(engine)
    _anchor(engine, anchors)
    _three(engine)  # entries after the last anchor are fine
    result = _verify(engine, anchors)
    assert (result.ok, result.entries, result.anchors) == (True, 6, 2)


def test_the_anchor_catches_a_deleted_newest_entry(engine, tmp_path: Path) -> None:  # noqa: ANN001
    anchors = tmp_path / "audit.anchor"
    ids = _three(engine)
    _anchor(engine, anchors)
    with engine.begin() as conn:
        conn.execute(sa.delete(audit_log).where(audit_log.c.id == ids[-1]))
    assert _verify(engine).ok  # the chain alone cannot tell
    result = _verify(engine, anchors)
    assert (result.ok, result.anchor_line, result.problem, result.anchors) == (
        False, 1, "truncated", 1)
    assert result.reason == ("anchor line 1 (tick, 2022-03-01T09:00:00+00:00) counted 3 "
                             "entries; the log holds 2: its newest entries were removed")


def test_the_anchor_catches_entries_cut_and_written_again(engine, tmp_path: Path) -> None:  # noqa: ANN001
    anchors = tmp_path / "audit.anchor"
    ids = _three(engine)
    _anchor(engine, anchors)
    with engine.begin() as conn:
        conn.execute(sa.delete(audit_log).where(audit_log.c.id == ids[-1]))
        audit.record(conn, actor=LEADER, action="step_9", entity="case", entity_id=1, at=T0)
    result = _verify(engine, anchors)
    assert (result.ok, result.anchor_line, result.problem) == (False, 1, "rewritten")
    assert result.facts["anchored"] == 3


def test_the_anchor_catches_a_chain_recomputed_as_plain(engine, tmp_path: Path) -> None:  # noqa: ANN001
    anchors = tmp_path / "audit.anchor"
    ids = _three(engine)
    _anchor(engine, anchors)
    rewrite(engine, entry_hash, "sha256", change={ids[1]: {"note": "改过的说明"}})
    assert _verify(engine).ok  # a chain of plain entries checks by itself...
    result = _verify(engine, anchors)  # ...but not against what was written down
    assert (result.ok, result.anchor_line, result.problem) == (False, 1, "rewritten")


def test_the_anchor_catches_keyed_entries_turned_plain(engine, tmp_path: Path) -> None:  # noqa: ANN001
    anchors = tmp_path / "audit.anchor"
    with engine.begin() as conn:  # two entries from before the key
        insert_plain(conn, 2)
    _anchor(engine, anchors, "init")  # 2 entries, 2 plain
    _three(engine)
    rewrite(engine, entry_hash, "sha256")  # all five plain now; the first two unchanged
    result = _verify(engine, anchors)
    assert (result.ok, result.anchor_line, result.problem) == (False, 1, "plain_count")
    assert (result.facts["anchored_plain"], result.facts["plain"]) == (2, 5)


def test_anchors_written_with_another_key_are_named(engine, tmp_path: Path) -> None:  # noqa: ANN001
    anchors = tmp_path / "audit.anchor"
    _three(engine)
    _anchor(engine, anchors)
    result = _verify(engine, anchors, key=OTHER_KEY)
    assert (result.ok, result.anchor_line, result.problem) == (False, 1, "anchor_other_key")
    assert result.facts["used"] == OTHER_KEY.fingerprint


def test_an_unreadable_anchor_line_is_named(engine, tmp_path: Path) -> None:  # noqa: ANN001
    anchors = tmp_path / "audit.anchor"
    _anchor(engine, anchors)
    with anchors.open("a") as fh:
        fh.write('{"at": "2022-03-01T09:00:00+00:00", "entries": 3\n')  # cut short
    result = _verify(engine, anchors)
    assert (result.ok, result.anchor_line, result.problem) == (False, 2, "anchor_unreadable")
    assert "line 2: not a JSON object" in result.reason


# --- entries from before the key -----------------------------------------------------------

def test_old_plain_entries_still_verify_before_keyed_ones(engine, tmp_path: Path) -> None:  # noqa: ANN001
    with engine.begin() as conn:
        insert_plain(conn, 2)
    _anchor(engine, tmp_path / "a.anchor", "init")
    _three(engine)
    result = _verify(engine, tmp_path / "a.anchor")
    assert (result.ok, result.entries, result.plain, result.keyed) == (True, 5, 2, 3)


def test_a_changed_old_entry_is_named(engine) -> None:  # noqa: ANN001
    with engine.begin() as conn:
        insert_plain(conn, 2)
        first = conn.execute(sa.select(sa.func.min(audit_log.c.id))).scalar()
        conn.execute(sa.update(audit_log).where(audit_log.c.id == first).values(actor="x"))
    result = _verify(engine)
    assert (result.ok, result.first_broken_id, result.problem) == (False, first, "changed")
    assert "was changed after it was written" in result.reason


def test_the_head_counts_entries_and_plain_ones(engine) -> None:  # noqa: ANN001
    with engine.connect() as conn:
        assert audit.head(conn) == audit_anchor.Head(0, 0, audit.GENESIS)
    with engine.begin() as conn:
        insert_plain(conn, 2)
    ids = _three(engine)
    with engine.connect() as conn:
        head = audit.head(conn)
        last = conn.execute(sa.select(audit_log.c.hash).where(audit_log.c.id == ids[-1])
                            ).scalar()
    assert head == audit_anchor.Head(5, 2, last)
