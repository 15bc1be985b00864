"""The content-addressed file store: originals, thumbnails and orthophotos by SHA-256."""

from __future__ import annotations

import hashlib
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from imagery.errors import ImageryError


def sha256_of(data: bytes) -> str:
    """The hex SHA-256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


class FileStore:
    """Files under a root folder, named by the SHA-256 of the original they belong to.

    Every write goes to a temporary name in the target folder, is fsynced, renamed into
    place and the folder fsynced: a crash leaves either the whole file or nothing.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str, variant: str = "original") -> Path:
        """Where a file lives: originals/ab/<sha>, derived/ab/<sha>-256.jpg, ...

        256 folders per tree: few enough that they exist after the first files (creating a
        folder costs more than writing a small file), many enough to keep listings short."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ImageryError(f"{sha256!r} is not a SHA-256 hex digest")
        if variant == "original":
            return self.root / "originals" / sha256[:2] / sha256
        return self.root / "derived" / sha256[:2] / f"{sha256}-{variant}"

    def has(self, sha256: str, variant: str = "original") -> bool:
        """Whether that file is stored."""
        return self.path(sha256, variant).is_file()

    def put(self, sha256: str, data: bytes, variant: str = "original") -> Path:
        """Store bytes durably under their name; an existing file is left as it is."""
        target = self.path(sha256, variant)
        if target.is_file():
            return target
        if not target.parent.is_dir():
            target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(target.parent)
        return target

    def put_file(self, sha256: str, source: Path, variant: str) -> Path:
        """Move a finished file (written beside the store) into place durably."""
        target = self.path(sha256, variant)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(source, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(source, target)
        _fsync_dir(target.parent)
        return target

    def scratch_dir(self) -> Path:
        """A folder on the store's file system for work files (renames stay atomic)."""
        folder = self.root / "tmp"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def read(self, sha256: str, variant: str = "original") -> bytes:
        """The stored bytes."""
        return self.path(sha256, variant).read_bytes()


@dataclass(frozen=True)
class Staged:
    """A file written to a scratch name, not yet durable nor in place."""

    scratch: Path
    target: Path


def stage(store: FileStore, sha256: str, data: bytes, variant: str = "original") -> Staged | None:
    """Write bytes to a scratch name without waiting for the disk (None if already stored);
    `commit` makes a batch of them durable and puts them in place."""
    target = store.path(sha256, variant)
    if target.is_file():
        return None
    fd, tmp = tempfile.mkstemp(dir=store.scratch_dir(), prefix=".tmp-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return Staged(Path(tmp), target)


def commit(staged: list[Staged], threads: int = 8) -> None:
    """fsync every staged file (on threads, so the waits overlap), rename each into place,
    then fsync the folders: afterwards every file is whole at its name, or not there."""
    if not staged:
        return
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(_fsync_file, [s.scratch for s in staged]))
    folders = set()
    for item in staged:
        if not item.target.parent.is_dir():
            item.target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(item.scratch, item.target)
        folders.add(item.target.parent)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(_fsync_dir, folders))


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
