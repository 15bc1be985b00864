"""Anchors of the audit chain: its head (entry count and last hash) appended to a file outside
the database, so a chain cut short or rewritten by someone with database access alone no
longer matches what was written down before.

The file holds one JSON object per line (JSON Lines) and is only ever appended to:
``{"at": ISO time, "entries": N, "plain": P, "head": hash of entry N, "key": the key's
fingerprint, "writer": what wrote it}``. P counts the entries hashed without a key (written
before the key existed): once a key exists no such entry is written again, so P never moves.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from inspections.audit_key import AuditKey
from inspections.errors import AnchorFileError, AnchorWriteError

_TEXT, _COUNT = (str, "a string"), (int, "an integer")
_FIELDS = {"at": _TEXT, "entries": _COUNT, "plain": _COUNT, "head": _TEXT, "key": _TEXT,
           "writer": _TEXT}


@dataclass(frozen=True)
class Head:
    """The chain's head: how many entries, how many of them plain-hashed, the last hash."""

    entries: int
    plain: int
    hash: str


@dataclass(frozen=True)
class Anchor:
    """One line of the anchor file (`line` counts from 1; None for one just written)."""

    head: Head
    at: datetime
    key: str
    writer: str
    line: int | None = None


def append(path: Path, head: Head, *, at: datetime, writer: str, key: AuditKey) -> Anchor:
    """Append the head as one line, in one write, synced to disk; the anchor written."""
    if at.tzinfo is None:
        raise ValueError("an anchor's time needs an offset")
    anchor = Anchor(head, at, key.fingerprint, writer)
    data = (json.dumps(_as_line(anchor), ensure_ascii=False) + "\n").encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, data)  # O_APPEND: lines of concurrent writers never interleave
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise AnchorWriteError(f"anchor file {path}: cannot append to it ({reason})", path,
                               reason) from exc
    return anchor


def _as_line(anchor: Anchor) -> dict[str, Any]:
    return {"at": anchor.at.isoformat(), "entries": anchor.head.entries,
            "plain": anchor.head.plain, "head": anchor.head.hash, "key": anchor.key,
            "writer": anchor.writer}


def read(path: Path) -> list[Anchor]:
    """Every anchor in the file, in order (none when there is no file yet); AnchorFileError
    naming the first line that is not a whole anchor."""
    if not path.exists():
        return []
    anchors = []
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if raw.strip():
                anchors.append(_parse(path, number, raw))
    return anchors


def _parse(path: Path, number: int, raw: bytes) -> Anchor:
    where = f"anchor file {path}, line {number}"
    try:
        obj = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise AnchorFileError(f"{where}: not a JSON object", number) from None
    if not isinstance(obj, dict):
        raise AnchorFileError(f"{where}: not a JSON object", number)
    for name, (kind, described) in _FIELDS.items():
        if not isinstance(obj.get(name), kind) or isinstance(obj.get(name), bool):
            raise AnchorFileError(f"{where}: {name!r} is missing or not {described}", number)
    try:
        at = datetime.fromisoformat(obj["at"])
    except ValueError:
        at = None
    if at is None or at.tzinfo is None:
        raise AnchorFileError(f"{where}: 'at' is not an ISO time with an offset", number)
    if obj["entries"] < 0 or not 0 <= obj["plain"] <= obj["entries"]:
        raise AnchorFileError(f"{where}: the counts are impossible", number)
    return Anchor(Head(obj["entries"], obj["plain"], obj["head"]), at, obj["key"],
                  obj["writer"], number)
