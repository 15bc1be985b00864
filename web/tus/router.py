"""The tus endpoint (/api/uploads/tus): tuspyserver's router behind our checks. Signed-in
uploaders only, each seeing only their own uploads (the upload id carries its owner); the
size, kind and flight are checked when an upload is created; a finished file is handed to
ingestion."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from uuid import uuid4

import anyio.to_thread
from fastapi import APIRouter, Request
from tuspyserver import create_tus_router

from imagery.errors import FileTooLarge, RejectedFile
from inspections.errors import InvalidInput, NotAllowed, NotFound
from web.accounts.users import User
from web.api.upload_form import UploadForm
from web.deps import CurrentUser, EngineDep, SettingsDep, get_clock
from web.jobs.received_job import submit_received
from web.services.flights import own_flight
from web.services.received import Finished, record_finished
from web.services.upload_body import megabytes
from web.settings import Settings
from web.store import file_store
from web.tus.storage import ScratchStorage, tus_folder

PREFIX = "/api/uploads/tus"
UPLOADERS = ("grid_officer", "inspector", "admin")  # the roles of the upload page
KINDS = ("photo", "orthophoto")
UID = re.compile(r"^(\d+)-[0-9a-f]{32}$")
DAYS_TO_KEEP = 1  # an unfinished upload's promise; the store check removes older ones


def parse_metadata(header: str) -> dict[str, str]:
    """Upload-Metadata: comma-separated `key base64(value)` pairs; InvalidInput naming a bad
    one."""
    found: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in header.split(","))):
        key, _, value = pair.partition(" ")
        try:
            found[key] = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise InvalidInput(f"Upload-Metadata {key}: not base64 of UTF-8 text") from exc
    return found


def _length(request: Request, settings: Settings, name: str) -> int:
    declared = request.headers.get("upload-length", "")
    if not declared.isdigit():
        raise InvalidInput("Upload-Length: give the file's size in bytes (a deferred length "
                           "is not supported)")
    if int(declared) > settings.max_resumable_bytes:
        raise FileTooLarge(name, f"its Upload-Length of {int(declared):,} bytes is more than "
                                 f"the {megabytes(settings.max_resumable_bytes)} allowed")
    if int(declared) == 0:
        raise RejectedFile(name, "the file is empty")
    return int(declared)


def check_creation(request: Request, settings: Settings, engine: object, user: User) -> None:
    """Refuse, before anything is written, an upload we would not take: too large, of an
    unknown kind, for a flight not the user's, or using tus extensions we do not offer."""
    if "upload-concat" in request.headers:
        raise InvalidInput("Upload-Concat: joining uploads is not supported")
    if request.headers.get("content-length", "0") not in ("", "0"):
        raise InvalidInput("the creation request must be empty: send the bytes with PATCH")
    metadata = parse_metadata(request.headers.get("upload-metadata", ""))
    name = metadata.get("filename", "").strip()
    if not name:
        raise InvalidInput("Upload-Metadata filename: required (the file's name)")
    _length(request, settings, name)
    kind = metadata.get("kind", "photo")
    if kind not in KINDS:
        raise InvalidInput(f"Upload-Metadata kind {kind!r}: use {' or '.join(KINDS)}")
    # the upload page's fields, checked as for a small file
    UploadForm.parse(metadata).capture_time(get_clock(request).now())
    if "flight" in metadata:
        own_flight(engine, user, metadata["flight"])  # type: ignore[arg-type]


def _owner(uid: str) -> int | None:
    match = UID.match(uid)
    return int(match.group(1)) if match else None


async def tus_access(request: Request, user: CurrentUser, settings: SettingsDep,
                     engine: EngineDep) -> None:
    """Every tus request: an uploader, on an upload of their own; creation checked."""
    if user.role not in UPLOADERS:
        raise NotAllowed(f"uploads: role {user.role!r} may not upload; only "
                         f"{', '.join(UPLOADERS)}")
    uid = request.path_params.get("uuid")
    if uid is not None and _owner(uid) != user.id:
        raise NotFound(f"upload {uid}: no such upload")
    if request.method == "POST":
        await anyio.to_thread.run_sync(check_creation, request, settings, engine, user)


def new_upload(user: CurrentUser) -> Callable[[dict], dict]:
    """The id of a new upload: its owner's id, then a random part."""
    return lambda _metadata: {"uid": f"{user.id}-{uuid4().hex}"}


def on_finished(user: CurrentUser, engine: EngineDep,
                settings: SettingsDep) -> Callable[[str, dict], Awaitable[None]]:
    """What happens when the last byte is in: record it, queue its ingest as a job (which a
    restarted server or another worker takes up if this one dies)."""
    async def finished(path: str, metadata: dict) -> None:
        item = Finished(Path(path).name, Path(path), user.id, dict(metadata))
        await anyio.to_thread.run_sync(record_finished, engine, item, user)
        await anyio.to_thread.run_sync(submit_received, engine, settings, item)
    return finished


def tus_router(settings: Settings) -> APIRouter:
    """The tus routes of an app with these settings."""
    storage = ScratchStorage(str(tus_folder(file_store(settings))))
    return create_tus_router(prefix=PREFIX, max_size=settings.max_resumable_bytes,
                             auth=tus_access, days_to_keep=DAYS_TO_KEEP,
                             upload_complete_dep=on_finished, file_dep=new_upload,
                             storage=storage, tags=["uploads"])
