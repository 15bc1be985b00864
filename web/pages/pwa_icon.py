"""The app's home-screen icon, drawn with Pillow (no external assets): a camera lens ringed
by a turning-back arrow (回头看) on the bureau's green; full-bleed, so it also serves as a
maskable icon."""

from __future__ import annotations

import functools
import io
import math

from PIL import Image, ImageDraw

SIZES = (192, 512)
GREEN = (31, 95, 74)
WHITE = (255, 255, 255)
RED = (164, 22, 26)
SUPERSAMPLE = 4


def _arrow_head(centre: float, radius: float, angle: float, size: float
                ) -> list[tuple[float, float]]:
    """A triangle on the ring at `angle` (degrees), pointing along the ring anticlockwise."""
    a = math.radians(angle)
    tip_a = math.radians(angle - 22)
    inner, outer = radius - size, radius + size
    return [(centre + inner * math.cos(a), centre + inner * math.sin(a)),
            (centre + outer * math.cos(a), centre + outer * math.sin(a)),
            (centre + radius * math.cos(tip_a), centre + radius * math.sin(tip_a))]


@functools.lru_cache(maxsize=len(SIZES))
def icon_png(size: int) -> bytes:
    """The icon as PNG bytes, `size` pixels square (one of SIZES)."""
    if size not in SIZES:
        raise ValueError(f"icon size {size}: use {' or '.join(map(str, SIZES))}")
    big = size * SUPERSAMPLE
    image = Image.new("RGB", (big, big), GREEN)
    draw = ImageDraw.Draw(image)
    centre, ring = big / 2, big * 0.30
    width = round(big * 0.07)
    box = (centre - ring, centre - ring, centre + ring, centre + ring)
    draw.arc(box, start=-40, end=250, fill=WHITE, width=width)
    draw.polygon(_arrow_head(centre, ring - width / 2, -40, big * 0.09), fill=WHITE)
    lens = big * 0.13
    draw.ellipse((centre - lens, centre - lens, centre + lens, centre + lens), fill=WHITE)
    dot = big * 0.05
    draw.ellipse((centre - dot, centre - dot, centre + dot, centre + dot), fill=RED)
    out = io.BytesIO()
    image.resize((size, size), Image.LANCZOS).save(out, format="PNG", optimize=True)
    return out.getvalue()
