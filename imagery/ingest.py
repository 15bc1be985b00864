"""Ingest image files: analyse (in worker processes for batches), store, georeference, record.

Each file is handled on its own: a bad file is reported as rejected and the batch goes on; a
file is written to the store before its row, and its row and site links are one transaction.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from shapely.geometry import mapping
from sqlalchemy.engine import Engine

from geo.locate import DEFAULT_RADIUS_M
from imagery import photos
from imagery.analysis import Analysis, analyse_file
from imagery.errors import RejectedFile
from imagery.flags import photo_flags
from imagery.georef import Georef, Georeferencer
from imagery.similarity import PhashIndex
from imagery.store import FileStore

PARALLEL_MIN_FILES = 8


@dataclass(frozen=True)
class IngestRequest:
    """A file to ingest, with what the uploading device or person said about it."""

    path: Path
    device: tuple[float, float] | None = None
    manual: tuple[float, float] | None = None
    note: str | None = None
    upload_id: str | None = None


@dataclass(frozen=True)
class IngestContext:
    """Where and how to ingest: database, store, clock, kind, user, radius, time zone."""

    engine: Engine
    store: FileStore
    now: datetime
    kind: str = "auto"
    user: str | None = None
    radius_m: float = DEFAULT_RADIUS_M
    local_tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    workers: int = 2


@dataclass(frozen=True)
class IngestResult:
    """What happened to one file (the JSON line of `lookback ingest --json`)."""

    file: str
    status: str  # "stored", "duplicate" or "rejected"
    reason: str | None = None
    id: int | None = None
    sha256: str | None = None
    kind: str | None = None
    lon: float | None = None
    lat: float | None = None
    location_source: str | None = None
    taken_at: str | None = None
    grid_cell: dict | None = None
    near_sites: list[dict] = field(default_factory=list)
    footprint: dict | None = None
    covered_sites: list[str] = field(default_factory=list)
    similar_to: list[int] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Rejected:
    """A file the analysis refused (picklable, unlike the exception)."""

    name: str
    reason: str


def collect_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named, and files inside folders named (recursively, sorted, hidden ones skipped)."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file()
                            and not any(part.startswith(".") for part in
                                        p.relative_to(path).parts))
        else:
            found.append(path)
    return found


def _analyse(args: tuple[Path, str, Path]) -> Analysis | Rejected:
    path, kind, root = args
    try:
        return analyse_file(path, kind, root)
    except RejectedFile as exc:
        return Rejected(exc.name, exc.reason)
    except Exception as exc:  # keep going past anything a hostile file provokes
        return Rejected(str(path), f"cannot be processed ({type(exc).__name__}: {exc})")


def _analysed(ctx: IngestContext,
              requests: Sequence[IngestRequest]) -> Iterator[Analysis | Rejected]:
    jobs = [(r.path, ctx.kind, ctx.store.root) for r in requests]
    if ctx.workers < 2 or len(jobs) < PARALLEL_MIN_FILES:
        yield from map(_analyse, jobs)
        return
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=ctx.workers, mp_context=fork) as pool:
        yield from pool.map(_analyse, jobs, chunksize=2)


def ingest(ctx: IngestContext, requests: Sequence[IngestRequest],
           progress: Callable[[int, int], None] | None = None) -> Iterator[IngestResult]:
    """Ingest every request in order, yielding one result per file as it is done."""
    with ctx.engine.connect() as conn:
        georeferencer = Georeferencer.from_connection(conn, ctx.radius_m)
        hashes = PhashIndex.from_connection(conn)
    for done, (request, outcome) in enumerate(zip(requests, _analysed(ctx, requests),
                                                  strict=True), start=1):
        if isinstance(outcome, Rejected):
            yield IngestResult(file=str(request.path), status="rejected", reason=outcome.reason)
        else:
            yield record(ctx, request, outcome, georeferencer, hashes)
        if progress:
            progress(done, len(requests))


def _existing(conn: sa.Connection, request: IngestRequest, sha256: str) -> int | None:
    if request.upload_id:
        found = photos.find_by_upload_id(conn, request.upload_id)
        if found is not None:
            return found
    return photos.find_by_sha(conn, sha256)


def _position(photo: Analysis,
              request: IngestRequest) -> tuple[float | None, float | None, str]:
    """A manual pin wins, then the photo's own position, then the device's."""
    if request.manual:
        return *request.manual, "manual"
    if photo.lon is not None:
        return photo.lon, photo.lat, photo.location_source
    if request.device:
        return *request.device, "device"
    return None, None, "none"


def record(ctx: IngestContext, request: IngestRequest, photo: Analysis,
           georeferencer: Georeferencer, hashes: PhashIndex) -> IngestResult:
    """Write an analysed photo's row (or report the photo already stored)."""
    lon, lat, source = _position(photo, request)
    georef = georeferencer.locate(lon, lat, photo.footprint)
    similar = hashes.similar(photo.phash) if photo.phash else []
    flags = photo_flags(photo, located=lon is not None, georef=georef, device=request.device,
                        similar_to=similar, now=ctx.now, local_tz=ctx.local_tz)
    provenance = photos.Provenance(uploaded_at=ctx.now, uploaded_by=ctx.user,
                                   device=request.device, manual=request.manual,
                                   upload_id=request.upload_id, note=request.note)
    try:
        with ctx.engine.begin() as conn:
            existing = _existing(conn, request, photo.sha256)
            if existing is not None:
                return _duplicate(request, photo, existing)
            photo_id = photos.insert_photo(conn, photo, lon=lon, lat=lat,
                                           location_source=source, georef=georef,
                                           provenance=provenance, flags=flags,
                                           similar_to=similar)
    except sa.exc.IntegrityError:
        # Another ingest stored the same bytes a moment ago.
        with ctx.engine.connect() as conn:
            return _duplicate(request, photo, _existing(conn, request, photo.sha256))
    if photo.phash:
        hashes.add(photo_id, photo.phash)
    return _stored(request, photo, photo_id, lon, lat, source, georef, similar, flags)


def _duplicate(request: IngestRequest, photo: Analysis, existing: int | None) -> IngestResult:
    return IngestResult(file=str(request.path), status="duplicate", id=existing,
                        sha256=photo.sha256, kind=photo.kind,
                        reason=f"the same file is already stored as photo {existing}")


def _stored(request: IngestRequest, photo: Analysis, photo_id: int, lon: float | None,
            lat: float | None, source: str, georef: Georef, similar: list[int],
            flags: list[str]) -> IngestResult:
    near = [{"code": s.code, "kind": s.kind, "name": s.name, "distance_m": s.distance_m}
            for s in georef.sites if s.relation == "near"]
    return IngestResult(
        file=str(request.path), status="stored", id=photo_id, sha256=photo.sha256,
        kind=photo.kind, lon=lon, lat=lat, location_source=source,
        taken_at=photo.taken_at.isoformat() if photo.taken_at else None,
        grid_cell=georef.grid_cell, near_sites=near,
        footprint=mapping(photo.footprint) if photo.footprint is not None else None,
        covered_sites=[s.code for s in georef.sites if s.relation == "covered"],
        similar_to=similar, flags=flags,
    )
