"""What change detection returns: the polygons where the ground changed between two images."""

from __future__ import annotations

from dataclasses import dataclass, field

from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class ChangePolygon:
    """One area that changed: its outline (EPSG:4326), ground area, certainty, thumbnails."""

    geometry: BaseGeometry  # Polygon or MultiPolygon, lon/lat (EPSG:4326)
    area_m2: float
    score: float  # 0..1, higher = more certain
    before_thumb: bytes = field(repr=False)  # JPEG
    after_thumb: bytes = field(repr=False)  # JPEG


@dataclass(frozen=True)
class ChangeResult:
    """The residual co-registration shift found (metres) and the changed areas, largest first."""

    shift_m: float
    polygons: list[ChangePolygon]
