"""Distances in metres from points to geometries, geodesic on the WGS 84 ellipsoid."""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod

GEOD = Geod(ellps="WGS84")
_A = 6378137.0
_E2 = 0.00669437999014


def radii_m(lat: ArrayLike) -> tuple[NDArray, NDArray]:
    """Meridional (M) and prime-vertical (N) radii of curvature at a latitude, in metres."""
    phi = np.radians(np.asarray(lat, dtype=float))
    w = np.sqrt(1.0 - _E2 * np.sin(phi) ** 2)
    return _A * (1.0 - _E2) / w**3, _A / w


def degree_margins(lat: ArrayLike, metres: float) -> tuple[NDArray, NDArray]:
    """Half-widths in degrees (lon, lat) of a box that surely holds a circle of `metres`."""
    m, n = radii_m(lat)
    phi = np.radians(np.asarray(lat, dtype=float))
    slack = 1.01  # the box is a coarse filter; the exact test follows
    dlat = np.degrees(metres * slack / m)
    dlon = np.degrees(metres * slack / (n * np.maximum(np.cos(phi), 1e-6)))
    return dlon, dlat


def distances_m(lons: ArrayLike, lats: ArrayLike, geoms: ArrayLike) -> NDArray:
    """Pairwise geodesic distance from point i to geometry i (0 when the point is inside).

    The nearest point is found in a local frame centred on each point (locally conformal, so
    it is the true nearest point to well under a millimetre at these ranges); the distance to
    it is then measured geodesically, so it is exact whatever the range.
    """
    lons = np.asarray(lons, dtype=float)
    lats = np.asarray(lats, dtype=float)
    geoms = np.asarray(geoms, dtype=object)
    if len(geoms) == 0:
        return np.zeros(0)
    local = _to_local(lons, lats, geoms)
    near = shapely.get_coordinates(shapely.shortest_line(shapely.points(0.0, 0.0), local))[1::2]
    near_lon, near_lat = _from_local(lons, lats, near[:, 0], near[:, 1])
    _, _, dist = GEOD.inv(lons, lats, near_lon, near_lat)
    return np.where(shapely.intersects(shapely.points(0.0, 0.0), local), 0.0, dist)


def _to_local(lons: NDArray, lats: NDArray, geoms: NDArray) -> NDArray:
    """Each geometry in metres east and north of its own point (equirectangular, scaled by
    the radii of curvature there)."""
    coords, index = shapely.get_coordinates(geoms, return_index=True)
    m, n = radii_m(lats)
    x = np.radians(coords[:, 0] - lons[index]) * n[index] * np.cos(np.radians(lats[index]))
    y = np.radians(coords[:, 1] - lats[index]) * m[index]
    # set_coordinates replaces the array's items, so work on a copy of the array.
    return shapely.set_coordinates(geoms.copy(), np.column_stack([x, y]))


def _from_local(lons: NDArray, lats: NDArray, x: NDArray, y: NDArray) -> tuple[NDArray, NDArray]:
    m, n = radii_m(lats)
    lon = lons + np.degrees(x / (n * np.cos(np.radians(lats))))
    lat = lats + np.degrees(y / m)
    return lon, lat
