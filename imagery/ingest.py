"""Ingest image files: analyse (in worker processes for batches), store, georeference, record.

Each file is handled on its own: a bad file is reported as rejected and the batch goes on; a
file is written to the store before its row, and its row and site links are one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from shapely.geometry import mapping
from sqlalchemy.engine import Engine

from geo.locate import DEFAULT_RADIUS_M
from imagery import georef_cache, photos
from imagery.analysis import Analysis
from imagery.flags import photo_flags
from imagery.georef import Georeferencer
from imagery.jobs import Job, Rejected, chunks, run_jobs
from imagery.limits import Limits
from imagery.similarity import PhashIndex
from imagery.store import Store, commit

PARALLEL_MIN_FILES = 8
RECORD_CHUNK = 256  # rows per transaction at most ...
RECORD_SECONDS = 0.5  # ... and files wait at most this long to be recorded
WORKER_CHUNK = 4
WORKER_CHUNK_METADATA_ONLY = 64


@dataclass(frozen=True)
class IngestRequest:
    """A file to ingest, with what the uploading device or person said about it."""

    path: Path
    device: tuple[float, float] | None = None
    manual: tuple[float, float] | None = None
    note: str | None = None
    upload_id: str | None = None
    name: str | None = None  # the file's name as its owner knows it; default: the path
    captured_at: datetime | None = None  # the device's time (aware): used when the file has none


@dataclass(frozen=True)
class IngestContext:
    """Where and how to ingest: database, store, clock, kind, user, radius, and the district's
    time zone (`local_tz`, from the caller's clock: a photo time without an offset is read in
    it)."""

    engine: Engine
    store: Store
    now: datetime
    kind: str = "auto"
    user: str | None = None
    radius_m: float = DEFAULT_RADIUS_M
    local_tz: ZoneInfo = field(kw_only=True)
    workers: int = 2
    render: bool = True  # off: metadata-only ingest, thumbnails made when first asked for
    limits: Limits = Limits()  # the largest photo and orthophoto accepted, in pixels
    crs: str | None = None  # the CRS declared for GeoTIFFs exported without one
    executor: Executor | None = None  # a process pool kept by the caller (a server's)
    # The stored photos the uploader may see: only they can be a file's duplicate or look
    # like it (the same bytes outside it become a new photo sharing the stored file). None:
    # every photo.
    scope: sa.ColumnElement[bool] | None = None


@dataclass(frozen=True)
class IngestResult:
    """What happened to one file (the JSON line of `lookback ingest --json`)."""

    file: str
    status: str  # "stored", "duplicate", "conflict" (upload id of another file) or "rejected"
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


def analyse(ctx: IngestContext,
            requests: Sequence[IngestRequest]) -> Iterator[Analysis | Rejected]:
    """Each file's analysis (or why it was rejected), in order: in `ctx.executor` when given,
    else in worker processes of this call's own for a batch, else here. Nothing recorded."""
    files = [(r.path, r.name or str(r.path)) for r in requests]
    # Runs long enough to make hand-over cheap, short enough that both workers stay busy to
    # the end; metadata-only files take well under a millisecond each, so theirs are longer.
    longest = WORKER_CHUNK if ctx.render else WORKER_CHUNK_METADATA_ONLY
    size = max(1, min(longest, len(files) // (4 * max(ctx.workers, 1))))
    jobs = [Job(chunk, ctx.kind, ctx.store, ctx.render, ctx.limits, ctx.crs)
            for chunk in chunks(files, size)]
    parallel = ctx.workers >= 2 and len(files) >= PARALLEL_MIN_FILES
    return run_jobs(jobs, workers=ctx.workers, parallel=parallel, executor=ctx.executor)


def ingest(ctx: IngestContext, requests: Sequence[IngestRequest],
           progress: Callable[[int, int], None] | None = None) -> Iterator[IngestResult]:
    """Ingest every request in order, yielding one result per file once its row is committed
    (rows are written in chunks, each chunk one transaction)."""
    done = 0
    pairs = zip(requests, analyse(ctx, requests), strict=True)
    for chunk in chunks(pairs, RECORD_CHUNK, RECORD_SECONDS):
        yield from record(ctx, chunk)
        done += len(chunk)
        if progress:
            progress(done, len(requests))


def record(ctx: IngestContext,
           analysed: list[tuple[IngestRequest, Analysis | Rejected]]) -> list[IngestResult]:
    """Record files analysed beforehand (`analyse`) in one transaction, each file's result in
    order; the georeferencer and pHash index are the process's, brought up to date first."""
    with ctx.engine.connect() as conn:
        georeferencer = georef_cache.georeferencer(conn, ctx.radius_m)
        hashes = georef_cache.phash_index(conn, ctx.scope)
    return _record_chunk(ctx, analysed, georeferencer, hashes)


def made_durable(request: IngestRequest, outcome: Analysis | Rejected) -> Analysis | Rejected:
    """An analysed file with its staged files durable and in place, so that recording it
    waits for no disk or network (a server settles each upload's files in the upload's own
    thread, overlapping them, rather than in its one recorder); or why it cannot be stored."""
    if isinstance(outcome, Rejected) or not outcome.staged:
        return outcome
    try:
        commit(list(outcome.staged))
    except OSError as exc:
        return Rejected(str(request.path), f"could not be stored ({exc})")
    return replace(outcome, staged=())


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


def _device_time(photo: Analysis, request: IngestRequest) -> Analysis:
    """The time the device gave, for a photo that carries none of its own (never over it)."""
    if photo.taken_at is not None or request.captured_at is None:
        return photo
    return replace(photo, taken_at=request.captured_at, time_source="device")


def _time_in_zone(photo: Analysis, local_tz: ZoneInfo) -> Analysis:
    """A photo time without an offset read as a wall time in the district's zone (its
    time_without_offset flag keeps saying so)."""
    if photo.taken_at is None or photo.taken_at.tzinfo is not None:
        return photo
    return replace(photo, taken_at=photo.taken_at.replace(tzinfo=local_tz))


def _prepare(ctx: IngestContext, todo: list[tuple[IngestRequest, Analysis]],
             georeferencer: Georeferencer, hashes: PhashIndex) -> list[photos.NewPhoto]:
    """Position, georeference, similarity and flags of each analysed photo."""
    todo = [(request, _device_time(photo, request)) for request, photo in todo]
    positions = [_position(photo, request) for request, photo in todo]
    georefs = georeferencer.locate_many([p[0] for p in positions], [p[1] for p in positions],
                                        [photo.footprint for _, photo in todo])
    items = []
    for k, ((request, photo), (lon, lat, source), georef) in enumerate(
            zip(todo, positions, georefs, strict=True)):
        similar = hashes.similar(photo.phash) if photo.phash else []
        if photo.phash:
            hashes.add(placeholder(k), photo.phash)  # so the rest of the chunk sees it
        flags = photo_flags(photo, located=lon is not None, georef=georef,
                            device=request.device, similar_to=similar, now=ctx.now,
                            local_tz=ctx.local_tz)
        photo = _time_in_zone(photo, ctx.local_tz)
        provenance = photos.Provenance(uploaded_at=ctx.now, uploaded_by=ctx.user,
                                       device=request.device, manual=request.manual,
                                       upload_id=request.upload_id, note=request.note)
        items.append(photos.NewPhoto(photo, lon, lat, source, georef, provenance, flags,
                                     similar))
    return items


def _record_chunk(ctx: IngestContext, chunk: list[tuple[IngestRequest, Analysis | Rejected]],
                  georeferencer: Georeferencer, hashes: PhashIndex) -> list[IngestResult]:
    """Record a chunk in one transaction; one result per request, in order."""
    results: dict[int, IngestResult] = {}
    todo = []
    for index, (request, outcome) in enumerate(chunk):
        if isinstance(outcome, Rejected):
            results[index] = IngestResult(file=str(request.path), status="rejected",
                                          reason=outcome.reason)
        else:
            todo.append((index, request, outcome))
    try:
        commit([f for _, _, photo in todo for f in photo.staged])
    except OSError as exc:
        for index, request, _ in todo:
            results[index] = IngestResult(file=str(request.path), status="rejected",
                                          reason=f"could not be stored ({exc})")
        return [results[i] for i in range(len(chunk))]
    items = _prepare(ctx, [(r, a) for _, r, a in todo], georeferencer, hashes)
    keyed = [(index, request, item) for (index, request, _), item in zip(todo, items,
                                                                          strict=True)]
    ids: dict[int, int] = {}
    try:
        results |= _write(ctx, keyed, ids)
    except sa.exc.IntegrityError:
        # A concurrent ingest stored some of the same bytes: settle them one at a time.
        for one in keyed:
            results |= _write_one(ctx, one, ids)
    return [results[i] for i in range(len(chunk))]


def placeholder(k: int) -> int:
    """The stand-in id of the k-th photo of a chunk until its row exists."""
    return -(k + 1)


def _write_one(ctx: IngestContext, one: tuple, ids: dict[int, int]) -> dict[int, IngestResult]:
    try:
        return _write(ctx, [one], ids)
    except sa.exc.IntegrityError:
        return _write(ctx, [one], ids)  # now seen as the duplicate it is


def _resolve(item: photos.NewPhoto, ids: dict[int, int]) -> photos.NewPhoto:
    """Replace placeholder ids in similar_to by the real ones."""
    if all(i >= 0 for i in item.similar_to):
        return item
    similar = [ids.get(i, i) for i in item.similar_to]
    return replace(item, similar_to=[i for i in similar if i >= 0])


def _write(ctx: IngestContext, keyed: list[tuple[int, IngestRequest, photos.NewPhoto]],
           ids: dict[int, int]) -> dict[int, IngestResult]:
    """Insert the photos not stored yet (as far as the uploader can see); the others are
    duplicates of what is stored, or conflicts when their upload id names another file.

    `ids` maps each photo's placeholder to its id as they become known."""
    results: dict[int, IngestResult] = {}
    position = {index: k for k, (index, _, _) in enumerate(keyed)}
    with ctx.engine.begin() as conn:
        by_sha, by_upload = photos.existing(
            conn, [item.photo.sha256 for _, _, item in keyed],
            [r.upload_id for _, r, _ in keyed if r.upload_id], ctx.scope)
        fresh, first_of, duplicates = [], {}, {}
        for index, request, item in keyed:
            sha = item.photo.sha256
            hit = by_upload.get(request.upload_id) if request.upload_id else None
            if hit is not None and not (hit.visible and hit.sha256 == sha):
                results[index] = _conflict(request)
            elif hit is not None or sha in by_sha or sha in first_of:
                duplicates[index] = hit.id if hit is not None else by_sha.get(sha)
            else:
                first_of[sha] = len(fresh)
                fresh.append((index, request, item))
        new_ids = _insert_in_order(conn, fresh, ids, position)
    for (index, request, item), photo_id in zip(fresh, new_ids, strict=True):
        results[index] = _stored(request, _resolve(item, ids), photo_id)
    for index, request, item in keyed:
        if index in duplicates:
            found = duplicates[index]
            existing = found if found is not None else new_ids[first_of[item.photo.sha256]]
            ids[placeholder(position[index])] = existing
            results[index] = _duplicate(request, item.photo, existing)
    return results


def _insert_in_order(conn: sa.Connection, fresh: list, ids: dict[int, int],
                     position: dict[int, int]) -> list[int]:
    """Insert in one statement; photos similar to one earlier in the chunk get their
    similar_to fixed once that one's id is known (rare, so a second statement is fine)."""
    new_ids = photos.insert_photos(conn, [item for _, _, item in fresh])
    for (index, _, _), photo_id in zip(fresh, new_ids, strict=True):
        ids[placeholder(position[index])] = photo_id
    for (_, _, item), photo_id in zip(fresh, new_ids, strict=True):
        if any(i < 0 for i in item.similar_to):
            photos.set_similar_to(conn, photo_id, _resolve(item, ids).similar_to)
    return new_ids


def _duplicate(request: IngestRequest, photo: Analysis, existing: int) -> IngestResult:
    return IngestResult(file=str(request.path), status="duplicate", id=existing,
                        sha256=photo.sha256, kind=photo.kind,
                        reason=f"the same file is already stored as photo {existing}")


def _conflict(request: IngestRequest) -> IngestResult:
    return IngestResult(file=str(request.path), status="conflict",
                        reason=f"upload id {request.upload_id}: already used for another file")


def _stored(request: IngestRequest, item: photos.NewPhoto, photo_id: int) -> IngestResult:
    photo, georef = item.photo, item.georef
    near = [{"code": s.code, "kind": s.kind, "name": s.name, "distance_m": s.distance_m}
            for s in georef.sites if s.relation == "near"]
    return IngestResult(
        file=str(request.path), status="stored", id=photo_id, sha256=photo.sha256,
        kind=photo.kind, lon=item.lon, lat=item.lat, location_source=item.location_source,
        taken_at=photo.taken_at.isoformat() if photo.taken_at else None,
        grid_cell=georef.grid_cell, near_sites=near,
        footprint=mapping(photo.footprint) if photo.footprint is not None else None,
        covered_sites=[s.code for s in georef.sites if s.relation == "covered"],
        similar_to=item.similar_to, flags=item.flags,
    )
