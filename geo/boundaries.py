"""Town and district boundaries (镇街界线、区界), dissolved from the grid cells: what makes
the map readable with no basemap. Dissolving a province's cells takes seconds, so each
process keeps the result per database and builds it again only when the grid cells change
(`geo.layers.version`, as the site centres in geo/centres.py are checked)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

from geo import layers
from geo.layers import GRID_CELLS

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

TOLERANCE_DEG = 0.0001  # about 10 m: simplified for the wire, still sharp at street zoom
SNAP_DEG = 1e-7  # cells' shared edges that differ by less than this (1 cm) still dissolve
KEPT = 4  # databases remembered per process (tests open many; a server uses one)
_LOCK = threading.Lock()
_CACHE: OrderedDict[str, Boundaries] = OrderedDict()
_BUILDS = [0]


@dataclass(frozen=True)
class Town:
    """A town (镇/街道): its name, outline and a point inside it for the label."""

    name: str
    geometry: BaseGeometry
    label: tuple[float, float]


@dataclass(frozen=True)
class Boundaries:
    """The district's outline (None: no grid cells) and its towns', as of a layer version."""

    version: tuple
    district: BaseGeometry | None
    towns: tuple[Town, ...]


def builds() -> int:
    """How many times this process dissolved the grid cells (for tests)."""
    with _LOCK:
        return _BUILDS[0]


def dissolve(cells: list[tuple[str | None, BaseGeometry]], version: tuple = (),
             tolerance: float = TOLERANCE_DEG) -> Boundaries:
    """Boundaries of (town, geometry) cells: one outline per named town and one of all,
    simplified together so that neighbouring towns keep a common edge."""
    import shapely

    if not cells:
        return Boundaries(version, None, ())
    names = sorted({town for town, _ in cells if town})
    merged = [shapely.union_all([g for t, g in cells if t == name], grid_size=SNAP_DEG)
              for name in names]
    loose = [g for t, g in cells if not t]
    simple = list(shapely.coverage_simplify(merged, tolerance)) if merged else []
    everything = simple + ([shapely.union_all(loose, grid_size=SNAP_DEG)] if loose else [])
    district = shapely.union_all(everything, grid_size=SNAP_DEG).simplify(tolerance)
    towns = tuple(Town(name, geom, _label(geom)) for name, geom in zip(names, simple, strict=True)
                  if not geom.is_empty)
    return Boundaries(version, district, towns)


def _label(geometry: BaseGeometry) -> tuple[float, float]:
    """A point inside the town's largest part (a centroid may fall outside a curved town)."""
    parts = getattr(geometry, "geoms", [geometry])
    point = max(parts, key=lambda g: g.area).point_on_surface()
    return (point.x, point.y)


def _read(conn: sa.Connection, version: tuple) -> Boundaries:
    rows = layers.all_features(conn, GRID_CELLS, ("town",))
    return dissolve([(r["town"], r[GRID_CELLS.geom]) for r in rows if r[GRID_CELLS.geom]],
                    version)


def boundaries(conn: sa.Connection) -> Boundaries:
    """The boundaries of the connection's database, dissolved again only when its grid
    cells changed since this process last did it (any process's import is seen)."""
    key = str(conn.engine.url)
    version = layers.version(conn, GRID_CELLS)
    with _LOCK:
        cached = _CACHE.get(key)
    if cached is not None and cached.version == version:
        return cached
    fresh = _read(conn, version)
    with _LOCK:
        _BUILDS[0] += 1
        _CACHE[key] = fresh
        _CACHE.move_to_end(key)
        while len(_CACHE) > KEPT:
            _CACHE.popitem(last=False)
    return fresh
