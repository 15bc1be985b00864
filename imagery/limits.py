"""How large an image may be, in pixels, checked from its header before anything is decoded."""

from __future__ import annotations

from dataclasses import dataclass

PHOTO_PIXELS = 100_000_000  # 100 MP: above every phone and drone camera sold today
ORTHO_PIXELS = 4_000_000_000  # 4 gigapixels: about 63,000 px square


@dataclass(frozen=True)
class Limits:
    """The largest photo and orthophoto accepted, in pixels (width x height)."""

    max_photo_pixels: int = PHOTO_PIXELS
    max_ortho_pixels: int = ORTHO_PIXELS


def too_many_pixels(width: int, height: int, limit: int, what: str) -> str | None:
    """Why an image of this size is refused, or None when it is within the limit."""
    pixels = width * height
    if pixels <= limit:
        return None
    return (f"is {width} x {height} = {pixels:,} pixels, more than the {limit:,} allowed "
            f"for {what}")
