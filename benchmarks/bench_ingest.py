"""Ingest throughput: 12 MP field photos, and metadata-only drone photos, on 2 cores.

Ours: `imagery.ingest` (reduced-size JPEG decode with Image.draft in two worker processes,
files made durable in bulk, rows written in chunked transactions). Baseline, in the same run
on the same files: the naive path, one file at a time: full decode, `thumbnail`, fsync, one
database commit per photo. Targets: field photos >= 35/s, drone metadata-only >= 1,000/s.
"""

from __future__ import annotations

import argparse
import io
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import imagehash
from PIL import Image, ImageOps
from sqlalchemy.engine import make_url

from benchmarks.common import backends
from benchmarks.photos import drone_photos, field_photos
from geo.db import create_engine, normalise_url
from geo.importer import import_file
from geo.importer.manifest import entries_in_order, read_manifest
from imagery import photos
from imagery.analysis import Analysis
from imagery.exif import read_exif
from imagery.georef import Georeferencer
from imagery.ingest import IngestContext, IngestRequest, ingest
from imagery.store import FileStore, sha256_of
from inspections.clock import DEFAULT_TZ
from web.database import init_database
from web.settings import Settings

TARGETS = {"field": 35.0, "drone": 1000.0}


def own_database(url: str) -> str:
    """On PostGIS, a database of this benchmark's own (the locate one fills the given one)."""
    if not url.startswith("postgresql"):
        return url
    base = make_url(normalise_url(url))
    name = f"{base.database}_ingest"
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


def fresh_database(url: str, folder: Path) -> tuple:
    """A database with the demo district, emptied of photos, and an empty store."""
    engine = create_engine(own_database(url))
    init_database(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM photo_sites")
        conn.exec_driver_sql("DELETE FROM photos")
        empty = conn.exec_driver_sql("SELECT count(*) FROM grid_cells").scalar() == 0
    if empty:
        for entry in entries_in_order(read_manifest(Settings().demo_dir / "manifest.json")):
            import_file(engine, entry.path, entry.layer, kind=entry.kind,
                        options=entry.options, now=datetime.now(UTC))
    store_dir = folder / "store"
    shutil.rmtree(store_dir, ignore_errors=True)
    return engine, FileStore(store_dir)


def ours(engine, store: FileStore, paths: list[Path], render: bool) -> float:  # noqa: ANN001
    """Photos per second through the product's ingest."""
    ctx = IngestContext(engine=engine, store=store, now=datetime.now(UTC),
                        local_tz=DEFAULT_TZ, workers=2, render=render)
    start = time.perf_counter()
    results = list(ingest(ctx, [IngestRequest(p) for p in paths]))
    elapsed = time.perf_counter() - start
    assert all(r.status == "stored" for r in results), {r.reason for r in results}
    return len(paths) / elapsed


def naive_one(path: Path, store: FileStore, engine, georeferencer: Georeferencer) -> None:  # noqa: ANN001
    """The obvious way: decode everything, thumbnail, fsync, commit, one photo at a time."""
    data = path.read_bytes()
    sha = sha256_of(data)
    image = Image.open(io.BytesIO(data))
    exif = read_exif(image)
    image.load()
    upright = ImageOps.exif_transpose(image)
    for size in (1024, 256):
        upright.thumbnail((size, size))
        out = io.BytesIO()
        upright.save(out, "JPEG", quality=85)
        store.put(sha, out.getvalue(), f"{size}.jpg")
    phash = str(imagehash.phash(upright))
    store.put(sha, data)
    photo = Analysis(name=str(path), sha256=sha, size_bytes=len(data), media_type="image/jpeg",
                     kind="field", width=image.width, height=image.height, lon=exif.lon,
                     lat=exif.lat, location_source="exif", taken_at=exif.taken_at,
                     phash=phash)
    georef = georeferencer.locate(exif.lon, exif.lat)
    item = photos.NewPhoto(photo, exif.lon, exif.lat, "exif", georef,
                           photos.Provenance(uploaded_at=datetime.now(UTC)), [], [])
    with engine.begin() as conn:
        photos.insert_photos(conn, [item])


def baseline(engine, store: FileStore, paths: list[Path]) -> float:  # noqa: ANN001
    """Photos per second through the naive path."""
    with engine.connect() as conn:
        georeferencer = Georeferencer.from_connection(conn)
    start = time.perf_counter()
    for path in paths:
        naive_one(path, store, engine, georeferencer)
    return len(paths) / (time.perf_counter() - start)


def measure(label: str, url: str, paths: list[Path], render: bool, repeat: int) -> None:
    """Best of `repeat` runs of ours, one run of the baseline; print rates and ratio."""
    folder = Path(tempfile.mkdtemp(prefix="lookback-bench-"))
    try:
        rates = []
        for _ in range(repeat):
            engine, store = fresh_database(url, folder)
            rates.append(ours(engine, store, paths, render))
            engine.dispose()
        engine, store = fresh_database(url, folder)
        naive = baseline(engine, store, paths)
        engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    best = max(rates)
    verdict = "meets" if best >= TARGETS[label] else "MISSES"
    print(f"[{label}] {len(paths)} photos: ingest {best:.1f}/s (best of {repeat}: "
          f"{', '.join(f'{r:.1f}' for r in rates)}), naive {naive:.1f}/s, "
          f"ratio {best / naive:.2f}x; target {TARGETS[label]:.0f}/s: {verdict}", flush=True)


def main() -> None:
    """Run both measurements on each configured backend."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--field", type=int, default=240, help="12 MP field photos")
    parser.add_argument("--drone", type=int, default=4000, help="drone photos")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    field = field_photos(args.field)
    drone = drone_photos(args.drone)
    runs = [("field", field, True), ("drone", drone, False)]
    for backend, url in backends().items():
        if backend == "sqlite":
            url = url.replace("bench.db", "bench-ingest.db")
        print(f"== {backend}", flush=True)
        for label, paths, render in runs:
            measure(label, url, paths, render, args.repeat)


if __name__ == "__main__":
    main()
