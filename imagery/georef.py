"""Tie a photo to the grid cell it was taken in and the sites near it or under its footprint."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import sqlalchemy as sa
from shapely.geometry.base import BaseGeometry

from geo.locate import DEFAULT_RADIUS_M
from geo.locator import NO_CELL, Locator


@dataclass(frozen=True)
class SiteLink:
    """A site a photo is tied to: near its position (with metres) or under its footprint."""

    site_id: int
    code: str
    kind: str
    name: str
    relation: str  # "near" or "covered"
    distance_m: float | None = None


@dataclass(frozen=True)
class Georef:
    """The grid cell (None outside every cell) and the linked sites."""

    grid_cell_id: int | None = None
    grid_cell: dict | None = None
    sites: list[SiteLink] = field(default_factory=list)


class Georeferencer:
    """Georeferences photos against layers held in memory (loaded once per batch, or kept
    per process by `imagery.georef_cache`). Safe to share between threads: GEOS prepared
    geometries build their inner indexes on first use, so look-ups take turns."""

    def __init__(self, locator: Locator, radius_m: float = DEFAULT_RADIUS_M) -> None:
        self.locator = locator
        self.radius_m = radius_m
        self._lock = threading.Lock()

    @classmethod
    def from_connection(cls, conn: sa.Connection,
                        radius_m: float = DEFAULT_RADIUS_M) -> Georeferencer:
        """Load the grid cells and sites from the database."""
        return cls(Locator.from_connection(conn), radius_m)

    def _site(self, index: int, relation: str, distance: float | None) -> SiteLink:
        s = self.locator.sites[index]
        return SiteLink(s["id"], s["code"], s["kind"], s["name"], relation,
                        None if distance is None else round(float(distance), 2))

    def locate(self, lon: float | None, lat: float | None,
               footprint: BaseGeometry | None = None) -> Georef:
        """Cell and near sites of a position; sites under a footprint, when there is one."""
        return self.locate_many([lon], [lat], [footprint])[0]

    def locate_many(self, lons: list[float | None], lats: list[float | None],
                    footprints: list[BaseGeometry | None]) -> list[Georef]:
        """`locate` for a batch, with one vectorised query for all the positions."""
        with self._lock:
            return self._locate_many(lons, lats, footprints)

    def _locate_many(self, lons: list[float | None], lats: list[float | None],
                     footprints: list[BaseGeometry | None]) -> list[Georef]:
        located = [i for i, lon in enumerate(lons) if lon is not None and lats[i] is not None]
        found = self.locator.locate([lons[i] for i in located], [lats[i] for i in located],
                                    self.radius_m)
        cells: dict[int, int] = {located[k]: c for k, c in enumerate(found.cell)
                                 if c != NO_CELL}
        near: dict[int, list[SiteLink]] = {}
        for k, site, metres in zip(found.point, found.site, found.distance_m, strict=True):
            near.setdefault(located[k], []).append(self._site(site, "near", metres))
        return [self._georef(cells.get(i), near.get(i, []), footprint)
                for i, footprint in enumerate(footprints)]

    def _georef(self, cell_index: int | None, near: list[SiteLink],
                footprint: BaseGeometry | None) -> Georef:
        covered = [] if footprint is None else [
            self._site(i, "covered", None) for i in self.locator.sites_intersecting(footprint)]
        if cell_index is None:
            return Georef(None, None, near + covered)
        row = self.locator.cells[cell_index]
        return Georef(row["id"], {"code": row["code"], "name": row["name"], "town": row["town"]},
                      near + covered)
