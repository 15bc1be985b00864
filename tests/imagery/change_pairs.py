"""Small synthetic orthophoto pairs for the change-detection tests, and how to score them."""

from __future__ import annotations

from pathlib import Path

from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from imagery.changes import ChangeResult
from imagery.changes.grid import to_crs
from imagery.changes.synthetic import SyntheticPair, write_scene_pair

SIZE_M = 120.0  # image side; the site is its middle 70 %
GSD_M = 0.25  # 480 x 480 px: a pair is written in well under a second


def pair(folder: Path, seed: int, *, change: bool = True, nuisances: bool = True
         ) -> tuple[Path, Path, SyntheticPair]:
    """Write the pair for `seed` into `folder`: (before, after, what was planted)."""
    before, after = folder / f"before-{seed}.tif", folder / f"after-{seed}.tif"
    made = write_scene_pair(before, after, size_m=SIZE_M, gsd_m=GSD_M, seed=seed,
                            change=change, nuisances=nuisances)
    return before, after, made


def detected(result: ChangeResult, crs: str) -> list[BaseGeometry]:
    """The detected polygons in the pair's projected CRS (metres)."""
    return [to_crs(polygon.geometry, "EPSG:4326", crs) for polygon in result.polygons]


def iou(result: ChangeResult, made: SyntheticPair) -> float:
    """Intersection over union of the planted polygon and the detections touching it."""
    assert made.planted is not None
    planted = to_crs(made.planted.geometry, "EPSG:4326", made.crs)
    touching = [g for g in detected(result, made.crs) if g.intersects(planted)]
    if not touching:
        return 0.0
    found = unary_union(touching)
    return found.intersection(planted).area / found.union(planted).area


def site_area_m2(made: SyntheticPair) -> float:
    """The site's area in square metres."""
    return to_crs(made.site, "EPSG:4326", made.crs).area
