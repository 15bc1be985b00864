"""Georeferencing one web upload at province scale: the per-process cache against building
from scratch.

Each "upload" opens a connection, gets a georeferencer and a pHash index for the uploader,
locates one photo (grid cell, sites within 100 m) and looks for similar photos; between
uploads another connection stores a photo, as other uploaders do. Ours:
`imagery.georef_cache` (checked against the layers' revisions and brought up to date with the
new photos on every upload), after one warm-up upload. Baseline, in the same run on the same
data: today's path before the cache, building `Georeferencer` and `PhashIndex` for each
upload. Target: under 50 ms per upload (median and p95).
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import time
from datetime import UTC, datetime

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from benchmarks.common import backends, loaded_engine, own_database, province_files
from imagery import georef_cache
from imagery.georef import Georeferencer
from imagery.schema import photos
from imagery.similarity import PhashIndex

TARGET_MS = 50.0
CHUNK = 20_000
NOW = datetime(2022, 12, 20, 2, 0, tzinfo=UTC)


def _rows(start: int, n: int, rng: np.random.Generator) -> list[dict]:
    hashes = rng.integers(0, 2**63, n, dtype=np.int64)
    return [{"sha256": hashlib.sha256(f"georef-{start + i}".encode()).hexdigest(), "kind": "field",
             "media_type": "image/jpeg", "original_name": f"IMG_{start + i:07d}.JPG",
             "size_bytes": 3_000_000, "original_stored": True, "width": 4000,
             "height": 3000, "location_source": "none", "flags": [], "similar_to": [],
             "uploaded_at": NOW, "uploaded_by": "bench", "phash": f"{int(h):016x}"}
            for i, h in enumerate(hashes)]


def add_photos(engine: Engine, wanted: int) -> int:
    """Photos with pHashes until there are `wanted`; how many there are."""
    with engine.connect() as conn:
        have = conn.execute(sa.select(sa.func.count()).select_from(photos)).scalar_one()
    rng = np.random.default_rng(have)
    for start in range(have, wanted, CHUNK):
        with engine.begin() as conn:
            conn.execute(sa.insert(photos), _rows(start, min(CHUNK, wanted - start), rng))
    return max(have, wanted)


def upload(engine: Engine, lon: float, lat: float, phash: str, cached: bool) -> float:
    """Milliseconds to georeference one upload and look for similar photos."""
    start = time.perf_counter()
    with engine.connect() as conn:
        if cached:
            georeferencer = georef_cache.georeferencer(conn)
            hashes = georef_cache.phash_index(conn)
        else:
            georeferencer = Georeferencer.from_connection(conn)
            hashes = PhashIndex.from_connection(conn)
    georeferencer.locate_many([lon], [lat], [None])
    hashes.similar(phash)
    return (time.perf_counter() - start) * 1000


def another_upload(engine: Engine, rng: np.random.Generator) -> None:
    """A photo stored by someone else between two measured uploads."""
    with engine.begin() as conn:
        conn.execute(sa.insert(photos), _rows(int(rng.integers(2**40, 2**62)), 1, rng))


def measure(engine: Engine, uploads: int, repeat: int) -> dict[str, list[float]]:
    """Times of `repeat` cold uploads and `uploads` cached ones, on random points."""
    rng = np.random.default_rng(time.time_ns())
    with engine.connect() as conn:
        cells = Georeferencer.from_connection(conn).locator.cells
    bounds = np.array([c["geom"].bounds for c in cells])
    minx, miny = bounds[:, 0].min(), bounds[:, 1].min()
    maxx, maxy = bounds[:, 2].max(), bounds[:, 3].max()
    points = rng.uniform((minx, miny), (maxx, maxy), (uploads + repeat + 1, 2))
    phash = f"{int(rng.integers(0, 2**63)):016x}"
    cold = [upload(engine, *points[k], phash, cached=False) for k in range(repeat)]
    upload(engine, *points[repeat], phash, cached=True)  # warm-up: builds the cache
    warm = []
    for k in range(uploads):
        another_upload(engine, rng)
        warm.append(upload(engine, *points[repeat + 1 + k], phash, cached=True))
    return {"cold": cold, "warm": warm}


def main() -> None:
    """Run on every configured backend and print the times and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--photos", type=int, default=200_000)
    parser.add_argument("--uploads", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3, help="cold uploads (each 1-2 s)")
    args = parser.parse_args()
    manifest = province_files(args.scale)
    for backend, url in backends().items():
        engine = loaded_engine(own_database(url, "georef"), manifest)
        count = add_photos(engine, args.photos)
        t = measure(engine, args.uploads, args.repeat)
        cold, warm = statistics.median(t["cold"]), statistics.median(t["warm"])
        p95 = float(np.percentile(t["warm"], 95))
        verdict = "meets" if max(warm, p95) < TARGET_MS else "MISSES"
        print(f"[{backend}] scale {args.scale}, {count:,} photos: one upload cached "
              f"median {warm:.1f} ms, p95 {p95:.1f} ms ({args.uploads} uploads, another "
              f"photo stored between each); built per upload (before) median {cold:.0f} ms "
              f"(of {args.repeat}); ratio {warm / cold:.3f}; target < {TARGET_MS:.0f} ms: "
              f"{verdict}", flush=True)
        engine.dispose()


if __name__ == "__main__":
    main()
