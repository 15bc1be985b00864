"""Photo records: write one with its site links, find by hash or upload id, relocate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

import shapely
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


def _time_columns(photo: Analysis) -> dict:
    if photo.taken_at is None:
        return {"taken_at": None, "taken_at_local": None}
    if photo.taken_at.tzinfo is None:
        return {"taken_at": None, "taken_at_local": photo.taken_at.isoformat(timespec="seconds")}
    # In UTC: SQLite keeps no offset, so anything else would read back hours off.
    return {"taken_at": photo.taken_at.astimezone(UTC), "taken_at_local": None}


@dataclass(frozen=True)
class NewPhoto:
    """An analysed photo with its position, georeference and flags, ready to be written."""

    photo: Analysis
    lon: float | None
    lat: float | None
    location_source: str
    georef: Georef
    provenance: Provenance
    flags: list[str]
    similar_to: list[int]

    @property
    def point(self) -> Point | None:
        """The position as a geometry, if there is one."""
        return Point(self.lon, self.lat) if self.lon is not None else None


def _values(item: NewPhoto) -> dict:
    photo, provenance = item.photo, item.provenance
    own = photo.location_source in ("exif", "xmp")
    return {
        "sha256": photo.sha256, "kind": photo.kind, "media_type": photo.media_type,
        "original_name": photo.name[-255:], "size_bytes": photo.size_bytes,
        "original_stored": photo.original_stored, "source_path": photo.source_path,
        "width": photo.width, "height": photo.height, "geom": item.point,
        "location_source": item.location_source,
        "exif_lon": photo.lon if own else None, "exif_lat": photo.lat if own else None,
        "device_lon": provenance.device[0] if provenance.device else None,
        "device_lat": provenance.device[1] if provenance.device else None,
        "altitude_m": photo.altitude_m, "relative_altitude_m": photo.relative_altitude_m,
        "yaw_deg": photo.yaw_deg, "pitch_deg": photo.pitch_deg, "roll_deg": photo.roll_deg,
        "focal_35mm": photo.focal_35mm, "footprint": photo.footprint,
        "time_source": photo.time_source, "grid_cell_id": item.georef.grid_cell_id,
        "phash": photo.phash, "flags": item.flags, "similar_to": item.similar_to,
        "uploaded_by": provenance.uploaded_by,
        "uploaded_at": provenance.uploaded_at.astimezone(UTC),
        "upload_id": provenance.upload_id, "note": provenance.note, **_time_columns(photo),
    }


def insert_photos(conn: sa.Connection, items: list[NewPhoto]) -> list[int]:
    """Write photo rows, their site links and index entries in the caller's transaction;
    the new ids in order."""
    if not items:
        return []
    # A plain executemany, then one look-up of the ids: RETURNING would go row by row here.
    rows = [_values(item) for item in items]
    for column in ("geom", "footprint"):  # WKB for the whole batch in one call
        for row, wkb in zip(rows, shapely.to_wkb([r[column] for r in rows]), strict=True):
            row[column] = wkb
    conn.execute(sa.insert(photos), rows)
    ids = _new_ids(conn, items)
    links = [{"photo_id": pid, "site_id": s.site_id, "relation": s.relation,
              "distance_m": s.distance_m}
             for pid, item in zip(ids, items, strict=True) for s in item.georef.sites]
    if links:
        conn.execute(sa.insert(photo_sites), links)
    index_geometries(conn, PHOTOS, ids, [item.point for item in items])
    index_geometries(conn, FOOTPRINTS, ids, [item.photo.footprint for item in items])
    return ids


def _new_ids(conn: sa.Connection, items: list[NewPhoto]) -> list[int]:
    """The ids of rows just inserted: the newest row of each hash and uploader (the same
    bytes may be stored as other users' photos too, never twice as one user's)."""
    keys = [(item.photo.sha256, item.provenance.uploaded_by) for item in items]
    rows = conn.execute(
        sa.select(photos.c.sha256, photos.c.uploaded_by, sa.func.max(photos.c.id))
        .where(photos.c.sha256.in_({sha for sha, _ in keys}))
        .group_by(photos.c.sha256, photos.c.uploaded_by)).all()
    newest = {(sha, uploader): photo_id for sha, uploader, photo_id in rows}
    return [newest[key] for key in keys]


def set_similar_to(conn: sa.Connection, photo_id: int, similar_to: list[int]) -> None:
    """Record which earlier photos a photo looks like."""
    conn.execute(sa.update(photos).where(photos.c.id == photo_id).values(similar_to=similar_to))


class UploadHit(NamedTuple):
    """The photo an upload id names: its id, hash, and whether the uploader may see it."""

    id: int
    sha256: str
    visible: bool


def existing(conn: sa.Connection, shas: list[str], upload_ids: list[str],
             scope: sa.ColumnElement[bool] | None = None
             ) -> tuple[dict[str, int], dict[str, UploadHit]]:
    """Stored photos with any of these hashes (the first of each, among those `scope` lets
    the uploader see; None: all) and any of these upload ids (whoever's they are)."""
    by_sha: dict[str, int] = {}
    if shas:
        stmt = sa.select(photos.c.sha256, sa.func.min(photos.c.id)).where(
            photos.c.sha256.in_(shas))
        if scope is not None:
            stmt = stmt.where(scope)
        by_sha = dict(conn.execute(stmt.group_by(photos.c.sha256)).all())
    if not upload_ids:
        return by_sha, {}
    hits = conn.execute(sa.select(photos.c.upload_id, photos.c.id, photos.c.sha256)
                        .where(photos.c.upload_id.in_(upload_ids))).all()
    visible = {r.id for r in hits}
    if scope is not None and hits:
        visible = set(conn.execute(sa.select(photos.c.id).where(
            photos.c.id.in_(visible), scope)).scalars())
    return by_sha, {r.upload_id: UploadHit(r.id, r.sha256, r.id in visible) for r in hits}


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
