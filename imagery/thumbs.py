"""Thumbnails as pages show them: the small one made at ingest, larger ones on first use."""

from __future__ import annotations

from pathlib import Path

from imagery import decode
from imagery.errors import ImageryError
from imagery.orthophoto import preview_jpeg
from imagery.store import Store

SIZES = (decode.THUMBNAIL, decode.PREVIEW)


def thumbnail(store: Store, sha256: str, size: int, *, kind: str,
              source_path: Path | None = None) -> bytes:
    """JPEG bytes of a photo at `size` px (256 or 1024), rendered and stored when missing.

    An original indexed in place (metadata-only ingest) is read from where it was found."""
    if size not in SIZES:
        raise ImageryError(f"thumbnail size {size}: use one of {', '.join(map(str, SIZES))}")
    variant = f"{size}.jpg"
    if store.has(sha256, variant):
        return store.read(sha256, variant)
    if kind == "orthophoto":
        data = preview_jpeg(store.raster(sha256, "cog.tif"), max_size=size)
    else:
        data = decode.preview(_original(store, sha256, source_path), sha256, size)
    store.put(sha256, data, variant)
    return data


def _original(store: Store, sha256: str, source_path: Path | None) -> bytes:
    if store.has(sha256):
        return store.read(sha256)
    if source_path is not None and source_path.is_file():
        return source_path.read_bytes()
    raise ImageryError(f"photo {sha256[:12]}: the original is neither in the store nor at "
                       f"{source_path}")
