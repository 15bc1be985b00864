"""Photos: upload one file, list by place, time, grid cell or site, metadata, and the bytes
of thumbnails and originals by id (never a path into the store)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi import Path as FastPath
from fastapi.responses import Response

from imagery.errors import PhotoNotFound
from imagery.ortho.render import tile_png
from imagery.store import FileStore
from inspections.errors import InvalidInput
from web.api.params import IdPath
from web.deps import ClockDep, CurrentUser, EngineDep, SettingsDep
from web.display_crs import CRSES as DISPLAY_CRSES
from web.display_crs import DisplayCrs
from web.errors import ERROR_RESPONSES
from web.geojson import parse_bbox
from web.services import photos as photo_service
from web.services.uploads import Upload, safe_name, upload_photo

router = APIRouter(prefix="/api/photos", tags=["photos"], responses=ERROR_RESPONSES)
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
BYTES_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=3600"}


def _pair(name: str, lon: float | None, lat: float | None) -> tuple[float, float] | None:
    if lon is None and lat is None:
        return None
    if lon is None or lat is None:
        raise InvalidInput(f"{name}_lon and {name}_lat: give both or neither")
    return lon, lat


@router.post("")
async def upload(
    engine: EngineDep, clock: ClockDep, user: CurrentUser, settings: SettingsDep,
    file: Annotated[UploadFile, File(description="The photo or orthophoto.")],
    upload_id: Annotated[str | None, Form(description="Made by the client per file; a "
                                          "retry with the same id stores nothing new.")] = None,
    device_lon: Annotated[float | None, Form()] = None,
    device_lat: Annotated[float | None, Form()] = None,
    manual_lon: Annotated[float | None, Form()] = None,
    manual_lat: Annotated[float | None, Form()] = None,
    note: Annotated[str | None, Form(max_length=2000)] = None,
    problem_found: Annotated[bool, Form()] = False,
    pin_crs: Annotated[str, Form(description="wgs84, or gcj02 for a pin set on a GCJ-02 "
                                 "basemap")] = "wgs84",
) -> dict[str, Any]:
    """Store one photo: its position (EXIF, else the manual pin, else the device's), grid
    cell, nearby sites and flags; "problem found" opens a patrol case at it."""
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput(f"{safe_name(file.filename or '')}: larger than "
                           f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB")
    if pin_crs not in DISPLAY_CRSES:
        raise InvalidInput(f"pin_crs {pin_crs!r}: use {' or '.join(DISPLAY_CRSES)}")
    pin = _pair("manual", manual_lon, manual_lat)
    item = Upload(file.filename or "photo", data, upload_id,
                  _pair("device", device_lon, device_lat),
                  DisplayCrs(pin_crs).point_in(*pin) if pin else None, note, problem_found)
    return upload_photo(engine, FileStore(settings.data_dir), clock, user, item)


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
    data = photo_service.thumbnail_bytes(FileStore(settings.data_dir), row, size)
    return _bytes(data, "image/jpeg", f"photo-{photo_id}-{size}.jpg")


@router.get("/{photo_id}/original", response_class=Response,
            responses={200: {"content": {"application/octet-stream": {}}}})
def original(photo_id: IdPath, engine: EngineDep, user: CurrentUser,
             settings: SettingsDep) -> Response:
    """The original file, for the roles that may have it."""
    with engine.connect() as conn:
        row = photo_service.get_visible(conn, user, photo_id)
    data = photo_service.original_bytes(FileStore(settings.data_dir), user, row)
    name = f"photo-{photo_id}-{safe_name(row['original_name'])}"
    return _bytes(data, row["media_type"], name)


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
    store = FileStore(settings.data_dir)
    data = tile_png(store.path(row["sha256"], "cog.tif"), x, y, z)
    return Response(data, media_type="image/png", headers=BYTES_HEADERS)
