"""Every way the audit check can fail reads as a whole sentence in Chinese and in English,
naming the entry or the anchor line, with the values the check found."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from inspections import audit, audit_anchor
from inspections.actors import Actor
from inspections.audit_chain import entry_hash
from inspections.errors import AuditKeyError
from inspections.schema import audit_log
from tests.conftest import TEST_AUDIT_KEY
from tests.inspections.audit_tampering import OTHER_KEY, insert_plain, rewrite
from web.cli.audit_messages import explain, key_problem
from web.errors import status_of

T0 = datetime(2022, 3, 1, 9, 0, tzinfo=UTC)


def _entries(engine: Engine, n: int = 3) -> list[int]:
    with engine.begin() as conn:
        return [audit.record(conn, actor=Actor("li.ming", "leader"), action="case.start",
                             entity="case", entity_id=4, at=T0) for _ in range(n)]


def _anchor(engine: Engine, path: Path, key: object = TEST_AUDIT_KEY) -> None:
    with engine.connect() as conn:
        audit_anchor.append(path, audit.head(conn), at=T0, writer="tick", key=key)


def _set(engine: Engine, entry: int, **values: object) -> None:
    with engine.begin() as conn:
        conn.execute(sa.update(audit_log).where(audit_log.c.id == entry).values(**values))


def _unlinked(engine: Engine, path: Path) -> None:
    ids = _entries(engine)
    with engine.begin() as conn:
        conn.execute(sa.delete(audit_log).where(audit_log.c.id == ids[1]))


def _changed(engine: Engine, path: Path) -> None:
    with engine.begin() as conn:
        insert_plain(conn, 2)
    with engine.connect() as conn:
        newest = conn.execute(sa.select(sa.func.max(audit_log.c.id))).scalar()
    _set(engine, newest, note="x")


def _forged(engine: Engine, path: Path) -> None:
    _set(engine, _entries(engine)[1], note="改过")


def _plain_after_keyed(engine: Engine, path: Path) -> None:
    ids = _entries(engine)
    _set(engine, ids[-1], scheme="sha256")


def _unknown_scheme(engine: Engine, path: Path) -> None:
    _set(engine, _entries(engine)[0], scheme="md5")


def _other_key(engine: Engine, path: Path) -> None:
    _entries(engine)
    _anchor(engine, path, OTHER_KEY)


def _truncated(engine: Engine, path: Path) -> None:
    ids = _entries(engine)
    _anchor(engine, path)
    with engine.begin() as conn:
        conn.execute(sa.delete(audit_log).where(audit_log.c.id == ids[-1]))


def _rewritten(engine: Engine, path: Path) -> None:
    _entries(engine)
    _anchor(engine, path)
    rewrite(engine, entry_hash, "sha256")


def _plain_count(engine: Engine, path: Path) -> None:
    with engine.begin() as conn:
        insert_plain(conn, 1)
    _anchor(engine, path)
    _entries(engine)
    rewrite(engine, entry_hash, "sha256")


def _unreadable(engine: Engine, path: Path) -> None:
    path.write_text("{}\n")


CASES: dict[str, tuple[Callable[[Engine, Path], None], str, str]] = {
    "unlinked": (_unlinked, "与前一条衔接不上", "does not follow the entry before it"),
    "changed": (_changed, "（case 7 的 old_1）写入后被改动", "(old_1 on case 7) was changed"),
    "forged": (_forged, "（case 4 的 case.start）的密钥签名（HMAC）不符",
               "(case.start on case 4): its HMAC does not match"),
    "plain_after_keyed": (_plain_after_keyed, "却只有普通哈希", "hashed without the key after"),
    "unknown_scheme": (_unknown_scheme, "哈希方式 md5 未知", "unknown hashing scheme, md5"),
    "anchor_other_key": (_other_key, f"另一把审计密钥（{OTHER_KEY.fingerprint}）",
                         f"audit key {OTHER_KEY.fingerprint}, not with the key in use "
                         f"({TEST_AUDIT_KEY.fingerprint})"),
    "truncated": (_truncated, "记录了 3 条，日志现只有 2 条", "counted 3 entries; the log holds 2"),
    "rewritten": (_rewritten, "第 3 条记录已不是当时锚定的那条",
                  "entry number 3 is no longer the one anchored"),
    "plain_count": (_plain_count, "记录了 1 条无密钥的记录，日志现有 4 条",
                    "counted 1 entries hashed without the key; the log holds 4"),
    "anchor_unreadable": (_unreadable, "锚点文件第 1 行不是完整的锚点", "anchor line 1 is not a "
                                                                  "whole anchor"),
}


@pytest.mark.parametrize("problem", list(CASES))
def test_each_failure_reads_in_both_languages(engine: Engine, tmp_path: Path,
                                              problem: str) -> None:
    tamper, zh, en = CASES[problem]
    path = tmp_path / "audit.anchor"
    tamper(engine, path)
    with engine.connect() as conn:
        result = audit.verify(conn, TEST_AUDIT_KEY, path)
    assert (result.ok, result.problem) == (False, problem)
    assert zh in explain(result, "zh") and explain(result, "zh").startswith("审计日志校验失败：")
    assert en in explain(result, "en") and explain(result, "en").startswith("Audit log check")


def test_a_good_check_reads_in_both_languages(engine: Engine) -> None:
    _entries(engine, 2)
    with engine.connect() as conn:
        result = audit.verify(conn)
    assert explain(result, "en") == ("Audit log intact: 2 entries (2 keyed, 0 plain-hashed from "
                                     "before the key), 0 anchors match.")


def test_a_key_problem_without_a_file_keeps_its_own_words() -> None:
    exc = AuditKeyError("this database connection carries no audit key", "not_attached")
    assert key_problem(exc, "zh") == "this database connection carries no audit key"


def test_an_audit_key_problem_in_a_request_is_the_servers() -> None:
    exc = AuditKeyError("this database connection carries no audit key", "not_attached")
    assert status_of(exc) == (500, "internal")  # not the 400 of other inspection errors
