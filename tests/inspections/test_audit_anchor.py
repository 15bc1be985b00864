"""The anchor file: one JSON line appended per anchor, read back in order, and every line
that is not a whole anchor named."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from inspections import audit_anchor
from inspections.audit_anchor import Head
from inspections.audit_key import AuditKey
from inspections.errors import AnchorFileError, AnchorWriteError

KEY = AuditKey(b"\x05" * 32)
T0 = datetime(2022, 12, 20, 2, 0, tzinfo=UTC)
GOOD = {"at": "2022-12-20T02:00:00+00:00", "entries": 3, "plain": 1, "head": "ab" * 32,
        "key": KEY.fingerprint, "writer": "tick"}


def test_anchors_are_appended_and_read_back_in_order(tmp_path: Path) -> None:
    path = tmp_path / "var" / "audit.anchor"
    assert audit_anchor.read(path) == []  # no file yet: no anchors
    audit_anchor.append(path, Head(0, 0, "0" * 64), at=T0, writer="init", key=KEY)
    written = audit_anchor.append(path, Head(3, 1, "ab" * 32), at=T0, writer="tick", key=KEY)
    lines = path.read_text().splitlines()
    assert [json.loads(line) for line in lines][1] == GOOD
    anchors = audit_anchor.read(path)
    assert [(a.line, a.writer, a.head) for a in anchors] == [
        (1, "init", Head(0, 0, "0" * 64)), (2, "tick", Head(3, 1, "ab" * 32))]
    assert anchors[1].at == T0 and anchors[1].key == KEY.fingerprint
    assert (written.line, written.head) == (None, Head(3, 1, "ab" * 32))


def test_a_writer_in_chinese_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "audit.anchor"
    audit_anchor.append(path, Head(1, 0, "cd" * 32), at=T0, writer="report closure 督察-1",
                        key=KEY)
    assert "督察-1" in path.read_text(encoding="utf-8")
    assert audit_anchor.read(path)[0].writer == "report closure 督察-1"


def test_an_anchor_needs_a_time_with_an_offset(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="offset"):
        audit_anchor.append(tmp_path / "a", Head(0, 0, "0" * 64), at=datetime(2022, 1, 1),
                            writer="tick", key=KEY)
    assert not (tmp_path / "a").exists()


@pytest.mark.parametrize(("line", "problem"), [
    ("not json", "not a JSON object"),
    ("[1, 2]", "not a JSON object"),
    (json.dumps({k: v for k, v in GOOD.items() if k != "head"}),
     "'head' is missing or not a string"),
    (json.dumps(GOOD | {"entries": "3"}), "'entries' is missing or not an integer"),
    (json.dumps(GOOD | {"entries": True}), "'entries' is missing or not an integer"),
    (json.dumps(GOOD | {"at": "yesterday"}), "'at' is not an ISO time with an offset"),
    (json.dumps(GOOD | {"at": "2022-12-20T02:00:00"}), "'at' is not an ISO time with an offset"),
    (json.dumps(GOOD | {"plain": 4}), "the counts are impossible"),
    (json.dumps(GOOD | {"entries": -1, "plain": 0}), "the counts are impossible"),
])
def test_a_line_that_is_not_an_anchor_is_named(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "audit.anchor"
    path.write_text(json.dumps(GOOD) + "\n\n" + line + "\n")
    with pytest.raises(AnchorFileError) as caught:
        audit_anchor.read(path)
    assert caught.value.line == 3
    assert str(caught.value) == f"anchor file {path}, line 3: {problem}"


def test_bytes_that_are_not_utf8_are_named(tmp_path: Path) -> None:
    path = tmp_path / "audit.anchor"
    path.write_bytes(b"\xff\xfe\n")
    with pytest.raises(AnchorFileError, match="line 1: not a JSON object"):
        audit_anchor.read(path)


def test_an_anchor_file_that_cannot_be_written_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "audit.anchor"
    folder.mkdir()  # a folder where the file should be
    with pytest.raises(AnchorWriteError) as caught:
        audit_anchor.append(folder, Head(0, 0, "0" * 64), at=T0, writer="tick", key=KEY)
    assert str(caught.value).startswith(f"anchor file {folder}: cannot append to it (")
    assert caught.value.path == folder and caught.value.reason
