"""A file received whole by resumable (tus) upload, ingested as a job (web/services/received.py's
unit of work) in a job's worker process, its outcome recorded in `received_files`.

The received file must be readable where the job runs: on one machine (the local pool, or
procrastinate workers beside the server) the tus scratch folder is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from imagery.schema import photos
from inspections.schema import received_files
from web.clock import clock_for
from web.jobs.changes_job import submit_changes
from web.jobs.context import JobRun
from web.jobs.submit import submit
from web.jobs.thumbs_job import lacks_thumbnails, submit_thumbnails
from web.services.received import Finished, ingest_received
from web.services.uploads import UploadOptions
from web.settings import Settings
from web.store import file_store


def submit_received(engine: Engine, settings: Settings, item: Finished) -> int:
    """Queue the ingest of a finished upload as its uploader; the job id (blocking)."""
    params = {"uid": item.uid, "path": str(item.path), "metadata": dict(item.metadata)}
    return submit(engine, settings, kind="ingest_received", params=params,
                  user_id=item.user_id, title=item.metadata.get("filename") or item.uid,
                  dedupe_key=f"received:{item.uid}")


def ingest_received_job(run: JobRun, *, uid: str, path: str,
                        metadata: dict[str, str]) -> dict[str, Any]:
    """Ingest the received file (analysed here: this process is a worker); its outcome. A
    photo indexed without thumbnails (a metadata-only flight) gets them from a job of its own,
    queued behind the flight's other files."""
    assert run.user_id is not None  # a received file always has its uploader
    run.progress(0, 1, "jobs.step.analyse", force=True)
    options = UploadOptions.of(run.settings)
    store = file_store(run.settings)
    ingest_received(run.engine, store,
                    clock_for(run.settings, run.engine),
                    Finished(uid, Path(path), run.user_id, metadata),
                    UploadOptions(options.limits, workers=0))
    with run.engine.connect() as conn:  # the outcome, and the stored photo's hash if any
        row = conn.execute(sa.select(received_files.c.state, received_files.c.photo_id,
                                     received_files.c.reason, photos.c.sha256)
                           .outerjoin(photos, photos.c.id == received_files.c.photo_id)
                           .where(received_files.c.uid == uid)).mappings().one()
    sha = row["sha256"]
    if sha and lacks_thumbnails(store, sha):
        submit_thumbnails(run.engine, run.settings, photo_id=row["photo_id"], sha256=sha,
                          title=metadata.get("filename") or uid, user_id=run.user_id)
    if row["state"] == "stored":
        submit_changes(run.engine, run.settings, photo_id=row["photo_id"], user_id=run.user_id)
    return {"status": row["state"], "photo_id": row["photo_id"], "reason": row["reason"]}
