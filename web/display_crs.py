"""Coordinates as the basemap shows them. Stored data stays WGS 84; with a GCJ-02 basemap
(AMap/Gaode, Tencent) the map's overlays are shifted onto it, and what the map sends back
(view boxes, pins) is shifted back (coord-convert does the arithmetic)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from coord_convert.transform import gcj2wgs, wgs2gcj
from shapely.geometry import mapping, shape

CRSES = ("wgs84", "gcj02")


def _shifter(func: Callable[[float, float], tuple[float, float]]) -> Callable:
    def shift(coords: np.ndarray) -> np.ndarray:
        return np.array([func(x, y) for x, y in coords]).reshape(coords.shape)
    return shift


TO_GCJ, FROM_GCJ = _shifter(wgs2gcj), _shifter(gcj2wgs)


@dataclass(frozen=True)
class DisplayCrs:
    """The basemap's coordinate system: "wgs84" (no shift) or "gcj02"."""

    name: str = "wgs84"

    @property
    def shifted(self) -> bool:
        """Whether overlays must be moved onto the basemap."""
        return self.name == "gcj02"

    def geometry_out(self, geometry: dict[str, Any]) -> dict[str, Any]:
        """A GeoJSON geometry for the map."""
        if not self.shifted:
            return geometry
        return mapping(shapely.transform(shape(geometry), TO_GCJ))

    def features_out(self, collection: dict[str, Any]) -> dict[str, Any]:
        """A FeatureCollection for the map (geometries shifted in place)."""
        if self.shifted:
            for feature in collection.get("features", []):
                feature["geometry"] = self.geometry_out(feature["geometry"])
        return collection

    def point_out(self, lon: float, lat: float) -> tuple[float, float]:
        """A point for the map."""
        return wgs2gcj(lon, lat) if self.shifted else (lon, lat)

    def point_in(self, lon: float, lat: float) -> tuple[float, float]:
        """A point the map sent (a pin), in WGS 84."""
        return gcj2wgs(lon, lat) if self.shifted else (lon, lat)

    def bbox_in(self, bbox: tuple[float, float, float, float]) -> tuple[float, ...]:
        """A view box the map sent, in WGS 84 (the corners moved back)."""
        if not self.shifted:
            return bbox
        (x0, y0), (x1, y1) = gcj2wgs(bbox[0], bbox[1]), gcj2wgs(bbox[2], bbox[3])
        return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
