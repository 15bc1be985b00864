"""Before/after thumbnails of one changed region: the same ground on both images, the region
outlined, as JPEG bytes."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw
from shapely.geometry.base import BaseGeometry

from imagery.changes.grid import GroundGrid

THUMB_PX = 256
MARGIN = 0.35  # share of the region's size added around it
MIN_SIDE_M = 20.0
OUTLINE = (255, 40, 40)


def crop_box(geometry: BaseGeometry, grid: GroundGrid) -> tuple[int, int, int, int]:
    """(row0, row1, col0, col1) on the grid: the region, its margin, at least MIN_SIDE_M."""
    left, bottom, right, top = geometry.bounds
    side = max(right - left, top - bottom, MIN_SIDE_M / (1 + 2 * MARGIN)) * (1 + 2 * MARGIN)
    cx, cy = (left + right) / 2, (bottom + top) / 2
    inverse = ~grid.transform
    col0, row0 = inverse * (cx - side / 2, cy + side / 2)
    col1, row1 = inverse * (cx + side / 2, cy - side / 2)
    return (max(0, int(row0)), min(grid.height, int(np.ceil(row1))),
            max(0, int(col0)), min(grid.width, int(np.ceil(col1))))


def outline_pixels(geometry: BaseGeometry, grid: GroundGrid, box: tuple[int, int, int, int],
                   scale: float) -> list[list[tuple[float, float]]]:
    """The rings of `geometry` as pixel coordinates of the thumbnail."""
    inverse = ~grid.transform
    polygons = getattr(geometry, "geoms", [geometry])
    rings = []
    for polygon in polygons:
        for ring in [polygon.exterior, *polygon.interiors]:
            points = []
            for x, y in ring.coords:
                col, row = inverse * (x, y)
                points.append(((col - box[2]) * scale, (row - box[0]) * scale))
            rings.append(points)
    return rings


def thumbnail(rgb: np.ndarray, geometry: BaseGeometry, grid: GroundGrid) -> bytes:
    """A JPEG of `rgb` (grid image, 0..1) around `geometry`, outlined."""
    box = crop_box(geometry, grid)
    crop = (np.clip(rgb[box[0]:box[1], box[2]:box[3]], 0, 1) * 255).astype("uint8")
    image = Image.fromarray(crop)
    scale = THUMB_PX / max(image.width, image.height, 1)
    image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                         Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(image)
    for ring in outline_pixels(geometry, grid, box, scale):
        draw.line(ring, fill=OUTLINE, width=2)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()
