"""Uploads from the browser: one file at a time through the same ingest as the command line,
with a client-made upload id so a retry never stores a second photo; a grid officer's
"problem found" opens a patrol case there."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from geo.layers import GRID_CELLS
from imagery.errors import RejectedFile
from imagery.ingest import IngestContext, IngestRequest, IngestResult, ingest
from imagery.store import FileStore
from inspections.clock import Clock
from inspections.errors import InvalidInput, NotAllowed
from inspections.patrol import open_patrol_case, town_unit
from inspections.schema import case_photos, cases
from web.accounts.users import User
from web.services.photos import describe, get_visible, sites_of

PATROL_DAYS = 30  # a patrol finding's deadline
FALLBACK_UNIT = "区生态环境分局"  # for a finding in no grid cell
UPLOAD_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Upload:
    """One uploaded file and what the page sent with it."""

    filename: str
    data: bytes
    upload_id: str | None = None
    device: tuple[float, float] | None = None  # the browser's geolocation
    manual: tuple[float, float] | None = None  # a pin set by hand
    note: str | None = None
    problem_found: bool = False


def safe_name(filename: str) -> str:
    """A file name with no path and no odd characters (for storage and headers)."""
    base = Path(filename or "photo").name
    cleaned = SAFE_NAME.sub("_", base).strip("._") or "photo"
    return cleaned[-100:]


def _check(upload: Upload) -> None:
    if upload.upload_id is not None and not UPLOAD_ID.match(upload.upload_id):
        raise InvalidInput(f"upload_id {upload.upload_id!r}: 8 to 64 letters, digits, '-', '_'")
    if not upload.data:
        raise RejectedFile(safe_name(upload.filename), "the file is empty")


def _ingest(engine: Engine, store: FileStore, clock: Clock, user: User,
            upload: Upload) -> IngestResult:
    store.root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="upload-", dir=store.root) as folder:
        path = Path(folder) / safe_name(upload.filename)
        path.write_bytes(upload.data)
        ctx = IngestContext(engine=engine, store=store, now=clock.now(), user=user.name,
                            local_tz=clock.tz,  # the clock's zone: LOOKBACK_TIMEZONE
                            workers=1)
        request = IngestRequest(path, device=upload.device, manual=upload.manual,
                                note=upload.note, upload_id=upload.upload_id)
        [result] = list(ingest(ctx, [request]))
    if result.status == "rejected" or result.id is None:
        raise RejectedFile(safe_name(upload.filename), result.reason or "rejected")
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


def upload_photo(engine: Engine, store: FileStore, clock: Clock, user: User,
                 upload: Upload) -> dict[str, Any]:
    """Store one uploaded photo (or find the one a retry already stored); what happened."""
    _check(upload)
    result = _ingest(engine, store, clock, user, upload)
    with engine.begin() as conn:
        photo = get_visible(conn, user, result.id)
        flags = list(photo["flags"] or [])
        if user.role == "grid_officer" and photo["grid_cell_id"] not in user.grid_cell_ids:
            flags.append("outside_your_grid")
        case, refused = _open_case(conn, clock, user, photo, upload.note) \
            if upload.problem_found else (None, None)
        described = describe(photo, sites_of(conn, photo["id"]))
    return {"status": result.status, "file": safe_name(upload.filename), "flags": flags,
            "photo": described, "patrol_case": case, "patrol_refused": refused}
