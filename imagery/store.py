"""The content-addressed file store: originals, thumbnails and orthophotos by SHA-256."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from imagery.errors import ImageryError

ORIGINALS = "originals"
DERIVED = "derived"
SCRATCH = "tmp"  # work files and uploads being received; nothing in it is kept
TEMP_PREFIX = ".tmp-"  # a file being written beside its final name
COPY_BLOCK = 1024 * 1024


def sha256_of(data: bytes) -> str:
    """The hex SHA-256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def sha256_of_file(path: Path) -> str:
    """The hex SHA-256 of a file's bytes, read a block at a time."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def touch(path: Path) -> bool:
    """Mark a stored file as just used, if it is there: the store check leaves files without a
    row alone while they are young, as an ingest that found them stored has yet to write its
    row. False when the file is not there (never was, or was just removed as an orphan)."""
    try:
        os.utime(path)
    except FileNotFoundError:
        return False
    return True


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
            return self.root / ORIGINALS / sha256[:2] / sha256
        return self.root / DERIVED / sha256[:2] / f"{sha256}-{variant}"

    def has(self, sha256: str, variant: str = "original") -> bool:
        """Whether that file is stored."""
        return self.path(sha256, variant).is_file()

    def put(self, sha256: str, data: bytes, variant: str = "original") -> Path:
        """Store bytes durably under their name; an existing file is left as it is."""
        return self._write(sha256, variant, lambda fh: fh.write(data))

    def put_path(self, sha256: str, source: Path, variant: str = "original") -> Path:
        """Store a copy of a file durably under its name (block by block, never whole in
        memory); an existing file is left as it is."""
        def copy(fh: BinaryIO) -> None:
            with open(source, "rb") as src:
                shutil.copyfileobj(src, fh, COPY_BLOCK)

        return self._write(sha256, variant, copy)

    def _write(self, sha256: str, variant: str, write: Callable[[BinaryIO], object]) -> Path:
        target = self.path(sha256, variant)
        if touch(target):
            return target
        if not target.parent.is_dir():
            target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX)
        try:
            with os.fdopen(fd, "wb") as fh:
                write(fh)
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
        folder = self.root / SCRATCH
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
    if touch(target):
        return None
    fd, tmp = tempfile.mkstemp(dir=store.scratch_dir(), prefix=TEMP_PREFIX)
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
