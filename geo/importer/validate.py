"""Check a layer read from a file and turn it into features in EPSG:4326."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.importer.industries import normalise_industry
from geo.layers import Feature

# A generous box around China, its islands included; a feature outside it has swapped
# coordinates or a wrong CRS.
CHINA_BOUNDS = (73.0, 3.0, 136.0, 54.0)
AREA_TOLERANCE = 1e-6
POLYGONAL = {"Polygon", "MultiPolygon"}
MAX_LENGTHS = {"code": 64, "name": 200, "town": 100, "industry": 64}  # the columns' sizes


@dataclass(frozen=True)
class FieldMap:
    """Which source field holds the code, the name, and optionally the town and industry."""

    code: str
    name: str
    town: str | None = None
    industry: str | None = None


def _label(frame: gpd.GeoDataFrame, i: int, code_field: str) -> str:
    code = frame[code_field].iloc[i] if code_field in frame.columns else None
    return f"feature #{i + 1}" + (f" (code {code})" if _text(code) else "")


def _text(value: Any) -> str | None:
    """A stripped string, or None for missing values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def check_fields(frame: gpd.GeoDataFrame, fields: FieldMap) -> list[str]:
    """Problems with the field mapping: fields named that the file does not have."""
    present = [str(c) for c in frame.columns if c != frame.geometry.name]
    missing = [
        f"{role} field {name!r} does not exist"
        for role, name in (("code", fields.code), ("name", fields.name),
                           ("town", fields.town), ("industry", fields.industry))
        if name is not None and name not in frame.columns
    ]
    if missing:
        return [f"{m}; fields in the file: {', '.join(present) or '(none)'}" for m in missing]
    return []


def check_codes(frame: gpd.GeoDataFrame, fields: FieldMap) -> list[str]:
    """Problems with codes and names: missing values and codes used twice in the file."""
    problems = []
    codes = [_text(v) for v in frame[fields.code]]
    for i, code in enumerate(codes):
        if code is None:
            problems.append(f"feature #{i + 1}: no code in field {fields.code!r}")
        elif _text(frame[fields.name].iloc[i]) is None:
            problems.append(f"feature #{i + 1} (code {code}): no name in field {fields.name!r}")
    for role, name in (("code", fields.code), ("name", fields.name), ("town", fields.town),
                       ("industry", fields.industry)):
        if name is not None:
            problems += _too_long(frame[name], role, name, MAX_LENGTHS[role], codes)
    for code, n in Counter(c for c in codes if c).items():
        if n > 1:
            rows = [str(i + 1) for i, c in enumerate(codes) if c == code]
            problems.append(f"code {code} appears {n} times (features #{', #'.join(rows)})")
    return problems


def _too_long(column: Any, role: str, field_name: str, limit: int,
              codes: list[str | None]) -> list[str]:
    problems = []
    for i, value in enumerate(column):
        text = _text(value)
        if text is not None and len(text) > limit:
            label = f"feature #{i + 1}" + (f" (code {codes[i][:limit]})" if codes[i] else "")
            problems.append(f"{label}: {role} in field {field_name!r} is {len(text)} characters "
                            f"long; at most {limit} fit")
    return problems


def repair_geometries(frame: gpd.GeoDataFrame, fields: FieldMap,
                      allowed: set[str]) -> tuple[np.ndarray, list[str], list[str]]:
    """Valid geometries (repaired by make_valid when that keeps the area), the labels of
    repaired features and the problems."""
    geoms = np.array(frame.geometry.values, dtype=object)
    problems: list[str] = []
    repaired: list[str] = []
    for i, geom in enumerate(geoms):
        label = _label(frame, i, fields.code)
        if geom is None or geom.is_empty:
            problems.append(f"{label}: has no geometry")
            continue
        if not geom.is_valid:
            fixed = _repair(geom)
            if fixed is None:
                reason = shapely.is_valid_reason(geom)
                problems.append(f"{label}: geometry is invalid ({reason}) and repairing it "
                                "would change its area")
                continue
            geoms[i] = geom = fixed
            repaired.append(label)
        if geom.geom_type not in allowed:
            problems.append(f"{label}: geometry is a {geom.geom_type}; expected "
                            f"{' or '.join(sorted(allowed))}")
    return geoms, repaired, problems


def _repair(geom: BaseGeometry) -> BaseGeometry | None:
    """make_valid, keeping only the polygonal part, when the area stays the same."""
    fixed = shapely.make_valid(geom)
    if geom.geom_type in POLYGONAL:
        parts = [g for g in getattr(fixed, "geoms", [fixed]) if g.geom_type in POLYGONAL]
        fixed = shapely.union_all(parts) if parts else None
        if fixed is None or fixed.is_empty:
            return None
        if abs(fixed.area - geom.area) > AREA_TOLERANCE * max(geom.area, fixed.area):
            return None
    return fixed


def to_wgs84(frame: gpd.GeoDataFrame, geoms: np.ndarray) -> np.ndarray:
    """The geometries in two dimensions, reprojected from the frame's CRS to EPSG:4326."""
    # Heights (KML, 3D shapefiles) are dropped: layers are flat, in lon/lat.
    series = gpd.GeoSeries(shapely.force_2d(geoms), crs=frame.crs)
    if series.crs.to_epsg() != 4326:
        series = series.to_crs(4326)
    return np.array(series.values, dtype=object)


def check_in_china(frame: gpd.GeoDataFrame, geoms: np.ndarray, fields: FieldMap) -> list[str]:
    """Problems for features that land outside China after reprojection."""
    minx, miny, maxx, maxy = CHINA_BOUNDS
    problems = []
    for i, geom in enumerate(geoms):
        if geom is None or geom.is_empty:
            continue
        b = geom.bounds
        if not (all(map(math.isfinite, b)) and b[0] >= minx and b[2] <= maxx
                and b[1] >= miny and b[3] <= maxy):
            c = geom.centroid
            problems.append(
                f"{_label(frame, i, fields.code)}: lies at lon {c.x:.4f}, lat {c.y:.4f} after "
                f"reprojection from {frame.crs.to_string()}, outside China; are longitude and "
                "latitude swapped, or is the CRS wrong?"
            )
    return problems


def jsonable(value: Any) -> Any:
    """A source attribute as a JSON value (numpy scalars, dates and NaN included)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def features(frame: gpd.GeoDataFrame, geoms: np.ndarray, fields: FieldMap,
             kind: str | None) -> list[Feature]:
    """Features ready to store, with every source attribute kept."""
    columns = [c for c in frame.columns if c != frame.geometry.name]
    records = frame[columns].to_dict("records")
    out = []
    for rec, geom in zip(records, geoms, strict=True):
        attrs = {str(k): jsonable(v) for k, v in rec.items()}
        raw_industry = _text(rec.get(fields.industry)) if fields.industry else None
        out.append(Feature(
            code=_text(rec[fields.code]),
            name=_text(rec[fields.name]),
            geometry=geom,
            town=_text(rec.get(fields.town)) if fields.town else None,
            kind=kind,
            industry=normalise_industry(raw_industry),
            attributes=attrs,
        ))
    return out
