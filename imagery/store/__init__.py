"""The file store: originals, thumbnails and orthophotos by SHA-256, behind one interface
(`Store`) with two backends: a local content-addressed folder (`FileStore`) and S3-compatible
object storage (`imagery.store.s3.S3Store`). Only the web app's factory knows which."""

from imagery.store.base import (
    COPY_BLOCK,
    DERIVED,
    ORIGINALS,
    SCRATCH,
    TEMP_PREFIX,
    Opened,
    Raster,
    RemoteRaster,
    Store,
    StoredObject,
    object_name,
    sha_of_name,
)
from imagery.store.hashing import sha256_of, sha256_of_file
from imagery.store.local import FileStore, touch
from imagery.store.staging import Staged, commit, stage

__all__ = [
    "COPY_BLOCK",
    "DERIVED",
    "ORIGINALS",
    "SCRATCH",
    "TEMP_PREFIX",
    "FileStore",
    "Opened",
    "Raster",
    "RemoteRaster",
    "Staged",
    "Store",
    "StoredObject",
    "commit",
    "object_name",
    "sha256_of",
    "sha256_of_file",
    "sha_of_name",
    "stage",
    "touch",
]
