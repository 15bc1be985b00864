"""Grid cells (网格): a regular lattice cut by town borders, with slivers merged away."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely

from geo.synthetic.extent import Extent
from geo.synthetic.towns import polygonal

SLIVER_FRACTION = 0.05


@dataclass(frozen=True)
class Lattice:
    """A regular lattice of boxes over the extent."""

    xs: np.ndarray
    ys: np.ndarray

    @property
    def cell_area(self) -> float:
        """Area of one full box in square degrees."""
        return float((self.xs[1] - self.xs[0]) * (self.ys[1] - self.ys[0]))

    def boxes(self) -> np.ndarray:
        """All boxes, row by row (shared edges use identical coordinates)."""
        ix, iy = np.meshgrid(np.arange(len(self.xs) - 1), np.arange(len(self.ys) - 1))
        ix, iy = ix.ravel(), iy.ravel()
        return shapely.box(self.xs[ix], self.ys[iy], self.xs[ix + 1], self.ys[iy + 1])


def make_lattice(extent: Extent, cell_size_m: float) -> Lattice:
    """A lattice of `cell_size_m` squares anchored at the south-west corner."""
    dx = cell_size_m / extent.m_per_deg_x
    dy = cell_size_m / extent.m_per_deg_y
    nx = math.ceil(extent.width / dx)
    ny = math.ceil(extent.height / dy)
    return Lattice(extent.west + dx * np.arange(nx + 1), extent.south + dy * np.arange(ny + 1))


def cut_pieces(boxes: np.ndarray, towns: list[shapely.Geometry]) -> tuple[np.ndarray, np.ndarray]:
    """Intersect every box with every town it touches: (pieces, town index of each piece)."""
    tree = shapely.STRtree(towns)
    box_idx, town_idx = tree.query(boxes, predicate="intersects")
    raw = shapely.intersection(boxes[box_idx], np.asarray(towns, dtype=object)[town_idx])
    pieces = np.array([polygonal(g) for g in raw], dtype=object)
    keep = shapely.area(pieces) > 0
    return pieces[keep], town_idx[keep]


def _merge_target(small: shapely.Geometry, big: np.ndarray) -> int:
    """The big piece sharing the longest border with `small`, else the nearest one."""
    shared = shapely.length(shapely.intersection(small.boundary, shapely.boundary(big)))
    if shared.max() > 0:
        return int(shared.argmax())
    return int(shapely.distance(small, big).argmin())


def merge_slivers(pieces: np.ndarray, min_area: float) -> list[shapely.Geometry]:
    """Merge pieces smaller than `min_area` into a big piece of the same town."""
    areas = shapely.area(pieces)
    big_idx = np.flatnonzero(areas >= min_area)
    if len(big_idx) == 0:
        return [shapely.union_all(pieces)]
    big = pieces[big_idx]
    extra: dict[int, list[shapely.Geometry]] = {}
    for i in np.flatnonzero(areas < min_area):
        extra.setdefault(_merge_target(pieces[i], big), []).append(pieces[i])
    cells = []
    for j, geom in enumerate(big):
        if j in extra:
            geom = polygonal(shapely.union_all([geom, *extra[j]]))
        cells.append(geom)
    return cells


def tile_towns(towns: list[shapely.Geometry], lattice: Lattice) -> list[list[shapely.Geometry]]:
    """For each town, its grid cells: lattice pieces with slivers merged into neighbours."""
    pieces, town_idx = cut_pieces(lattice.boxes(), towns)
    min_area = SLIVER_FRACTION * lattice.cell_area
    return [merge_slivers(pieces[town_idx == t], min_area) for t in range(len(towns))]
