"""The town and district boundaries as GeoJSON for the map, in the display CRS, with
coordinates rounded for the wire (6 decimals: 10 cm)."""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping, shape

from geo.boundaries import Boundaries
from web.display_crs import DisplayCrs

DECIMALS = 6


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
