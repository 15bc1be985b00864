"""The file store against the photo rows: files no photo names (orphans), photos whose file
is gone, and the leftovers of interrupted writes; repair removes orphans and leftovers (a
photo without its file is reported, never deleted).

Temporaries and orphans younger than `stale_after` are left alone: they may belong to an
upload or ingest under way (a stored file is touched whenever an ingest finds it stored)."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import sqlalchemy as sa

from imagery.schema import photos
from imagery.store import DERIVED, ORIGINALS, SCRATCH, TEMP_PREFIX, FileStore

STALE_AFTER = 3600.0  # seconds
SHA_LENGTH = 64
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Finding:
    """One problem: an orphan file, a missing file, or a temporary leftover."""

    kind: str  # "orphan_file", "missing_file" or "temporary"
    path: str  # relative to the store's root
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


def _temporary_candidates(store: FileStore) -> Iterator[Path]:
    """Everything in the scratch folder, half-written files beside stored ones, and upload
    folders the store's root held before the scratch folder took them."""
    for folder in (store.root / SCRATCH,):
        if folder.is_dir():
            yield from folder.iterdir()
    if store.root.is_dir():
        yield from (p for p in store.root.glob("upload-*") if p.is_dir())
    for tree in (ORIGINALS, DERIVED):
        yield from (store.root / tree).glob(f"*/{TEMP_PREFIX}*")


def temporaries(store: FileStore, *, stale_after: float = STALE_AFTER,
                now: float | None = None) -> list[Finding]:
    """The temporary leftovers older than `stale_after` seconds."""
    now = time.time() if now is None else now
    found = []
    for path in _temporary_candidates(store):
        try:
            if _age(path, now) > stale_after:
                found.append(Finding("temporary", str(path.relative_to(store.root)),
                                     size_bytes=_size(path)))
        except FileNotFoundError:  # finished and renamed (or removed) while we looked
            continue
    return found


def remove_temporaries(store: FileStore, *, stale_after: float = STALE_AFTER) -> int:
    """Remove the stale temporary leftovers; how many were removed."""
    return sum(1 for f in repair(store, temporaries(store, stale_after=stale_after))
               if f.repaired)


def _stored_files(store: FileStore) -> list[tuple[Path, str | None]]:
    """Every stored file with the hash it belongs to (None for a name that is no hash)."""
    files = []
    for tree in (ORIGINALS, DERIVED):
        for path in sorted((store.root / tree).glob("*/*")):
            if path.name.startswith(TEMP_PREFIX) or not path.is_file():
                continue
            name = path.name
            sha = name[:SHA_LENGTH] if tree == DERIVED else name
            if tree == DERIVED and name[SHA_LENGTH:SHA_LENGTH + 1] != "-":
                sha = None
            files.append((path, sha if sha and len(sha) == SHA_LENGTH else None))
    return files


def _rows(conn: sa.Connection) -> dict[str, list[tuple[int, str, bool]]]:
    """Each stored hash's photos: id, kind, and whether the original is in the store."""
    rows: dict[str, list[tuple[int, str, bool]]] = {}
    stmt = sa.select(photos.c.sha256, photos.c.id, photos.c.kind, photos.c.original_stored)
    for sha, photo_id, kind, stored in conn.execute(stmt.order_by(photos.c.id)):
        rows.setdefault(sha, []).append((photo_id, kind, bool(stored)))
    return rows


def _missing(store: FileStore, rows: dict[str, list[tuple[int, str, bool]]]) -> list[Finding]:
    found = []
    for sha, owners in rows.items():
        ids = [i for i, _, _ in owners]
        needed = ["original"] if any(stored for _, _, stored in owners) else []
        needed += ["cog.tif"] if any(kind == "orthophoto" for _, kind, _ in owners) else []
        for variant in needed:
            path = store.path(sha, variant)
            if not path.is_file():
                found.append(Finding("missing_file", str(path.relative_to(store.root)), sha,
                                     ids))
    return found


def check_store(conn: sa.Connection, store: FileStore, *, stale_after: float = STALE_AFTER,
                progress: Progress | None = None) -> StoreReport:
    """Compare the store with the photo rows; nothing is changed."""
    now = time.time()
    rows = _rows(conn)
    files = _stored_files(store)
    findings: list[Finding] = []
    for done, (path, sha) in enumerate(files, 1):
        if sha not in rows:
            try:
                if _age(path, now) > stale_after:
                    findings.append(Finding("orphan_file", str(path.relative_to(store.root)),
                                            sha, size_bytes=path.stat().st_size))
            except FileNotFoundError:
                pass
        if progress and (done % 1000 == 0 or done == len(files)):
            progress(done, len(files))
    findings += _missing(store, rows)
    findings += temporaries(store, stale_after=stale_after, now=now)
    originals = sum(1 for path, _ in files if path.parent.parent.name == ORIGINALS)
    return StoreReport(findings, len(files), originals, sum(len(v) for v in rows.values()))


def repair(store: FileStore, findings: list[Finding], *,
           stale_after: float = STALE_AFTER) -> list[Finding]:
    """Remove the orphans and temporaries found (each checked again just before, in case an
    ingest has since used it); the findings with `repaired` set for those removed."""
    now = time.time()
    done = []
    for finding in findings:
        path = store.root / finding.path
        removable = finding.kind in ("orphan_file", "temporary")
        try:
            if removable and _age(path, now) > stale_after:
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink()
                finding = replace(finding, repaired=True)
        except FileNotFoundError:
            finding = replace(finding, repaired=True)  # gone already: nothing left to do
        done.append(finding)
    return done
