"""Uploads from the browser: one file at a time through the same ingest as the command line,
analysed in the server's worker pool, with a client-made upload id so a retry never stores a
second photo (and another file under the same id is a conflict); the same bytes as a photo
the uploader may not see become a photo of their own sharing the stored file; a grid
officer's "problem found" opens a patrol case there."""

from __future__ import annotations

import functools
import re
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio.to_thread
import sqlalchemy as sa
from anyio import CapacityLimiter
from anyio.lowlevel import RunVar
from sqlalchemy.engine import Engine

from geo.layers import GRID_CELLS
from imagery import upload_ids
from imagery.analysis import Analysis
from imagery.errors import RejectedFile, UploadConflict
from imagery.ingest import (
    IngestContext,
    IngestRequest,
    IngestResult,
    analyse,
    made_durable,
    record,
)
from imagery.jobs import Rejected
from imagery.limits import Limits
from imagery.store import Store, sha256_of_file
from inspections.clock import Clock
from inspections.errors import InvalidInput, NotAllowed
from inspections.patrol import open_patrol_case, town_unit
from inspections.schema import case_photos, cases
from web.accounts.users import User
from web.services import ingest_pool, upload_recorder
from web.services.photos import describe, get_visible, sites_of
from web.services.visibility import photo_condition
from web.settings import Settings

PATROL_DAYS = 30  # a patrol finding's deadline
FALLBACK_UNIT = "区生态环境分局"  # for a finding in no grid cell
UPLOAD_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
UPLOAD_THREADS = 32  # uploads being settled at once; the pool's workers analyse them
_UPLOAD_LIMITER: RunVar[CapacityLimiter] = RunVar("upload_limiter")


@dataclass(frozen=True)
class Upload:
    """One received file (in a temporary place) and what the page sent with it."""

    filename: str  # as the user's device named it
    path: Path
    upload_id: str | None = None
    device: tuple[float, float] | None = None  # the browser's geolocation
    manual: tuple[float, float] | None = None  # a pin set by hand
    note: str | None = None
    problem_found: bool = False
    kind: str = "auto"  # or "orthophoto": what a resumable upload said it is
    render: bool = True  # off: metadata-only (thumbnails made when first shown)
    captured_at: datetime | None = None  # the device's time, for a photo with none of its own


@dataclass(frozen=True)
class UploadOptions:
    """How uploads are analysed: the pixel limits and the number of worker processes."""

    limits: Limits = Limits()
    workers: int = 2  # 0: analysed in the calling process (a job's worker)

    @classmethod
    def of(cls, settings: Settings) -> UploadOptions:
        """The limits and worker count of uploads, from the settings."""
        return cls(Limits(settings.max_photo_pixels, settings.max_ortho_pixels),
                   settings.upload_workers)


def safe_name(filename: str) -> str:
    """A file name with no path and no odd characters (for storage and headers)."""
    base = Path(filename or "photo").name
    cleaned = SAFE_NAME.sub("_", base).strip("._") or "photo"
    return cleaned[-100:]


def original_name(filename: str) -> str:
    """The user's file name as the photo keeps it: no folders (a browser may send them, with
    either slash), no control characters, at most 255 characters; Chinese names unchanged."""
    base = re.split(r"[/\\]", filename or "")[-1]
    cleaned = CONTROL.sub("", base).strip()
    return cleaned[-255:] or "photo"


def _check(upload: Upload) -> None:
    if upload.upload_id is not None and not UPLOAD_ID.match(upload.upload_id):
        raise InvalidInput(f"upload_id {upload.upload_id!r}: 8 to 64 letters, digits, '-', '_'")
    if upload.path.stat().st_size == 0:
        raise RejectedFile(original_name(upload.filename), "the file is empty")


def _analysed_once(ctx: IngestContext, request: IngestRequest,
                   workers: int) -> Analysis | Rejected:
    """The analysis of one file in the worker pool; a pool broken by a worker's death (this
    file's or another's) is replaced and the file tried once more. No workers: here (a job's
    worker process)."""
    if workers == 0:
        [outcome] = list(analyse(ctx, [request]))
        return outcome
    for _ in range(2):
        pool = ingest_pool.analysis_pool(workers)
        try:
            [outcome] = list(analyse(replace(ctx, executor=pool), [request]))
            return outcome
        except BrokenProcessPool:
            ingest_pool.discard(pool)
    return Rejected(str(request.path), "cannot be processed (its analysis stopped twice)")


def _recorded(ctx: IngestContext, request: IngestRequest, workers: int) -> IngestResult:
    """Analyse one file, then record it: with the other uploads of the moment in a server
    (the process's recorder), at once in a job's worker."""
    if workers == 0:
        [result] = record(ctx, [(request, _analysed_once(ctx, request, workers))])
        return result
    with upload_recorder.RECORDER.analysing():
        outcome = made_durable(request, _analysed_once(ctx, request, workers))
    return upload_recorder.RECORDER.record(ctx, request, outcome)


def _ingest(engine: Engine, store: Store, clock: Clock, user: User, upload: Upload,
            options: UploadOptions) -> IngestResult:
    scope = photo_condition(user)
    sha = None  # hashed here only to claim an upload id (the analysis hashes every file)
    if upload.upload_id is not None:
        sha = sha256_of_file(upload.path)
        with engine.begin() as conn:  # real time: a claim lapses even under a frozen clock
            found = upload_ids.claim(conn, upload.upload_id, sha, now=datetime.now(UTC),
                                     scope=scope)
        if found is not None:  # a retry of a stored upload
            return IngestResult(file=upload.filename, status="duplicate", id=found, sha256=sha)
    ctx = IngestContext(engine=engine, store=store, now=clock.now(), user=user.name,
                        local_tz=clock.tz,  # the clock's zone: LOOKBACK_TIMEZONE
                        workers=1, limits=options.limits, scope=scope, kind=upload.kind,
                        render=upload.render)
    request = IngestRequest(upload.path, device=upload.device, manual=upload.manual,
                            note=upload.note, upload_id=upload.upload_id,
                            name=original_name(upload.filename),
                            captured_at=upload.captured_at)
    try:
        result = _recorded(ctx, request, options.workers)
    finally:
        if sha is not None:
            with engine.begin() as conn:
                upload_ids.release(conn, upload.upload_id, sha)
    if result.status == "conflict":
        raise UploadConflict(result.reason or f"upload id {upload.upload_id}: conflict")
    if result.status == "rejected" or result.id is None:
        raise RejectedFile(original_name(upload.filename), result.reason or "rejected")
    return result


def _patrol_case_of(conn: sa.Connection, photo_id: int) -> str | None:
    return conn.execute(sa.select(cases.c.reference).join(
        case_photos, case_photos.c.case_id == cases.c.id).where(
        case_photos.c.photo_id == photo_id, case_photos.c.purpose == "patrol",
        cases.c.source == "patrol")).scalar()


def _unit_at(conn: sa.Connection, grid_cell_id: int | None) -> str:
    town = None if grid_cell_id is None else conn.execute(
        sa.select(GRID_CELLS.table.c.town).where(GRID_CELLS.table.c.id == grid_cell_id)).scalar()
    return town_unit(town) if town else FALLBACK_UNIT


def _open_case(conn: sa.Connection, clock: Clock, user: User, photo: sa.RowMapping,
               note: str | None) -> tuple[str | None, str | None]:
    """The patrol case's reference, or None and why it could not be opened."""
    existing = _patrol_case_of(conn, photo["id"])
    if existing is not None:
        return existing, None  # a retried upload: the case was opened the first time
    text = (note or "").strip() or "网格巡查发现问题"
    try:
        case_id = open_patrol_case(
            conn, photo_id=photo["id"], actor=user.actor, clock=clock, title=text[:300],
            description=text, responsible_unit=_unit_at(conn, photo["grid_cell_id"]),
            deadline=clock.today() + timedelta(days=PATROL_DAYS),
            allowed_cells=user.grid_cell_ids if user.role == "grid_officer" else None)
    except NotAllowed as exc:  # the photo is kept; the page says why no case was opened
        return None, str(exc)
    return conn.execute(sa.select(cases.c.reference).where(cases.c.id == case_id)
                        ).scalar_one(), None


def upload_photo(engine: Engine, store: Store, clock: Clock, user: User, upload: Upload,
                 options: UploadOptions | None = None) -> dict[str, Any]:
    """Store one uploaded photo (or find the one a retry already stored); what happened.

    Blocking (the analysis runs in the worker pool, this waits for it): from async code, call
    `store_upload`."""
    _check(upload)
    result = _ingest(engine, store, clock, user, upload, options or UploadOptions())
    # Only a patrol case writes: a plain upload reads its answer without the write lock
    # (SQLite has one writer; every upload of the moment would queue for it).
    with engine.begin() if upload.problem_found else engine.connect() as conn:
        photo = get_visible(conn, user, result.id)
        flags = list(photo["flags"] or [])
        if user.role == "grid_officer" and photo["grid_cell_id"] not in user.grid_cell_ids:
            flags.append("outside_your_grid")
        case, refused = _open_case(conn, clock, user, photo, upload.note) \
            if upload.problem_found else (None, None)
        described = describe(photo, sites_of(conn, photo["id"]))
    return {"status": result.status, "file": original_name(upload.filename), "flags": flags,
            "photo": described, "patrol_case": case, "patrol_refused": refused}


async def store_upload(engine: Engine, store: Store, clock: Clock, user: User,
                       upload: Upload, options: UploadOptions) -> dict[str, Any]:
    """`upload_photo` in a worker thread, at most UPLOAD_THREADS at a time (their own
    allowance: waiting uploads never hold the threads other requests need)."""
    try:
        limiter = _UPLOAD_LIMITER.get()
    except LookupError:
        limiter = CapacityLimiter(UPLOAD_THREADS)
        _UPLOAD_LIMITER.set(limiter)
    return await anyio.to_thread.run_sync(
        functools.partial(upload_photo, engine, store, clock, user, upload, options),
        limiter=limiter)
