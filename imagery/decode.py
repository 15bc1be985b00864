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
from imagery.limits import PHOTO_PIXELS, too_many_pixels

pillow_heif.register_heif_opener()

# Pillow's own pixel-flood guard, a backstop behind the limit `opened` checks from the header
# (a setting, 100 MP by default): past it Pillow warns, and a strict open refuses the file.
Image.MAX_IMAGE_PIXELS = 1_000_000_000

THUMBNAIL = 256  # made at ingest, for lists and maps
PREVIEW = 1024  # made on first use (it needs a decode at twice the scale)
JPEG_QUALITY = 85
DRAFT_SLACK = 0.95


@dataclass(frozen=True)
class Rendered:
    """Thumbnails (JPEG bytes, metadata stripped, orientation applied) and the pHash."""

    thumbnails: dict[int, bytes]
    phash: str
    width: int
    height: int


@contextmanager
def opened(data: bytes, name: str, *, max_pixels: int = PHOTO_PIXELS,
           strict: bool = True) -> Iterator[Image.Image]:
    """Open image bytes lazily (only the header is read); images over `max_pixels`, pixel
    floods and unreadable files become RejectedFile.

    `strict` turns Pillow's warnings (corrupt EXIF, pixel floods) into refusals. It changes
    the process-wide warning filters, so only single-threaded code (the ingest, in its own
    process) uses it; files already accepted are opened without it."""
    try:
        with _warnings_as_errors(strict), Image.open(io.BytesIO(data)) as image:
            if reason := too_many_pixels(*image.size, max_pixels, "photos"):
                raise RejectedFile(name, reason)
            yield image
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise RejectedFile(name, f"pixel flood: {exc}") from exc
    except UnidentifiedImageError as exc:
        raise RejectedFile(name, "the image cannot be read (corrupt or not an image)") from exc
    except Warning as exc:
        raise RejectedFile(name, f"malformed EXIF or image metadata ({exc})") from exc


@contextmanager
def _warnings_as_errors(strict: bool) -> Iterator[None]:
    if not strict:
        yield
        return
    with warnings.catch_warnings():
        # Pillow only warns about pixel floods below twice its limit and about corrupt EXIF;
        # both are reasons to refuse the file.
        warnings.simplefilter("error")
        yield


def _decoded(image: Image.Image, name: str, largest: int) -> Image.Image:
    """Pixels decoded at the smallest scale that still fills the largest thumbnail."""
    try:
        if image.format == "JPEG":
            # DCT scaling decodes 1/2, 1/4 or 1/8 of the pixels; "about 1024 px" lets a
            # 4000 px photo decode at 1/4 (1000 px) instead of 1/2.
            scale = DRAFT_SLACK * largest / max(image.size)
            image.draft("RGB", (int(image.width * scale), int(image.height * scale)))
        image.load()
        ImageOps.exif_transpose(image, in_place=True)  # no copy of the pixels
    except (OSError, SyntaxError, ValueError) as exc:
        raise RejectedFile(name, f"the image data is truncated or corrupt ({exc})") from exc
    return image if image.mode == "RGB" else image.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=False)  # no exif, no icc: stripped
    return out.getvalue()


def render(image: Image.Image, name: str) -> Rendered:
    """Decode once, at the smallest scale the format allows, into the list thumbnail and the
    perceptual hash."""
    width, height = image.size
    small = _shrunk(_decoded(image, name, THUMBNAIL), THUMBNAIL)
    return Rendered({THUMBNAIL: _jpeg(small)}, str(imagehash.phash(small)), width, height)


def preview(data: bytes, name: str, size: int = PREVIEW) -> bytes:
    """A larger JPEG rendering (about `size` px) of image bytes, orientation applied."""
    with opened(data, name, max_pixels=Image.MAX_IMAGE_PIXELS, strict=False) as image:
        return _jpeg(_shrunk(_decoded(image, name, size), size))


def _shrunk(image: Image.Image, size: int) -> Image.Image:
    """About `size` px on the long side: a box reduce by a whole factor (fast, and as good
    as resampling for thumbnails), then an exact resize only when still well over."""
    factor = int(max(image.size) / (size * DRAFT_SLACK))
    if factor >= 2:
        image = image.reduce(factor)
    if max(image.size) > size / DRAFT_SLACK:
        image = image.copy()
        image.thumbnail((size, size), Image.Resampling.BILINEAR)
    return image
