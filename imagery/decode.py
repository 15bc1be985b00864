"""Open images safely, and make the thumbnails and perceptual hash pages and checks use."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import imagehash
import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

from imagery.errors import RejectedFile

pillow_heif.register_heif_opener()

# High enough for 100 MP drone cameras; past it Pillow warns, and we treat the warning as an
# error (past twice this Pillow refuses by itself).
MAX_PIXELS = 120_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

THUMB_SIZES = (1024, 256)
JPEG_QUALITY = 85


@dataclass(frozen=True)
class Rendered:
    """Thumbnails (JPEG bytes, metadata stripped, orientation applied) and the pHash."""

    thumbnails: dict[int, bytes]
    phash: str
    width: int
    height: int


@contextmanager
def opened(data: bytes, name: str) -> Iterator[Image.Image]:
    """Open image bytes lazily; pixel floods and unreadable files become RejectedFile."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns about pixel floods below twice the limit and about corrupt
            # EXIF; both are reasons to refuse the file.
            warnings.simplefilter("error")
            with Image.open(io.BytesIO(data)) as image:
                yield image
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise RejectedFile(name, f"pixel flood: {exc}") from exc
    except UnidentifiedImageError as exc:
        raise RejectedFile(name, "the image cannot be read (corrupt or not an image)") from exc
    except Warning as exc:
        raise RejectedFile(name, f"malformed EXIF or image metadata ({exc})") from exc


def _decoded(image: Image.Image, name: str, largest: int) -> Image.Image:
    """Pixels decoded at the smallest scale that still fills the largest thumbnail."""
    try:
        if image.format == "JPEG":
            image.draft("RGB", (largest, largest))  # DCT scaling: decode 1/2, 1/4 or 1/8
        image.load()
        upright = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError) as exc:
        raise RejectedFile(name, f"the image data is truncated or corrupt ({exc})") from exc
    return upright.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=False)  # no exif, no icc: stripped
    return out.getvalue()


def render(image: Image.Image, name: str) -> Rendered:
    """Decode once, at reduced size where the format allows, into thumbnails and a pHash."""
    width, height = image.size
    small = _decoded(image, name, max(THUMB_SIZES))
    thumbnails = {}
    for size in sorted(THUMB_SIZES, reverse=True):
        small.thumbnail((size, size), Image.Resampling.BILINEAR, reducing_gap=2.0)
        thumbnails[size] = _jpeg(small)
    return Rendered(thumbnails, str(imagehash.phash(small)), width, height)
