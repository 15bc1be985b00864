"""Locate 100,000 points (grid cell and sites within 100 m) against the province-scale set.

Baseline, measured in the same run on the same data: geopandas `sjoin` (points within cells)
plus `sjoin_nearest` (nearest site within 100 m, in a metric CRS). The ratio printed is our
time over the baseline's; below 1.0 is faster.
"""

from __future__ import annotations

import argparse
import time

import geopandas as gpd
import numpy as np
import pandas as pd

from benchmarks.common import backends, loaded_engine, province_files, timed
from geo.locate import locate
from geo.locator import NO_CELL, Locator

METRIC_CRS = "EPSG:4549"  # CGCS2000 Gauss-Kruger, CM 120 E: metres over the province
RADIUS_M = 100.0


def random_points(cells: gpd.GeoSeries, n: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Uniform points over the set's bounding box (land and sea)."""
    minx, miny, maxx, maxy = cells.total_bounds
    rng = np.random.default_rng(seed)
    return rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n)


def baseline(lons: np.ndarray, lats: np.ndarray, cells: gpd.GeoDataFrame,
             sites: gpd.GeoDataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """geopandas: points within cells, then the nearest site within the radius."""
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lons, lats), crs=4326)
    in_cells = gpd.sjoin(points, cells, predicate="within", how="left")
    near = gpd.sjoin_nearest(points.to_crs(METRIC_CRS), sites.to_crs(METRIC_CRS),
                             max_distance=RADIUS_M, distance_col="distance_m", how="inner")
    return in_cells, near


def frames(locator: Locator) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The locator's layers as GeoDataFrames, so the baseline sees the same data."""
    cells = gpd.GeoDataFrame({"code": [c["code"] for c in locator.cells]},
                             geometry=[c["geom"] for c in locator.cells], crs=4326)
    sites = gpd.GeoDataFrame({"site_code": [s["code"] for s in locator.sites]},
                             geometry=[s["geom"] for s in locator.sites], crs=4326)
    return cells, sites


def agreement(batch, in_cells: pd.DataFrame, near: pd.DataFrame, locator: Locator) -> str:  # noqa: ANN001
    """How often our answers match the baseline's (cells, and the nearest site)."""
    ours_cell = np.array([locator.cells[i]["code"] if i != NO_CELL else None for i in batch.cell],
                         dtype=object)
    theirs = in_cells.groupby(level=0)["code"].first().reindex(range(len(ours_cell)))
    theirs = theirs.astype(object).where(theirs.notna(), None).to_numpy()
    cell_match = float(np.mean(ours_cell == theirs))
    first = {int(p): locator.sites[int(s)]["code"]
             for p, s in zip(batch.point[::-1], batch.site[::-1], strict=True)}
    nearest = near.sort_values("distance_m").groupby(level=0)["site_code"].first()
    site_match = float(np.mean([first.get(int(p)) == c for p, c in nearest.items()])) \
        if len(nearest) else 1.0
    return (f"cells agree {cell_match:.4%}, nearest site agrees {site_match:.4%} "
            f"({len(nearest)} points near a site)")


def per_point_ms(engine, lons: np.ndarray, lats: np.ndarray) -> float:  # noqa: ANN001
    """Mean time of the single-point query path (index in the database, exact in shapely)."""
    start = time.perf_counter()
    with engine.connect() as conn:
        for lon, lat in zip(lons, lats, strict=True):
            locate(conn, float(lon), float(lat), RADIUS_M)
    return (time.perf_counter() - start) * 1000 / len(lons)


def main() -> None:
    """Run the benchmark on every configured backend and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts")
    args = parser.parse_args()
    manifest = province_files(args.scale)
    for backend, url in backends().items():
        engine = loaded_engine(url, manifest)
        t: dict[str, float] = {}
        with timed("load", t), engine.connect() as conn:
            locator = Locator.from_connection(conn)
        cells, sites = frames(locator)
        lons, lats = random_points(cells.geometry, args.points)
        ours, theirs = [], []
        for _ in range(args.repeat):  # alternate, so both see the same machine state
            with timed("ours", t):
                batch = locator.locate(lons, lats, RADIUS_M)
            with timed("baseline", t):
                in_cells, near = baseline(lons, lats, cells, sites)
            ours.append(t["ours"])
            theirs.append(t["baseline"])
        t["ours"], t["baseline"] = min(ours), min(theirs)
        print(f"[{backend}] best of {args.repeat}: {args.points} points, {len(cells)} cells, "
              f"{len(sites)} sites: "
              f"locator {t['ours']:.2f} s (+{t['load']:.2f} s to load the layers once), "
              f"geopandas sjoin+sjoin_nearest {t['baseline']:.2f} s, "
              f"ratio {t['ours'] / t['baseline']:.2f}")
        print(f"[{backend}] {agreement(batch, in_cells, near, locator)}")
        print(f"[{backend}] one point at a time through the database (`lookback locate`): "
              f"{per_point_ms(engine, lons[:500], lats[:500]):.2f} ms a point")
        engine.dispose()


if __name__ == "__main__":
    main()
