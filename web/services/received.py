"""Files received whole by resumable (tus) upload: recorded as they finish, then ingested
off the request (the photo or orthophoto path of the upload page), their outcome kept in
`received_files` for the page that polls it and for a flight's summary.

`ingest_received` is the unit of work, run as a job (web/jobs/received_job.py)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from imagery.errors import ImageryError, RejectedFile, UploadConflict
from imagery.schema import photos
from imagery.store import Store
from inspections.clock import Clock
from inspections.errors import InspectionError, NotFound
from inspections.schema import flights, received_files
from web.accounts.users import User, get_user
from web.api.upload_form import UploadForm
from web.display_crs import DisplayCrs
from web.services.rejections import rejection_code
from web.services.uploads import Upload, UploadOptions, upload_photo

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Finished:
    """A finished upload: its id, where its bytes are, and what its client said of it."""

    uid: str
    path: Path
    user_id: int
    metadata: dict[str, str]

    @property
    def kind(self) -> str:
        """photo or orthophoto."""
        return self.metadata.get("kind", "photo")

    @property
    def flight_id(self) -> int | None:
        """The flight it belongs to, if any."""
        value = self.metadata.get("flight", "")
        return int(value) if value.isdigit() else None


def record_finished(engine: Engine, item: Finished, user: User) -> None:
    """Note the finished file as being processed (once: a repeated finish is ignored)."""
    with engine.begin() as conn:
        if conn.execute(sa.select(received_files.c.uid).where(
                received_files.c.uid == item.uid)).first() is not None:
            return
        conn.execute(sa.insert(received_files).values(
            uid=item.uid, uploaded_by=user.name, kind=item.kind, flight_id=item.flight_id,
            name=(item.metadata.get("filename") or "file")[-255:],
            size_bytes=item.path.stat().st_size, state="processing",
            received_at=datetime.now(UTC)))


def _upload_of(item: Finished, render: bool, now: datetime) -> Upload:
    form = UploadForm.parse(item.metadata)
    pin = (form.manual_lon, form.manual_lat) if form.manual_lon is not None else None
    device = (form.device_lon, form.device_lat) if form.device_lon is not None else None
    return Upload(item.metadata.get("filename") or "file", item.path, form.upload_id, device,
                  DisplayCrs(form.pin_crs).point_in(*pin) if pin else None, form.note,
                  form.problem_found, "orthophoto" if item.kind == "orthophoto" else "auto",
                  render, form.capture_time(now))


def _keep_original(engine: Engine, store: Store, photo_id: int, path: Path) -> None:
    """A metadata-only photo indexes its original in place: here that place is the scratch
    folder, so the original goes into the store (thumbnails still wait to be asked for)."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(photos.c.sha256, photos.c.original_stored).where(
            photos.c.id == photo_id)).first()
    if row is None or row.original_stored:
        return
    store.put_path(row.sha256, path)
    with engine.begin() as conn:
        conn.execute(sa.update(photos).where(photos.c.sha256 == row.sha256,
                                             photos.c.original_stored.is_(False))
                     .values(original_stored=True, source_path=None))


def _metadata_only(engine: Engine, flight_id: int | None) -> bool:
    if flight_id is None:
        return False
    with engine.connect() as conn:
        return bool(conn.execute(sa.select(flights.c.metadata_only).where(
            flights.c.id == flight_id)).scalar())


def _outcome(engine: Engine, store: Store, clock: Clock, user: User, item: Finished,
             options: UploadOptions) -> dict[str, Any]:
    """What the ingest made of the file: the upload page's answer, or why it was refused."""
    metadata_only = _metadata_only(engine, item.flight_id)
    try:
        upload = _upload_of(item, not metadata_only, clock.now())
        result = upload_photo(engine, store, clock, user, upload, options)
    except (RejectedFile, UploadConflict) as exc:
        reason = exc.reason if isinstance(exc, RejectedFile) else str(exc)
        return {"status": "rejected", "reason": reason, "reason_code": rejection_code(reason)}
    except (ImageryError, InspectionError, ValueError) as exc:
        return {"status": "rejected", "reason": f"cannot be processed ({exc})",
                "reason_code": "not_stored"}
    if metadata_only:
        _keep_original(engine, store, result["photo"]["id"], item.path)
    return result


def ingest_received(engine: Engine, store: Store, clock: Clock, item: Finished,
                    options: UploadOptions) -> None:
    """Ingest one finished upload as its uploader, record the outcome, remove the received
    file (the unit of work that becomes a job)."""
    with engine.connect() as conn:
        user = get_user(conn, item.user_id)
    try:
        outcome = _outcome(engine, store, clock, user, item, options)
    except Exception as exc:  # never leave the row "processing" for a failure of ours
        log.exception("ingest of received file %s failed", item.uid)
        outcome = {"status": "rejected", "reason": f"cannot be processed ({exc})",
                   "reason_code": "not_stored"}
    photo = outcome.get("photo")
    with engine.begin() as conn:
        conn.execute(sa.update(received_files).where(received_files.c.uid == item.uid).values(
            state=outcome["status"], photo_id=photo["id"] if photo else None,
            reason=outcome.get("reason"), result=outcome, finished_at=datetime.now(UTC)))
    for leftover in (item.path, item.path.with_name(item.path.name + ".info")):
        leftover.unlink(missing_ok=True)


def received_status(conn: sa.Connection, user: User, uid: str) -> dict[str, Any]:
    """What became of one of the user's received files; NotFound for another's or none."""
    row = conn.execute(sa.select(received_files).where(
        received_files.c.uid == uid, received_files.c.uploaded_by == user.name)
    ).mappings().first()
    if row is None:
        raise NotFound(f"upload {uid}: no such upload")
    if row["state"] == "processing":
        return {"uid": uid, "status": "processing", "file": row["name"]}
    return {"uid": uid, **(row["result"] or {}), "status": row["state"], "file": row["name"]}
