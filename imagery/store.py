"""The content-addressed file store: originals, thumbnails and orthophotos by SHA-256."""

from __future__ import annotations

import hashlib
import os
import tempfile
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
        """Where a file lives: originals/ab/cd/<sha>, thumbs/ab/<sha>-256.jpg, ..."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ImageryError(f"{sha256!r} is not a SHA-256 hex digest")
        if variant == "original":
            return self.root / "originals" / sha256[:2] / sha256[2:4] / sha256
        return self.root / "derived" / sha256[:2] / f"{sha256}-{variant}"

    def has(self, sha256: str, variant: str = "original") -> bool:
        """Whether that file is stored."""
        return self.path(sha256, variant).is_file()

    def put(self, sha256: str, data: bytes, variant: str = "original") -> Path:
        """Store bytes durably under their name; an existing file is left as it is."""
        target = self.path(sha256, variant)
        if target.is_file():
            return target
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


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
