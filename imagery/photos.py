"""Photo records: write one with its site links, find by hash or upload id, relocate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from shapely.geometry import Point

from geo.layers import index_geometries
from imagery.analysis import Analysis
from imagery.errors import PhotoNotFound
from imagery.georef import Georef
from imagery.schema import FOOTPRINTS, PHOTOS, photo_sites, photos


@dataclass(frozen=True)
class Provenance:
    """Who uploaded a photo, when, and what the device or a person said about its place."""

    uploaded_at: datetime
    uploaded_by: str | None = None
    device: tuple[float, float] | None = None
    manual: tuple[float, float] | None = None
    upload_id: str | None = None
    note: str | None = None


def find_by_sha(conn: sa.Connection, sha256: str) -> int | None:
    """The id of the photo with these bytes, if stored."""
    return conn.execute(sa.select(photos.c.id).where(photos.c.sha256 == sha256)).scalar()


def find_by_upload_id(conn: sa.Connection, upload_id: str) -> int | None:
    """The id of the photo a client's upload id created, if any (retries are idempotent)."""
    return conn.execute(sa.select(photos.c.id).where(photos.c.upload_id == upload_id)).scalar()


def _time_columns(photo: Analysis) -> dict:
    if photo.taken_at is None:
        return {"taken_at": None, "taken_at_local": None}
    if photo.taken_at.tzinfo is None:
        return {"taken_at": None, "taken_at_local": photo.taken_at.isoformat(timespec="seconds")}
    return {"taken_at": photo.taken_at, "taken_at_local": None}


def insert_photo(conn: sa.Connection, photo: Analysis, *, lon: float | None,
                 lat: float | None, location_source: str, georef: Georef,
                 provenance: Provenance, flags: list[str], similar_to: list[int]) -> int:
    """Write a photo row and its site links in the caller's transaction; its new id."""
    point = Point(lon, lat) if lon is not None and lat is not None else None
    values = {
        "sha256": photo.sha256, "kind": photo.kind, "media_type": photo.media_type,
        "original_name": photo.name[-255:], "size_bytes": photo.size_bytes,
        "width": photo.width, "height": photo.height, "geom": point,
        "location_source": location_source,
        "exif_lon": photo.lon if photo.location_source in ("exif", "xmp") else None,
        "exif_lat": photo.lat if photo.location_source in ("exif", "xmp") else None,
        "device_lon": provenance.device[0] if provenance.device else None,
        "device_lat": provenance.device[1] if provenance.device else None,
        "altitude_m": photo.altitude_m, "relative_altitude_m": photo.relative_altitude_m,
        "yaw_deg": photo.yaw_deg, "pitch_deg": photo.pitch_deg, "roll_deg": photo.roll_deg,
        "focal_35mm": photo.focal_35mm, "footprint": photo.footprint,
        "time_source": photo.time_source, "grid_cell_id": georef.grid_cell_id,
        "phash": photo.phash, "flags": flags, "similar_to": similar_to,
        "uploaded_by": provenance.uploaded_by, "uploaded_at": provenance.uploaded_at,
        "upload_id": provenance.upload_id, "note": provenance.note, **_time_columns(photo),
    }
    photo_id = conn.execute(sa.insert(photos).returning(photos.c.id), values).scalar_one()
    _link_sites(conn, photo_id, georef)
    index_geometries(conn, PHOTOS, [photo_id], [point])
    index_geometries(conn, FOOTPRINTS, [photo_id], [photo.footprint])
    return photo_id


def _link_sites(conn: sa.Connection, photo_id: int, georef: Georef) -> None:
    conn.execute(sa.delete(photo_sites).where(photo_sites.c.photo_id == photo_id))
    rows = [{"photo_id": photo_id, "site_id": s.site_id, "relation": s.relation,
             "distance_m": s.distance_m} for s in georef.sites]
    if rows:
        conn.execute(sa.insert(photo_sites), rows)


def get_photo(conn: sa.Connection, photo_id: int) -> sa.RowMapping:
    """One photo row, or PhotoNotFound."""
    row = conn.execute(sa.select(photos).where(photos.c.id == photo_id)).mappings().first()
    if row is None:
        raise PhotoNotFound(f"photo {photo_id}: no such photo")
    return row


def set_location(conn: sa.Connection, photo_id: int, lon: float, lat: float, *,
                 georef: Georef, source: str = "manual") -> None:
    """Give a photo a position (a manual pin), re-linking its grid cell and near sites."""
    row = get_photo(conn, photo_id)
    flags = [f for f in row["flags"] if f not in ("needs_location", "outside_grid")]
    if georef.grid_cell_id is None:
        flags.append("outside_grid")
    conn.execute(sa.update(photos).where(photos.c.id == photo_id).values(
        geom=Point(lon, lat), location_source=source, grid_cell_id=georef.grid_cell_id,
        flags=flags))
    _link_sites(conn, photo_id, georef)
    index_geometries(conn, PHOTOS, [photo_id], [Point(lon, lat)])


def site_links(conn: sa.Connection, photo_id: int) -> list[sa.RowMapping]:
    """The sites a photo is linked to, nearest first."""
    return list(conn.execute(
        sa.select(photo_sites).where(photo_sites.c.photo_id == photo_id)
        .order_by(photo_sites.c.relation, photo_sites.c.distance_m, photo_sites.c.site_id)
    ).mappings())
