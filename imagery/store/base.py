"""The store's one interface: originals, thumbnails and orthophotos by the SHA-256 of the
original they belong to, wherever the bytes live (a local folder or S3-compatible storage)."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from imagery.errors import ImageryError

if TYPE_CHECKING:
    from imagery.store.staging import Staged

ORIGINALS = "originals"
DERIVED = "derived"
TREES = (ORIGINALS, DERIVED)
SCRATCH = "tmp"  # work files and uploads being received; nothing in it is kept
TEMP_PREFIX = ".tmp-"  # a file being written beside its final name
COPY_BLOCK = 1024 * 1024
SHA_LENGTH = 64
HEX = frozenset("0123456789abcdef")


def object_name(sha256: str, variant: str = "original") -> str:
    """A stored file's name under the store's root: originals/ab/<sha>,
    derived/ab/<sha>-256.jpg, ...

    256 folders per tree: few enough that they exist after the first files (creating a
    folder costs more than writing a small file), many enough to keep listings short."""
    if len(sha256) != SHA_LENGTH or any(c not in HEX for c in sha256):
        raise ImageryError(f"{sha256!r} is not a SHA-256 hex digest")
    if variant == "original":
        return f"{ORIGINALS}/{sha256[:2]}/{sha256}"
    return f"{DERIVED}/{sha256[:2]}/{sha256}-{variant}"


def sha_of_name(name: str) -> str | None:
    """The hash a stored file's name belongs to (None for a name that is no stored file's)."""
    parts = name.split("/")
    if len(parts) != 3 or parts[0] not in TREES:
        return None
    leaf = parts[2]
    sha = leaf if parts[0] == ORIGINALS else leaf[:SHA_LENGTH]
    if parts[0] == DERIVED and leaf[SHA_LENGTH:SHA_LENGTH + 1] != "-":
        return None
    return sha if len(sha) == SHA_LENGTH and all(c in HEX for c in sha) else None


@dataclass(frozen=True)
class RemoteRaster:
    """A GeoTIFF in object storage: its /vsis3/ path, the GDAL options that reach it
    (endpoint host, https, path-style addressing, region) and the keys (None: the usual AWS
    chain)."""

    vsi_path: str
    name: str
    options: tuple[tuple[str, str], ...]
    store: str  # where, for messages: s3://bucket/prefix
    endpoint: str  # for messages: the endpoint's URL
    access_key: str | None = None
    secret_key: str | None = field(default=None, repr=False)


Raster = Path | RemoteRaster


@dataclass(frozen=True)
class StoredObject:
    """One stored file as a listing sees it: its name, size and last change (epoch s)."""

    name: str
    size: int
    modified: float


@dataclass
class Opened:
    """A stored file open for streaming: read it in blocks, never whole into memory."""

    file: BinaryIO
    size: int

    @classmethod
    def local(cls, path: Path) -> Opened:
        """A local file, opened (FileNotFoundError when it is not there)."""
        fh = open(path, "rb")  # noqa: SIM115 (closed once streamed)
        return cls(fh, os.fstat(fh.fileno()).st_size)

    def chunks(self, block: int = COPY_BLOCK) -> Iterator[bytes]:
        """The bytes a block at a time; the file is closed at the end (or when abandoned)."""
        try:
            while data := self.file.read(block):
                yield data
        finally:
            self.file.close()


class Store(ABC):
    """Where stored files live. Writes are durable and whole when they return; an existing
    file is left as it is (same name, same bytes). Work files stay on the local disk, in
    `scratch_dir()`, whatever the backend."""

    scratch_root: Path

    def scratch_dir(self) -> Path:
        """A local folder for work files and uploads being received."""
        folder = self.scratch_root / SCRATCH
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def warm(self) -> None:
        """Make ready now what the first upload would otherwise wait for (a server calls
        it as it starts; nothing to do for a folder)."""
        return

    @abstractmethod
    def describe(self) -> str:
        """Where the store is, for people (a folder, or s3://bucket/prefix)."""

    @abstractmethod
    def has(self, sha256: str, variant: str = "original") -> bool:
        """Whether that file is stored."""

    @abstractmethod
    def put(self, sha256: str, data: bytes, variant: str = "original") -> object:
        """Store bytes durably under their name; an existing file is left as it is."""

    @abstractmethod
    def put_path(self, sha256: str, source: Path, variant: str = "original") -> object:
        """Store a copy of a local file durably (a block at a time, never whole in memory)."""

    @abstractmethod
    def put_file(self, sha256: str, source: Path, variant: str) -> object:
        """Move a finished local work file into the store durably (the source is gone)."""

    @abstractmethod
    def read(self, sha256: str, variant: str = "original") -> bytes:
        """The stored bytes (for small files: thumbnails, photos)."""

    @abstractmethod
    def open(self, sha256: str, variant: str = "original") -> Opened:
        """The stored file open for streaming (originals of any size)."""

    @abstractmethod
    def raster(self, sha256: str, variant: str = "cog.tif") -> Raster:
        """Where a raster reader opens a stored GeoTIFF with ranged reads."""

    @abstractmethod
    def touch(self, sha256: str, variant: str = "original") -> bool:
        """Mark a stored file as just used, if it is there: the store check leaves files
        without a row alone while they are young, as an ingest that found them stored has
        yet to write its row. False when the file is not there."""

    @abstractmethod
    def commit_staged(self, staged: list[Staged]) -> None:
        """Make staged work files durable at their names (see `staging.commit`)."""

    @abstractmethod
    def listing(self) -> Iterator[StoredObject]:
        """Every stored file (originals and derived), in name order."""

    @abstractmethod
    def stat(self, name: str) -> StoredObject | None:
        """One stored file by name, or None when it is not there."""

    @abstractmethod
    def delete(self, name: str) -> None:
        """Remove a stored file by name (only the store check's repair does, and only for
        files no photo names); a file already gone is no error."""

    @abstractmethod
    def check(self) -> None:
        """Raise StoreUnavailable when the store cannot be reached or used."""
