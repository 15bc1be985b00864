"""The store in a local folder: content-addressed files, each written whole or not at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from imagery.store.base import (
    COPY_BLOCK,
    TEMP_PREFIX,
    TREES,
    Opened,
    Store,
    StoredObject,
    object_name,
)
from imagery.store.io_threads import overlapped

if TYPE_CHECKING:
    from imagery.store.staging import Staged


def touch(path: Path) -> bool:
    """Mark a stored file as just used, if it is there (see `Store.touch`). False when the
    file is not there (never was, or was just removed as an orphan)."""
    try:
        os.utime(path)
    except FileNotFoundError:
        return False
    return True


class FileStore(Store):
    """Files under a root folder, named by the SHA-256 of the original they belong to.

    Every write goes to a temporary name in the target folder, is fsynced, renamed into
    place and the folder fsynced: a crash leaves either the whole file or nothing.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.scratch_root = self.root

    def describe(self) -> str:
        """The folder."""
        return str(self.root)

    def check(self) -> None:
        """A local folder is always there (it is made on first write)."""

    def path(self, sha256: str, variant: str = "original") -> Path:
        """Where a file lives: originals/ab/<sha>, derived/ab/<sha>-256.jpg, ..."""
        return self.root / object_name(sha256, variant)

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

    def read(self, sha256: str, variant: str = "original") -> bytes:
        """The stored bytes."""
        return self.path(sha256, variant).read_bytes()

    def open(self, sha256: str, variant: str = "original") -> Opened:
        """The stored file open for streaming."""
        return Opened.local(self.path(sha256, variant))

    def raster(self, sha256: str, variant: str = "cog.tif") -> Path:
        """The stored GeoTIFF's path."""
        return self.path(sha256, variant)

    def touch(self, sha256: str, variant: str = "original") -> bool:
        """Mark the file as just used (its modification time), if it is there."""
        return touch(self.path(sha256, variant))

    def commit_staged(self, staged: list[Staged]) -> None:
        """fsync every staged file (on threads, so the waits overlap), rename each into
        place, then fsync the folders."""
        overlapped(_fsync_file, [s.scratch for s in staged])
        folders = set()
        for item in staged:
            target = self.path(item.sha256, item.variant)
            if not target.parent.is_dir():
                target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(item.scratch, target)
            folders.add(target.parent)
        overlapped(_fsync_dir, folders)

    def listing(self) -> Iterator[StoredObject]:
        """Every stored file (half-written temporaries left out)."""
        for tree in TREES:
            for path in sorted((self.root / tree).glob("*/*")):
                if path.name.startswith(TEMP_PREFIX):
                    continue
                if (found := self.stat(path.relative_to(self.root).as_posix())) is not None:
                    yield found

    def stat(self, name: str) -> StoredObject | None:
        """A stored file's size and modification time, or None."""
        try:
            info = (self.root / name).stat()
        except FileNotFoundError:
            return None
        if not (self.root / name).is_file():
            return None
        return StoredObject(name, info.st_size, info.st_mtime)

    def delete(self, name: str) -> None:
        """Remove a stored file by name."""
        (self.root / name).unlink(missing_ok=True)


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
