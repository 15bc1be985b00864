"""Shared set-up for benchmarks: the province-scale data set, loaded into each backend."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine, make_url

from geo import layers
from geo.db import create_engine, normalise_url
from geo.importer import import_file
from geo.importer.manifest import entries_in_order, read_manifest
from geo.synthetic import generate_district, write_district_files
from web.database import init_database

CACHE = Path(os.environ.get("LOOKBACK_BENCH_DIR", Path(__file__).parent.parent / "bench-data"))


@contextmanager
def timed(label: str, results: dict[str, float]) -> Iterator[None]:
    """Record the wall time of a block under a label."""
    start = time.perf_counter()
    yield
    results[label] = time.perf_counter() - start


def province_files(scale: int = 100) -> Path:
    """The manifest of the synthetic set at `scale`, generated once into the cache."""
    folder = CACHE / f"scale-{scale}"
    manifest = folder / "manifest.json"
    if not manifest.exists():
        print(f"generating the scale-{scale} set into {folder} ...", flush=True)
        write_district_files(generate_district(scale=scale), folder)
    return manifest


def backends() -> dict[str, str]:
    """Database URLs to measure: SQLite always, PostGIS when a URL is configured."""
    urls = {"sqlite": f"sqlite:///{CACHE / 'bench.db'}"}
    pg = os.environ.get("LOOKBACK_BENCH_POSTGIS_URL") or os.environ.get(
        "LOOKBACK_TEST_DATABASE_URL")
    if pg:
        urls["postgis"] = pg
    return urls


def loaded_engine(url: str, manifest: Path) -> Engine:
    """An engine whose database holds the set (imported through the importers once)."""
    engine = create_engine(url)
    init_database(engine)  # every package's schema, as the application has it
    with engine.connect() as conn:
        empty = layers.count(conn, layers.GRID_CELLS) == 0
    if empty:
        start = time.perf_counter()
        for entry in entries_in_order(read_manifest(manifest)):
            import_file(engine, entry.path, entry.layer, kind=entry.kind,
                        options=entry.options, now=datetime.now(UTC))
        print(f"imported {manifest.parent.name} into {engine.dialect.name} in "
              f"{time.perf_counter() - start:.1f} s", flush=True)
    return engine


def own_database(url: str, suffix: str) -> str:
    """A benchmark's own database beside the shared one: `bench-SUFFIX.db`, or on PostGIS
    the database `NAME_SUFFIX` (made with postgis when missing)."""
    if not url.startswith("postgresql"):
        return url.replace("bench.db", f"bench-{suffix}.db")
    base = make_url(normalise_url(url))
    name = f"{base.database}_{suffix}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.exec_driver_sql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"
                                    ).scalar():
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    own = base.set(database=name).render_as_string(hide_password=False)
    with create_engine(own).begin() as conn:
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
    return own
