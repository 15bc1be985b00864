"""Every feature's centre of a layer, held in memory per process and read again only when
the layer changes: counting a province's sites per grid square for a map at low zoom then
costs a few milliseconds instead of a pass over the database."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa

from geo import layers
from geo.layers import Layer
from geo.spatial import BBox, Cluster, _centres, count_cells

_CACHE: dict[tuple[str, str, tuple[str, ...]], Centres] = {}
_LOCK = threading.Lock()
WORLD = (-180.0, -90.0, 180.0, 90.0)


@dataclass(frozen=True)
class Centres:
    """The bounding-box centres of a layer's features and some of their columns."""

    version: tuple
    xy: np.ndarray  # n x 2, lon and lat
    columns: dict[str, np.ndarray]

    def mask(self, bbox: BBox, **equal: object) -> np.ndarray:
        """Which features lie in the box and have the given column values."""
        x, y = self.xy[:, 0], self.xy[:, 1]
        keep = (x >= bbox[0]) & (x <= bbox[2]) & (y >= bbox[1]) & (y <= bbox[3])
        for column, value in equal.items():
            keep &= self.columns[column] == value
        return keep

    def clusters(self, bbox: BBox, cell_deg: float, keep: np.ndarray) -> list[Cluster]:
        """Counts per grid square of the kept features."""
        return count_cells(self.xy[keep], bbox, cell_deg)


def _version(conn: sa.Connection, layer: Layer) -> tuple:
    return layers.version(conn, layer)


def _load(conn: sa.Connection, layer: Layer, columns: Sequence[str], version: tuple) -> Centres:
    source, x, y, meets = _centres(conn, layer, WORLD, filtered=True)
    stmt = sa.select(x, y, *(layer.table.c[c] for c in columns)).select_from(source)
    rows = conn.execute(stmt.where(meets)).cursor.fetchall()
    xy = np.array([r[:2] for r in rows], dtype=float).reshape(-1, 2)
    values = {c: np.array([r[2 + i] for r in rows], dtype=object)
              for i, c in enumerate(columns)}
    return Centres(version, xy, values)


def layer_centres(conn: sa.Connection, layer: Layer, columns: Sequence[str] = ()) -> Centres:
    """The layer's centres (with the named columns), from memory while the layer is
    unchanged (same count, last id and last update)."""
    key = (str(conn.engine.url), layer.name, tuple(columns))
    version = _version(conn, layer)
    with _LOCK:
        cached = _CACHE.get(key)
    if cached is not None and cached.version == version:
        return cached
    fresh = _load(conn, layer, columns, version)
    with _LOCK:
        _CACHE[key] = fresh
    return fresh
