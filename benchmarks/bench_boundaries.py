"""The map's town and district boundaries at province scale: GET /api/map/boundaries through
the whole app (routing, auth, the dissolve, GeoJSON), cold (the first request after the grid
cells changed: the cells dissolved) and cached (every later request: the process keeps the
result per layer version), against the obvious way measured in the same run on the same
cells: geopandas reading the cells and dissolving them by town on each request, to GeoJSON.

Data: the province-scale synthetic layers (~28,000 grid cells in ~100 towns;
benchmarks/common.py, written once), in a database of this benchmark's own.
Targets: cached p95 under 150 ms (the map's viewport target) and under the baseline. The
cold request is reported with its ratio, not held to a target: it runs once per process
after each import of grid cells, and it does more than the baseline (a district outline,
snapping shared edges, simplifying the towns together so neighbours keep one edge, label
points).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import sqlalchemy as sa
from fastapi.testclient import TestClient

from benchmarks.bench_map import ensure_leader, signed_in
from benchmarks.common import backends, loaded_engine, own_database, province_files
from geo import boundaries as geo_boundaries
from geo import layers
from geo.layers import GRID_CELLS

CACHED_P95_LIMIT_MS = 150.0
PATH = "/api/map/boundaries"


def _timed_get(client: TestClient) -> tuple[float, int]:
    """One request: milliseconds and the answer's size in bytes."""
    start = time.perf_counter()
    answer = client.get(PATH)
    elapsed = (time.perf_counter() - start) * 1000
    assert answer.status_code == 200, answer.text[:200]
    return elapsed, len(answer.content)


def ours(client: TestClient, cold_runs: int, cached_runs: int) -> tuple[list[float],
                                                                       list[float], int]:
    """Cold times (each after dropping the process's boundaries), cached times, bytes."""
    cold, size = [], 0
    for _ in range(cold_runs):
        geo_boundaries._CACHE.clear()  # noqa: SLF001 (what a change of the grid cells does)
        elapsed, size = _timed_get(client)
        cold.append(elapsed)
    cached = [_timed_get(client)[0] for _ in range(cached_runs)]
    return cold, cached, size


def baseline(engine: sa.engine.Engine, runs: int) -> tuple[list[float], int]:
    """geopandas: the cells read, dissolved by town and written as GeoJSON, per request."""
    import geopandas as gpd

    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        with engine.connect() as conn:
            rows = layers.all_features(conn, GRID_CELLS, ("town",))
        frame = gpd.GeoDataFrame({"town": [r["town"] for r in rows]},
                                 geometry=[r[GRID_CELLS.geom] for r in rows], crs=4326)
        towns = frame.dissolve(by="town").reset_index()
        text = towns.to_json()
        times.append((time.perf_counter() - start) * 1000)
        size = len(text.encode())
    return times, size


def run(url: str, scale: int, cold_runs: int, cached_runs: int) -> bool:
    """Measure one backend; True when the targets hold."""
    engine = loaded_engine(url, province_files(scale))
    ensure_leader(engine)
    with engine.connect() as conn:
        cells = layers.count(conn, GRID_CELLS)
        towns = conn.execute(sa.select(sa.func.count(sa.distinct(GRID_CELLS.table.c.town)))
                             ).scalar_one()
    print(f"  data: {cells:,} grid cells in {towns} towns", flush=True)
    client = signed_in(url)
    cold, cached, size = ours(client, cold_runs, cached_runs)
    base, base_size = baseline(engine, cold_runs)
    cold_med, base_med = float(np.median(cold)), float(np.median(base))
    p95 = float(np.percentile(cached, 95))
    print(f"  cold (dissolve): median {cold_med:.0f} ms over {cold_runs}; answer "
          f"{size / 1000:.0f} KB")
    print(f"  cached: p95 {p95:.1f} ms over {cached_runs} (target < {CACHED_P95_LIMIT_MS:.0f})")
    print(f"  baseline (geopandas dissolve per request): median {base_med:.0f} ms; answer "
          f"{base_size / 1000:.0f} KB")
    print(f"  ratio cold/baseline {cold_med / base_med:.2f}; cached p95/baseline "
          f"{p95 / base_med:.4f}")
    return p95 < CACHED_P95_LIMIT_MS and p95 < base_med


def main() -> int:
    """Measure every configured backend."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100, help="100: the province set")
    parser.add_argument("--cold", type=int, default=3, help="cold requests (and baselines)")
    parser.add_argument("--cached", type=int, default=200, help="cached requests")
    parser.add_argument("--only", choices=("sqlite", "postgis"), help="one backend")
    args = parser.parse_args()
    ok = True
    for name, url in backends().items():
        if args.only and name != args.only:
            continue
        print(f"{name}:", flush=True)
        own = own_database(url, f"boundaries{args.scale}")
        ok = run(own, args.scale, args.cold, args.cached) and ok
    print("targets met" if ok else "targets NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
