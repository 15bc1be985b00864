"""Photos: upload one file, list by place, time, grid cell or site, metadata, and the bytes
of thumbnails and originals by id (never a path into the store)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from fastapi import Path as FastPath
from fastapi.responses import JSONResponse, Response, StreamingResponse

from imagery.errors import PhotoNotFound
from imagery.ortho.render import tile_png
from inspections.errors import InvalidInput
from web.api.params import IdPath
from web.api.upload_form import UploadForm, openapi_body
from web.deps import ClockDep, CurrentUser, EngineDep, SettingsDep
from web.display_crs import CRSES as DISPLAY_CRSES
from web.display_crs import DisplayCrs
from web.errors import ERROR_RESPONSES, ErrorBody
from web.geojson import parse_bbox
from web.jobs.ingest_job import submit_ingest
from web.services import photos as photo_service
from web.services.ortho_uploads import is_orthophoto_upload
from web.services.upload_body import Received, received_upload
from web.services.uploads import Upload, UploadOptions, original_name, safe_name, store_upload
from web.store import file_store

router = APIRouter(prefix="/api/photos", tags=["photos"], responses=ERROR_RESPONSES)
BYTES_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=3600"}
UPLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorBody, "description": "The upload id is already used for another file"},
    413: {"model": ErrorBody, "description": "The file is larger than the upload limit"},
    202: {"description": "An orthophoto, queued as a job: {status: queued, job_id, file}"},
}


def _pair(name: str, lon: float | None, lat: float | None) -> tuple[float, float] | None:
    if lon is None and lat is None:
        return None
    if lon is None or lat is None:
        raise InvalidInput(f"{name}_lon and {name}_lat: give both or neither")
    return lon, lat


def _upload_of(form: UploadForm, received: Received, now: datetime) -> Upload:
    if form.pin_crs not in DISPLAY_CRSES:
        raise InvalidInput(f"pin_crs {form.pin_crs!r}: use {' or '.join(DISPLAY_CRSES)}")
    pin = _pair("manual", form.manual_lon, form.manual_lat)
    assert received.path is not None  # received_upload refuses a form without a file
    return Upload(received.filename or "photo", received.path, form.upload_id,
                  _pair("device", form.device_lon, form.device_lat),
                  DisplayCrs(form.pin_crs).point_in(*pin) if pin else None, form.note,
                  form.problem_found, captured_at=form.capture_time(now))


@router.post("", openapi_extra={"requestBody": openapi_body()}, responses=UPLOAD_RESPONSES)
async def upload(request: Request, engine: EngineDep, clock: ClockDep, user: CurrentUser,
                 settings: SettingsDep) -> dict[str, Any]:
    """Store one photo: its position (EXIF, else the manual pin, else the device's), grid
    cell, nearby sites and flags; "problem found" opens a patrol case at it.

    The body streams to disk (413 past LOOKBACK_MAX_UPLOAD_BYTES, from Content-Length when
    it says so); the file is analysed in a worker process. An orthophoto whose header passes
    the checks becomes a job (202, its job_id: converted to a COG in a job worker; see
    /tasks)."""
    store = file_store(settings)
    async with received_upload(request, store, settings.max_upload_bytes) as received:
        item = _upload_of(UploadForm.parse(received.fields), received, clock.now())
        if await anyio.to_thread.run_sync(is_orthophoto_upload, item, settings):
            job = await anyio.to_thread.run_sync(submit_ingest, engine, settings, user, item)
            return JSONResponse({"status": "queued", "job_id": job,
                                 "file": original_name(item.filename)}, status_code=202)
        return await store_upload(engine, store, clock, user, item, UploadOptions.of(settings))


@router.get("")
def list_photos(
    engine: EngineDep, user: CurrentUser,
    bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat")] = None,
    start: Annotated[datetime | None, Query(description="Taken at or after.")] = None,
    end: Annotated[datetime | None, Query(description="Taken at or before.")] = None,
    grid_cell: Annotated[str | None, Query(description="A grid cell's code.")] = None,
    site: Annotated[str | None, Query(description="A site's code.")] = None,
    limit: Annotated[int, Query(ge=1, le=photo_service.MAX_LIMIT)] = 100,
) -> list[dict[str, Any]]:
    """Photos the user may see, newest taken first."""
    query = photo_service.PhotoQuery(parse_bbox(bbox) if bbox else None, start, end,
                                     grid_cell, site, limit)
    with engine.connect() as conn:
        return [photo_service.describe(r) for r in photo_service.list_photos(conn, user, query)]


@router.get("/{photo_id}")
def photo_metadata(photo_id: IdPath, engine: EngineDep, user: CurrentUser) -> dict[str, Any]:
    """One photo's metadata, with the sites it is near or covers."""
    with engine.connect() as conn:
        row = photo_service.get_visible(conn, user, photo_id)
        return photo_service.describe(row, photo_service.sites_of(conn, photo_id))


def _bytes(data: bytes, media_type: str, name: str) -> Response:
    return Response(data, media_type=media_type, headers={
        **BYTES_HEADERS, "Content-Disposition": f'inline; filename="{name}"'})


@router.get("/{photo_id}/thumbnail", response_class=Response,
            responses={200: {"content": {"image/jpeg": {}}}})
def thumbnail(photo_id: IdPath, engine: EngineDep, user: CurrentUser, settings: SettingsDep,
              size: Annotated[int, Query(description="256 or 1024")] = 256) -> Response:
    """The photo as a JPEG thumbnail."""
    if size not in (256, 1024):
        raise InvalidInput(f"size {size}: use 256 or 1024")
    with engine.connect() as conn:
        row = photo_service.get_visible(conn, user, photo_id)
    data = photo_service.thumbnail_bytes(file_store(settings), row, size)
    return _bytes(data, "image/jpeg", f"photo-{photo_id}-{size}.jpg")


@router.get("/{photo_id}/original", response_class=Response,
            responses={200: {"content": {"application/octet-stream": {}}}})
def original(photo_id: IdPath, engine: EngineDep, user: CurrentUser,
             settings: SettingsDep) -> Response:
    """The original file, for the roles that may have it."""
    with engine.connect() as conn:
        row = photo_service.get_visible(conn, user, photo_id)
    opened = photo_service.original_file(file_store(settings), user, row)
    name = f"photo-{photo_id}-{safe_name(row['original_name'])}"
    return StreamingResponse(opened.chunks(), media_type=row["media_type"], headers={
        **BYTES_HEADERS, "Content-Disposition": f'inline; filename="{name}"',
        "Content-Length": str(opened.size)})


@router.get("/{photo_id}/tiles/{z}/{x}/{y}.png", response_class=Response,
            responses={200: {"content": {"image/png": {}}}})
def orthophoto_tile(photo_id: IdPath, z: Annotated[int, FastPath(ge=0, le=24)],
                    x: Annotated[int, FastPath(ge=0)], y: Annotated[int, FastPath(ge=0)],
                    engine: EngineDep, user: CurrentUser, settings: SettingsDep) -> Response:
    """An XYZ map tile of an orthophoto (from its Cloud-Optimized GeoTIFF)."""
    with engine.connect() as conn:
        row = photo_service.get_visible(conn, user, photo_id)
    if row["kind"] != "orthophoto":
        raise PhotoNotFound(f"photo {photo_id}: not an orthophoto, so it has no tiles")
    data = tile_png(file_store(settings).raster(row["sha256"], "cog.tif"), x, y, z)
    return Response(data, media_type="image/png", headers=BYTES_HEADERS)
