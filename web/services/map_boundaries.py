"""The town and district boundaries as GeoJSON for the map, in the display CRS, with
coordinates rounded for the wire (6 decimals: 10 cm); encoded once per dissolve and display
CRS (a province's towns are some 650 KB: built per request they took 370 ms)."""

from __future__ import annotations

import json
import threading
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping, shape

from geo.boundaries import Boundaries
from web.display_crs import DisplayCrs

DECIMALS = 6
KEPT = 8  # encodings remembered per process (a dissolve in each display CRS, a few databases)
_LOCK = threading.Lock()
_ENCODED: dict[tuple[int, str], tuple[Boundaries, bytes]] = {}


def _geometry(geometry: Any, crs: DisplayCrs) -> dict[str, Any]:
    shifted = shape(crs.geometry_out(mapping(geometry))) if crs.shifted else geometry
    return mapping(shapely.transform(shifted, lambda xy: np.round(xy, DECIMALS)))


def boundary_features(found: Boundaries, crs: DisplayCrs) -> dict[str, Any]:
    """The district's outline, then each town's with its name and label point."""
    features: list[dict[str, Any]] = []
    if found.district is not None and not found.district.is_empty:
        features.append({"type": "Feature", "geometry": _geometry(found.district, crs),
                         "properties": {"kind": "district"}})
    for town in found.towns:
        lon, lat = crs.point_out(*town.label)
        features.append({"type": "Feature", "geometry": _geometry(town.geometry, crs),
                         "properties": {"kind": "town", "name": town.name,
                                        "label": [round(lon, DECIMALS), round(lat, DECIMALS)]}})
    return {"type": "FeatureCollection", "features": features}


def boundary_json(found: Boundaries, crs: DisplayCrs) -> bytes:
    """`boundary_features` as JSON bytes, encoded once for each dissolve (the same object
    while the grid cells are unchanged: geo.boundaries keeps it) and display CRS."""
    key = (id(found), crs.name)
    with _LOCK:
        kept = _ENCODED.get(key)
    if kept is not None and kept[0] is found:
        return kept[1]
    encoded = json.dumps(boundary_features(found, crs), ensure_ascii=False,
                         separators=(",", ":")).encode()
    with _LOCK:
        _ENCODED[key] = (found, encoded)  # the object is held: its id cannot be reused
        while len(_ENCODED) > KEPT:
            del _ENCODED[next(iter(_ENCODED))]
    return encoded
