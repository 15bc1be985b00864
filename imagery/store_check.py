"""The file store against the photo rows: files no photo names (orphans), photos whose file
is gone, and the leftovers of interrupted writes; repair removes orphans and leftovers (a
photo without its file is reported, never deleted).

Temporaries and orphans younger than `stale_after` are left alone: they may belong to an
upload or ingest under way (a stored file is touched whenever an ingest finds it stored)."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import sqlalchemy as sa

from imagery.schema import photos
from imagery.store import (
    DERIVED,
    ORIGINALS,
    SCRATCH,
    TEMP_PREFIX,
    Store,
    object_name,
    sha_of_name,
)

STALE_AFTER = 3600.0  # seconds
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Finding:
    """One problem: an orphan file, a missing file, or a temporary leftover."""

    kind: str  # "orphan_file", "missing_file" or "temporary"
    path: str  # a stored file's name, or a temporary's path under the local scratch root
    sha256: str | None = None
    photo_ids: list[int] = field(default_factory=list)
    size_bytes: int = 0
    repaired: bool = False


@dataclass(frozen=True)
class StoreReport:
    """What the check found, and how much it looked at (a shared file counts once)."""

    findings: list[Finding]
    files: int  # stored files walked: originals and derived ones
    originals: int  # distinct original files
    photos: int  # photo rows

    def count(self, kind: str) -> int:
        """How many findings of a kind."""
        return sum(1 for f in self.findings if f.kind == kind)

    @property
    def problems_left(self) -> int:
        """Findings not repaired."""
        return sum(1 for f in self.findings if not f.repaired)


def _age(path: Path, now: float) -> float:
    """Seconds since anything in `path` (a file, or a folder and what it holds) changed."""
    newest = path.lstat().st_mtime
    if path.is_dir() and not path.is_symlink():
        for folder, dirs, files in os.walk(path):
            for name in dirs + files:
                newest = max(newest, os.lstat(os.path.join(folder, name)).st_mtime)
    return now - newest


def _size(path: Path) -> int:
    if path.is_dir() and not path.is_symlink():
        return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file())
    return path.lstat().st_size


def _temporary_candidates(store: Store) -> Iterator[Path]:
    """Everything in the local scratch folder, half-written files beside locally stored ones,
    and upload folders the local root held before the scratch folder took them. (An object
    store has no half-written objects: a PUT is whole or absent.)"""
    root = store.scratch_root
    if (root / SCRATCH).is_dir():
        yield from (root / SCRATCH).iterdir()
    if root.is_dir():
        yield from (p for p in root.glob("upload-*") if p.is_dir())
    for tree in (ORIGINALS, DERIVED):
        yield from (root / tree).glob(f"*/{TEMP_PREFIX}*")


def temporaries(store: Store, *, stale_after: float = STALE_AFTER,
                now: float | None = None) -> list[Finding]:
    """The temporary leftovers older than `stale_after` seconds (paths relative to the
    store's local scratch root)."""
    now = time.time() if now is None else now
    found = []
    for path in _temporary_candidates(store):
        try:
            if _age(path, now) > stale_after:
                found.append(Finding("temporary", str(path.relative_to(store.scratch_root)),
                                     size_bytes=_size(path)))
        except FileNotFoundError:  # finished and renamed (or removed) while we looked
            continue
    return found


def remove_temporaries(store: Store, *, stale_after: float = STALE_AFTER) -> int:
    """Remove the stale temporary leftovers; how many were removed."""
    return sum(1 for f in repair(store, temporaries(store, stale_after=stale_after))
               if f.repaired)


def _rows(conn: sa.Connection) -> dict[str, list[tuple[int, str, bool]]]:
    """Each stored hash's photos: id, kind, and whether the original is in the store."""
    rows: dict[str, list[tuple[int, str, bool]]] = {}
    stmt = sa.select(photos.c.sha256, photos.c.id, photos.c.kind, photos.c.original_stored)
    for sha, photo_id, kind, stored in conn.execute(stmt.order_by(photos.c.id)):
        rows.setdefault(sha, []).append((photo_id, kind, bool(stored)))
    return rows


def _missing(names: set[str], rows: dict[str, list[tuple[int, str, bool]]]) -> list[Finding]:
    found = []
    for sha, owners in rows.items():
        ids = [i for i, _, _ in owners]
        needed = ["original"] if any(stored for _, _, stored in owners) else []
        needed += ["cog.tif"] if any(kind == "orthophoto" for _, kind, _ in owners) else []
        for variant in needed:
            if (name := object_name(sha, variant)) not in names:
                found.append(Finding("missing_file", name, sha, ids))
    return found


def check_store(conn: sa.Connection, store: Store, *, stale_after: float = STALE_AFTER,
                progress: Progress | None = None,
                kept: Collection[str] = frozenset()) -> StoreReport:
    """Compare the store with the photo rows; nothing is changed. `kept`: hashes of files
    other records name (a case assessment's documents), never orphans."""
    now = time.time()
    rows = _rows(conn)
    files = list(store.listing())
    findings: list[Finding] = []
    for done, stored in enumerate(files, 1):
        sha = sha_of_name(stored.name)
        if sha not in rows and sha not in kept and now - stored.modified > stale_after:
            findings.append(Finding("orphan_file", stored.name, sha, size_bytes=stored.size))
        if progress and (done % 1000 == 0 or done == len(files)):
            progress(done, len(files))
    findings += _missing({f.name for f in files}, rows)
    findings += temporaries(store, stale_after=stale_after, now=now)
    originals = sum(1 for f in files if f.name.startswith(f"{ORIGINALS}/"))
    return StoreReport(findings, len(files), originals, sum(len(v) for v in rows.values()))


def _referenced(conn: sa.Connection | None, sha: str | None) -> bool:
    """Whether a photo row names the hash now (an ingest may have written it since)."""
    if conn is None or sha is None:
        return False
    stmt = sa.select(photos.c.id).where(photos.c.sha256 == sha).limit(1)
    return conn.execute(stmt).first() is not None


def _remove_orphan(store: Store, finding: Finding, now: float, stale_after: float,
                   conn: sa.Connection | None, kept: Collection[str]) -> bool:
    """Delete a stored file still unused and stale; True when it is gone."""
    stored = store.stat(finding.path)
    if stored is None:
        return True  # gone already: nothing left to do
    if (now - stored.modified <= stale_after or _referenced(conn, finding.sha256)
            or finding.sha256 in kept):
        return False
    store.delete(finding.path)
    return True


def _remove_temporary(store: Store, finding: Finding, now: float, stale_after: float) -> bool:
    path = store.scratch_root / finding.path
    try:
        if _age(path, now) <= stale_after:
            return False
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        pass  # gone already: nothing left to do
    return True


def repair(store: Store, findings: list[Finding], *, stale_after: float = STALE_AFTER,
           conn: sa.Connection | None = None,
           kept: Collection[str] = frozenset()) -> list[Finding]:
    """Remove the orphans and temporaries found, each checked again just before (an ingest
    may have used it since: touched it, or, with `conn`, written a row naming it); the
    findings with `repaired` set for those removed. Nothing a photo names is deleted."""
    now = time.time()
    done = []
    for finding in findings:
        if finding.kind == "orphan_file":
            removed = _remove_orphan(store, finding, now, stale_after, conn, kept)
        elif finding.kind == "temporary":
            removed = _remove_temporary(store, finding, now, stale_after)
        else:
            removed = False
        done.append(replace(finding, repaired=True) if removed else finding)
    return done
