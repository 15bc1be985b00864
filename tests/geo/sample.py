"""A tiny hand-checkable layer set, and writers for it in every supported file format."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from shapely.geometry import MultiPolygon, Point, Polygon, box

# Three grid cells around (121.41, 28.70): C1 has a hole (a pond), C3 has an island.
C1 = Polygon(box(121.40, 28.70, 121.41, 28.71).exterior.coords,
             [box(121.403, 28.703, 121.407, 28.707).exterior.coords])
C2 = box(121.41, 28.70, 121.42, 28.71)
C3 = MultiPolygon([box(121.40, 28.69, 121.42, 28.70), box(121.43, 28.69, 121.44, 28.70)])


def grid_frame() -> gpd.GeoDataFrame:
    """The three grid cells in EPSG:4326, with Chinese names and towns."""
    return gpd.GeoDataFrame(
        {"code": ["C1", "C2", "C3"],
         "name": ["海门街道第01网格", "海门街道第02网格", "东山镇第01网格"],
         "town": ["海门街道", "海门街道", "东山镇"]},
        geometry=[C1, C2, C3], crs="EPSG:4326",
    )


def sites_frame() -> gpd.GeoDataFrame:
    """An enterprise point 0.0009 deg (99.75 m) north of (121.405, 28.7), and a landfill."""
    return gpd.GeoDataFrame(
        {"code": ["E1", "E2"], "name": ["台州市海门医化有限公司", "台州市东山印染有限公司"],
         "industry": ["医化", "印染"], "town": ["海门街道", "东山镇"]},
        geometry=[Point(121.405, 28.7009), Point(121.4059, 28.7)], crs="EPSG:4326",
    )


def landfill_frame() -> gpd.GeoDataFrame:
    """A landfill polygon whose southern edge is 221.66 m north of (121.415, 28.708)."""
    return gpd.GeoDataFrame(
        {"code": ["LF1"], "name": ["东山镇前岙垃圾填埋场"], "town": ["东山镇"]},
        geometry=[box(121.414, 28.71, 121.416, 28.712)], crs="EPSG:4326",
    )


def write(frame: gpd.GeoDataFrame, path: Path, **kwargs: object) -> Path:
    """Write a frame with pyogrio, choosing the driver from the suffix."""
    frame.to_file(path, engine="pyogrio", **kwargs)
    return path


def load(engine) -> None:  # noqa: ANN001
    """Store the sample grid cells, enterprises and landfill through the layer API."""
    from datetime import UTC, datetime

    from geo import layers
    from geo.layers import Feature

    now = datetime(2022, 5, 1, tzinfo=UTC)
    with engine.begin() as conn:
        layers.upsert(conn, layers.GRID_CELLS, [Feature(r.code, r.name, r.geometry, town=r.town)
                                                for r in grid_frame().itertuples()], now=now)
        for frame, kind in ((sites_frame(), "enterprise"), (landfill_frame(), "landfill")):
            layers.upsert(conn, layers.SITES, [Feature(r.code, r.name, r.geometry, kind=kind)
                                               for r in frame.itertuples()], now=now)
