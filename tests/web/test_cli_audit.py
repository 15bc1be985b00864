"""The audit chain from the command line: `lookback init` makes the key file (0600) and
anchors the head, `tick` and reports anchor it, and `audit verify` catches a deleted newest
entry and a chain recomputed without the key, in Chinese or English, with --json."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import docx
import pytest
import sqlalchemy as sa

from inspections import cases
from inspections.actors import Actor
from inspections.audit_chain import entry_hash
from inspections.clock import FixedClock
from inspections.schema import audit_log
from tests.inspections.audit_tampering import rewrite, with_other_key
from tests.scenario import Played
from tests.web.cli import json_lines, run
from tests.web.client import client_for, sign_in
from web.database import dispose_engines, engine_for, init_database
from web.settings import Settings

LEADER = Actor("li.ming", "leader")
CLOCK = FixedClock(datetime(2022, 3, 1, 8, 0, tzinfo=UTC))


def _anchors() -> list[dict]:
    """The lines of this test's anchor file (tests/conftest.py names one per test)."""
    path = Path(os.environ["LOOKBACK_AUDIT_ANCHOR_FILE"])
    return [json.loads(line) for line in path.read_text().splitlines()]


def _cases(url: str, n: int = 2) -> None:
    """Cases written as the application writes them: keyed with the configured key."""
    engine = engine_for(Settings(database_url=url))
    init_database(engine)
    with engine.begin() as conn:
        for i in range(n):
            cases.create_case(
                conn, actor=LEADER, clock=CLOCK, source="inspection_feedback",
                reference=f"DC-2022-0{i + 1}", title="镇级垃圾填埋场渗滤液收集不到位",
                description="无防渗", responsible_unit="区综合行政执法局",
                deadline=date(2022, 12, 31), target="完成防渗改造", measures=["铺设防渗膜"])
    dispose_engines(url)


def _engine(url: str) -> sa.Engine:
    return engine_for(Settings(database_url=url))


def _delete_newest(url: str) -> None:
    with _engine(url).begin() as conn:
        newest = conn.execute(sa.select(sa.func.max(audit_log.c.id))).scalar()
        conn.execute(sa.delete(audit_log).where(audit_log.c.id == newest))
    dispose_engines(url)


def _verify(url: str, *args: str, **env: str) -> tuple[int, dict]:
    result = run(url, "audit", "verify", "--json", *args, **env)
    return result.exit_code, json_lines(result.stdout)[0]


# --- the key file --------------------------------------------------------------------------

def test_init_makes_the_key_file_0600_once_and_anchors_the_head(
        database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LOOKBACK_AUDIT_KEY_FILE", "LOOKBACK_AUDIT_ANCHOR_FILE"):
        monkeypatch.delenv(name)  # the defaults, under the data dir
    data = tmp_path / "data"
    first = run(database_url, "init", LOOKBACK_DATA_DIR=str(data))
    assert first.exit_code == 0, first.output
    key = data / "audit.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert "已创建审计密钥" in first.stderr and str(key) in first.stderr
    secret = key.read_text()
    again = run(database_url, "init", "--json", LOOKBACK_DATA_DIR=str(data))
    line = json_lines(again.stdout)[0]
    assert (line["audit_key"], line["audit_key_created"]) == (str(key), False)
    assert key.read_text() == secret  # never replaced
    anchors = [json.loads(x) for x in (data / "audit.anchor").read_text().splitlines()]
    assert [(a["writer"], a["entries"], a["plain"]) for a in anchors] == [("init", 0, 0)] * 2
    assert line["audit_anchor"]["head"] == "0" * 64


@pytest.mark.parametrize(("lang", "words"), [("zh", "除所有者外他人也可读写（权限 0644）"),
                                             ("en", "others than its owner may read or write")])
def test_a_key_file_others_may_read_is_refused_by_every_command(
        database_url: str, tmp_path: Path, lang: str, words: str) -> None:
    key = tmp_path / "audit.key"
    key.write_text("ab" * 32 + "\n")
    key.chmod(0o644)
    env = {"LOOKBACK_AUDIT_KEY_FILE": str(key), "LOOKBACK_LANGUAGE": lang}
    for command in (["init"], ["layers"], ["tick"]):
        refused = run(database_url, *command, **env)
        assert refused.exit_code == 1, command
        assert words in refused.stderr and f"chmod 600 {key}" in refused.stderr
    as_json = json_lines(run(database_url, "init", "--json", **env).stdout)[0]
    assert as_json["problem"] == "key_mode" and words in as_json["error"]


def test_verify_without_the_key_file_says_so(database_url: str, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "audit.key"
    code, line = _verify(database_url, LOOKBACK_AUDIT_KEY_FILE=str(missing))
    assert (code, line["problem"]) == (1, "key_missing")
    assert f"审计密钥文件 {missing} 不存在" in line["error"]
    assert not missing.exists()  # checking never makes a key


def test_a_file_that_holds_no_key_is_named(database_url: str, tmp_path: Path) -> None:
    key = tmp_path / "audit.key"
    key.write_text("password123\n")
    key.chmod(0o600)
    refused = run(database_url, "audit", "verify", LOOKBACK_AUDIT_KEY_FILE=str(key),
                  LOOKBACK_LANGUAGE="en")
    assert refused.exit_code == 1
    assert f"audit key file {key} is not an audit key (expected 64 hex digits)" in refused.stderr


# --- tick, verify, tampering ---------------------------------------------------------------

def test_a_good_chain_verifies_with_its_anchors(database_url: str) -> None:
    _cases(database_url)
    ticked = run(database_url, "tick", "--json", LOOKBACK_NOW="2022-06-01T00:00:00+00:00")
    assert ticked.exit_code == 0, ticked.output
    anchored = json_lines(ticked.stdout)[0]["audit_anchor"]
    assert (anchored["writer"], anchored["entries"]) == ("tick", 2)
    assert _anchors()[0]["head"] == anchored["head"]
    code, line = _verify(database_url)
    assert code == 0
    assert {k: line[k] for k in ("ok", "entries", "keyed", "plain", "anchors")} == {
        "ok": True, "entries": 2, "keyed": 2, "plain": 0, "anchors": 1}
    text = run(database_url, "audit", "verify")
    assert text.exit_code == 0
    assert "审计日志完好：共 2 条（2 条带密钥签名，0 条为启用密钥前的普通哈希），1 个锚点相符" \
        in text.stdout


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", "锚点文件第 1 行（tick，{at}）记录了 2 条，日志现只有 1 条：最新的记录被删除了"),
    ("en", "anchor line 1 (tick, {at}) counted 2 entries; the log holds 1: its newest entries "
           "were removed")])
def test_the_anchor_catches_a_deleted_newest_entry(database_url: str, lang: str,
                                                   words: str) -> None:
    _cases(database_url)
    assert run(database_url, "tick").exit_code == 0
    _delete_newest(database_url)
    code, line = _verify(database_url)
    assert (code, line["ok"], line["problem"], line["anchor_line"]) == (1, False, "truncated", 1)
    text = run(database_url, "audit", "verify", LOOKBACK_LANGUAGE=lang)
    assert text.exit_code == 1
    assert words.format(at=_anchors()[0]["at"]) in text.stderr


def test_a_chain_recomputed_without_the_key_is_caught(database_url: str) -> None:
    _cases(database_url)
    assert run(database_url, "tick").exit_code == 0
    rewrite(_engine(database_url), entry_hash, "sha256")  # plain, as before the key
    dispose_engines(database_url)
    code, line = _verify(database_url)
    assert (code, line["problem"], line["anchor_line"]) == (1, "rewritten", 1)
    rewrite(_engine(database_url), with_other_key, "hmac-sha256")  # keyed with another key
    dispose_engines(database_url)
    code, line = _verify(database_url)
    first = line["facts"]["id"]
    assert (code, line["problem"], line["first_broken_id"]) == (1, "forged", first)
    text = run(database_url, "audit", "verify")
    assert f"第 {first} 条记录（case " in text.stderr and "密钥签名（HMAC）不符" in text.stderr


def test_an_unreadable_anchor_line_fails_the_check(database_url: str) -> None:
    _cases(database_url)
    assert run(database_url, "tick").exit_code == 0
    with Path(os.environ["LOOKBACK_AUDIT_ANCHOR_FILE"]).open("a") as fh:
        fh.write("garbage\n")
    code, line = _verify(database_url)
    assert (code, line["problem"], line["anchor_line"]) == (1, "anchor_unreadable", 2)
    text = run(database_url, "audit", "verify")
    assert "锚点文件第 2 行不是完整的锚点" in text.stderr


def test_without_anchors_yet_verify_says_where_they_will_be(database_url: str) -> None:
    _cases(database_url, 1)
    text = run(database_url, "audit", "verify", LOOKBACK_LANGUAGE="en")
    assert text.exit_code == 0
    path = os.environ["LOOKBACK_AUDIT_ANCHOR_FILE"]
    assert f"No anchor file {path} yet" in text.stdout


# --- reports and the demo ------------------------------------------------------------------

def test_a_report_anchors_the_head_and_notes_it(fresh_demo_url: str, tmp_path: Path) -> None:
    _cases(fresh_demo_url, 1)
    out = tmp_path / "progress.docx"
    made = run(fresh_demo_url, "report", "progress", "--year", "2022", "--out", str(out),
               "--json", LOOKBACK_NOW="2022-12-20T10:00:00+08:00")
    assert made.exit_code == 0, made.output
    anchored = json_lines(made.stdout)[0]["audit_anchor"]
    assert (anchored["writer"], anchored["entries"]) == ("report progress 2022", 1)
    assert docx.Document(str(out)).core_properties.comments == (
        f"审计链：1 条记录，链头 {anchored['head']}")
    leader = client_for(fresh_demo_url, now="2022-12-20T10:00:00+08:00")
    sign_in(leader, "leader")
    got = leader.get("/api/reports/progress", params={"year": 2022, "month": 3})
    assert got.status_code == 200
    assert _anchors()[-1]["writer"] == "report progress 2022-03 (web, leader)"
    code, line = _verify(fresh_demo_url)
    assert (code, line["anchors"]) == (0, 2)


def test_the_demo_writes_keyed_entries(played: Played) -> None:
    [line] = played.cli("audit", "verify")
    assert line["ok"] and line["entries"] > 100
    assert (line["keyed"], line["plain"]) == (line["entries"], 0)


def test_an_anchor_file_that_cannot_be_written_stops_the_command(
        fresh_demo_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "anchors"
    folder.mkdir()  # a folder where the anchor file should be
    env = {"LOOKBACK_AUDIT_ANCHOR_FILE": str(folder)}
    ticked = run(fresh_demo_url, "tick", **env)
    assert ticked.exit_code == 1
    assert f"无法写入审计链锚点文件 {folder}（" in ticked.stderr
    line = json_lines(run(fresh_demo_url, "init", "--json", **env).stdout)[0]
    assert line["problem"] == "anchor_unwritable" and str(folder) in line["error"]
    out = tmp_path / "p.docx"
    report = run(fresh_demo_url, "report", "progress", "--year", "2022", "--out", str(out),
                 LOOKBACK_LANGUAGE="en", **env)
    assert report.exit_code == 1 and not out.exists()
    assert f"cannot append to the audit anchor file {folder} (" in report.stderr
    leader = client_for(fresh_demo_url, audit_anchor_file=folder)
    sign_in(leader, "leader")
    got = leader.get("/api/reports/progress", params={"year": 2022})
    assert (got.status_code, got.json()["error"]) == (500, "internal")
    assert f"anchor file {folder}: cannot append to it" in got.json()["detail"]
