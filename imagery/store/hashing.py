"""SHA-256 of bytes and of files: the names stored files go by."""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_of(data: bytes) -> str:
    """The hex SHA-256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def sha256_of_file(path: Path) -> str:
    """The hex SHA-256 of a file's bytes, read a block at a time."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()
