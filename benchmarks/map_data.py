"""A province's worth of map data for the map benchmark: a million photos and a few thousand
flagged cases over the province-scale layers, written straight into the tables once (the
benchmark measures reading them; ingest has its own benchmark)."""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, date, datetime, timedelta

import numpy as np
import shapely
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from geo import layers
from geo.layers import SITES, index_geometries
from imagery.schema import PHOTOS, photos
from inspections.schema import case_sites, cases, lookback_rounds

CHUNK = 20_000
ROUND_STATES = ("scheduled", "due", "awaiting_review", "passed", "recurred", "overdue")
NOW = datetime(2022, 12, 20, 2, 0, tzinfo=UTC)


def _photo_rows(start: int, points: np.ndarray, taken: list[datetime]) -> list[dict]:
    return [{"sha256": hashlib.sha256(str(start + i).encode()).hexdigest(), "kind": "field",
             "media_type": "image/jpeg", "original_name": f"IMG_{start + i:07d}.JPG",
             "size_bytes": 3_000_000, "original_stored": True, "width": 4000, "height": 3000,
             "geom": p, "location_source": "exif", "taken_at": t, "flags": [],
             "similar_to": [], "uploaded_at": NOW} for i, (p, t) in
            enumerate(zip(points, taken, strict=True))]


def add_photos(engine: Engine, wanted: int, seed: int = 7) -> None:
    """Photos near the sites (where officers take them) until there are `wanted`."""
    with engine.connect() as conn:
        have = conn.execute(sa.select(sa.func.count()).select_from(photos)).scalar_one()
        centres = np.array([(g.x, g.y) if g.geom_type == "Point" else
                            g.representative_point().coords[0] for g in
                            conn.execute(sa.select(SITES.table.c.geom)).scalars()])
    if have >= wanted:
        return
    rng = np.random.default_rng(seed + have)
    started = time.perf_counter()
    for start in range(have, wanted, CHUNK):
        n = min(CHUNK, wanted - start)
        near = centres[rng.integers(0, len(centres), n)] + rng.normal(0, 0.004, (n, 2))
        points = shapely.points(near)
        taken = [NOW - timedelta(days=int(d)) for d in rng.integers(0, 1500, n)]
        with engine.begin() as conn:
            ids = conn.execute(sa.insert(photos).returning(photos.c.id),
                               _photo_rows(start, points, taken)).scalars().all()
            index_geometries(conn, PHOTOS, ids, list(points))
        print(f"  photos: {start + n:,} of {wanted:,} "
              f"({time.perf_counter() - started:.0f} s)", flush=True)


def add_cases(engine: Engine, share: float = 0.05, seed: int = 11) -> None:
    """A closed case on a share of the sites, each with a look-back round in some state."""
    with engine.connect() as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(cases)).scalar_one():
            return
        site_ids = list(conn.execute(sa.select(SITES.table.c.id)).scalars())
    rng = np.random.default_rng(seed)
    chosen = rng.choice(site_ids, int(len(site_ids) * share), replace=False)
    with engine.begin() as conn:
        for k, site_id in enumerate(chosen):
            case_id = conn.execute(sa.insert(cases).returning(cases.c.id), {
                "reference": f"BENCH-{k:06d}", "source": "inspection_feedback",
                "title": "整改", "description": "", "responsible_unit": "区生态环境分局",
                "deadline": date(2022, 6, 30), "target": "整改到位", "key_case": False,
                "state": "closed", "is_recurrence": False, "opened_at": NOW - timedelta(days=400),
                "closed_at": NOW - timedelta(days=200)}).scalar_one()
            conn.execute(sa.insert(case_sites), {"case_id": case_id, "site_id": int(site_id)})
            start = NOW - timedelta(days=int(rng.integers(0, 60)))
            conn.execute(sa.insert(lookback_rounds), {
                "case_id": case_id, "number": 1, "state": str(rng.choice(ROUND_STATES)),
                "window_start": start, "window_end": start + timedelta(days=30)})
    print(f"  cases: {len(chosen):,} flagged sites", flush=True)


def counts(engine: Engine) -> dict[str, int]:
    """How much the benchmark database holds."""
    with engine.connect() as conn:
        return {"grid_cells": layers.count(conn, layers.GRID_CELLS),
                "sites": layers.count(conn, layers.SITES),
                "photos": conn.execute(sa.select(sa.func.count()).select_from(photos))
                .scalar_one(),
                "cases": conn.execute(sa.select(sa.func.count()).select_from(cases))
                .scalar_one()}
