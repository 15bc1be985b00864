"""Ingesting a received file as a job (an orthophoto's conversion to a COG with overviews
takes minutes; a photo of a flight is one of thousands): the same service as the upload
page, run in the job's worker process. `submit_ingest` hands a received file over: it is
moved into the jobs' inbox, so the request that received it may end at once."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from imagery.errors import RejectedFile
from web.accounts.users import User, get_user
from web.clock import clock_for
from web.jobs.changes_job import submit_changes
from web.jobs.context import JobRun
from web.jobs.submit import submit
from web.services.uploads import Upload, UploadOptions, original_name, upload_photo
from web.settings import Settings
from web.store import file_store

INBOX = "inbox"


def inbox(settings: Settings) -> Path:
    """The folder received files wait in until their job has ingested them."""
    folder = settings.data_dir / "jobs" / INBOX
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def submit_ingest(engine: Engine, settings: Settings, user: User, upload: Upload) -> int:
    """Move the received file into the inbox and queue its ingest as `user`; the job id.
    Blocking (a rename, two short writes): from async code, run it in a thread."""
    kept = inbox(settings) / f"{uuid.uuid4().hex}.upload"
    os.replace(upload.path, kept)  # the store's scratch and the inbox share a file system
    params: dict[str, Any] = {
        "path": kept.name, "filename": upload.filename, "upload_id": upload.upload_id,
        "device": upload.device, "manual": upload.manual, "note": upload.note,
        "problem_found": upload.problem_found}
    return submit(engine, settings, kind="ingest_upload", params=params, user_id=user.id,
                  title=original_name(upload.filename))


def _pair(value: list[float] | None) -> tuple[float, float] | None:
    return None if value is None else (float(value[0]), float(value[1]))


def ingest_upload(run: JobRun, *, path: str, filename: str, upload_id: str | None = None,
                  device: list[float] | None = None, manual: list[float] | None = None,
                  note: str | None = None, problem_found: bool = False) -> dict[str, Any]:
    """Ingest one received file as the user who sent it (the analysis, an orthophoto's COG
    conversion included, runs here: this process is already a worker); what happened."""
    file = inbox(run.settings) / Path(path).name  # a name in the inbox, nothing else
    with run.engine.connect() as conn:
        user = get_user(conn, run.user_id)
    run.progress(0, 1, "jobs.step.analyse", force=True)
    upload = Upload(filename, file, upload_id, _pair(device), _pair(manual), note,
                    problem_found)
    options = UploadOptions.of(run.settings)
    try:
        outcome = upload_photo(run.engine, file_store(run.settings),
                               clock_for(run.settings, run.engine), user, upload,
                               UploadOptions(options.limits, workers=0))
    except RejectedFile:  # the file will not do: nothing to try again with
        file.unlink(missing_ok=True)
        raise
    file.unlink(missing_ok=True)
    photo = outcome["photo"]
    if photo.get("kind") == "orthophoto":
        submit_changes(run.engine, run.settings, photo_id=photo["id"], user_id=run.user_id)
    return {"status": outcome["status"], "photo_id": photo["id"], "kind": photo.get("kind"),
            "patrol_case": outcome["patrol_case"]}
