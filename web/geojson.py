"""GeoJSON out, bounding boxes in."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from shapely.geometry import mapping

from inspections.errors import InvalidInput


def parse_bbox(bbox: str) -> tuple[float, float, float, float]:
    """"min_lon,min_lat,max_lon,max_lat" as four numbers; InvalidInput names the problem."""
    try:
        values = tuple(float(p) for p in bbox.split(","))
    except ValueError:
        values = ()
    if len(values) != 4:
        raise InvalidInput(f"bbox {bbox!r}: give min_lon,min_lat,max_lon,max_lat")
    return values  # type: ignore[return-value]


def feature_collection(rows: Iterable[sa.RowMapping], properties: Sequence[str],
                       geom: str = "geom") -> dict[str, Any]:
    """A FeatureCollection of rows: id, the named properties, the geometry."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": r["id"], "geometry": mapping(r[geom]),
         "properties": {"id": r["id"], **{p: r[p] for p in properties}}} for r in rows]}
