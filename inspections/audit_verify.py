"""Checking the audit chain: every entry's link and hash (keyed entries with the key), then
every anchor written outside the database against the chain as it is now.

What each check catches: a changed entry (its hash or HMAC fails); a removed or reordered
one in the middle (the next one's link fails); entries rewritten without the key (their HMAC
fails, or they were turned into plain ones after keyed ones); the newest entries removed (an
anchor counts more entries than there are); the whole chain recomputed (an anchor's hash is
no longer the chain's at its count, or its count of plain entries differs).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from inspections import audit_anchor
from inspections.audit_anchor import Anchor
from inspections.audit_chain import GENESIS, KEYED, PLAIN, entry_hash, entry_mac
from inspections.audit_key import AuditKey, key_of
from inspections.clock import aware
from inspections.errors import AnchorFileError
from inspections.schema import audit_log


@dataclass(frozen=True)
class Verification:
    """The outcome: entries checked (of each scheme), anchor lines read, what broke first.

    `problem` is a code (unlinked, changed, forged, plain_after_keyed, unknown_scheme,
    anchor_unreadable, anchor_other_key, truncated, rewritten, plain_count); `reason` says it
    in English; `facts` holds the values it names (for messages in other languages)."""

    ok: bool
    entries: int
    plain: int = 0
    keyed: int = 0
    anchors: int = 0
    first_broken_id: int | None = None
    anchor_line: int | None = None
    problem: str | None = None
    reason: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Walk:
    """What walking the chain found: counts, the hashes at anchored counts, a break."""

    entries: int = 0
    plain: int = 0
    keyed: int = 0
    hashes: dict[int, str] = field(default_factory=dict)
    broken: Verification | None = None


def verify(conn: sa.Connection, key: AuditKey | None = None,
           anchor_file: Path | None = None) -> Verification:
    """Check the chain with `key` (default: the one the connection carries) and against
    every anchor in `anchor_file` (if given)."""
    key = key or key_of(conn)
    try:
        anchors = audit_anchor.read(anchor_file) if anchor_file is not None else []
    except AnchorFileError as exc:
        return Verification(False, 0, anchor_line=exc.line, problem="anchor_unreadable",
                            reason=str(exc), facts={"line": exc.line, "detail": str(exc)})
    return replace(_check(conn, key, anchors), anchors=len(anchors))


def _check(conn: sa.Connection, key: AuditKey, anchors: list[Anchor]) -> Verification:
    """The anchors' key, then the chain, then the chain against the anchors."""
    for anchor in anchors:
        if anchor.key != key.fingerprint:
            return _anchor_failure(
                _Walk(), anchor, "anchor_other_key",
                f"anchor line {anchor.line} was written with audit key {anchor.key}, not with "
                f"the key given ({key.fingerprint}): check with the key the chain was "
                "written with", used=key.fingerprint)
    walk = _walk(conn, key, {a.head.entries for a in anchors})
    if walk.broken is not None:
        return walk.broken
    failure = _check_anchors(walk, anchors)
    return failure or Verification(True, walk.entries, walk.plain, walk.keyed)


def _walk(conn: sa.Connection, key: AuditKey, anchored: set[int]) -> _Walk:
    walk = _Walk()
    prev = GENESIS
    walk.hashes[0] = GENESIS
    query = sa.select(audit_log).order_by(audit_log.c.id).execution_options(yield_per=2000)
    for row in conn.execute(query).mappings():
        walk.entries += 1
        walk.broken = _check_entry(row, prev, key, walk)
        if walk.broken is not None:
            return walk
        if row["scheme"] == PLAIN:
            walk.plain += 1
        else:
            walk.keyed += 1
        prev = row["hash"]
        if walk.entries in anchored:
            walk.hashes[walk.entries] = prev
    return walk


def _check_entry(row: sa.RowMapping, prev: str, key: AuditKey,
                 walk: _Walk) -> Verification | None:
    """The failure this entry (following `prev`, after what `walk` saw) shows, if any."""
    facts = {"id": row["id"], "action": row["action"], "entity": row["entity"],
             "entity_id": row["entity_id"], "scheme": row["scheme"]}

    def broken(problem: str, reason: str) -> Verification:
        return Verification(False, walk.entries, walk.plain, walk.keyed,
                            first_broken_id=row["id"], problem=problem, reason=reason,
                            facts=facts)

    what = f"entry {row['id']} ({row['action']} on {row['entity']} {row['entity_id']})"
    if row["prev_hash"] != prev:
        return broken("unlinked", f"entry {row['id']} does not follow entry before it "
                                  "(an entry was removed or reordered)")
    if row["scheme"] not in (PLAIN, KEYED):
        return broken("unknown_scheme", f"{what} names an unknown scheme {row['scheme']!r}")
    if row["scheme"] == PLAIN and walk.keyed:
        return broken("plain_after_keyed", f"{what} is hashed without the key after keyed "
                                           "entries: the chain was rewritten without the key")
    fields = {"at": aware(row["at"]), "actor": row["actor"], "role": row["role"],
              "action": row["action"], "entity": row["entity"],
              "entity_id": row["entity_id"], "note": row["note"], "data": row["data"]}
    if row["scheme"] == PLAIN:
        if row["hash"] != entry_hash(prev, **fields):
            return broken("changed", f"{what} was changed after it was written")
    elif not hmac.compare_digest(row["hash"], entry_mac(key, prev, **fields)):
        return broken("forged", f"{what}: its HMAC does not match the audit key: changed "
                                "after it was written, or rewritten without the key")
    return None


def _check_anchors(walk: _Walk, anchors: Iterable[Anchor]) -> Verification | None:
    """The first anchor the chain no longer matches (None when all match)."""
    for anchor in anchors:
        count = anchor.head.entries
        when = f"anchor line {anchor.line} ({anchor.writer}, {anchor.at.isoformat()})"
        if count > walk.entries:
            return _anchor_failure(
                walk, anchor, "truncated",
                f"{when} counted {count} entries; the log holds {walk.entries}: its newest "
                "entries were removed")
        if walk.hashes[count] != anchor.head.hash:
            return _anchor_failure(
                walk, anchor, "rewritten",
                f"{when}: entry number {count} is no longer the one anchored: the chain was "
                "rewritten")
        if anchor.head.plain != walk.plain:
            return _anchor_failure(
                walk, anchor, "plain_count",
                f"{when} counted {anchor.head.plain} entries hashed without the key; the log "
                f"holds {walk.plain}: the chain was rewritten without the key")
    return None


def _anchor_failure(walk: _Walk, anchor: Anchor, problem: str, reason: str,
                    **facts: Any) -> Verification:
    return Verification(False, walk.entries, walk.plain, walk.keyed, anchor_line=anchor.line,
                        problem=problem, reason=reason,
                        facts={"line": anchor.line, "writer": anchor.writer,
                               "at": anchor.at.isoformat(), "anchored": anchor.head.entries,
                               "anchored_plain": anchor.head.plain, "entries": walk.entries,
                               "plain": walk.plain, "anchor_key": anchor.key, **facts})
