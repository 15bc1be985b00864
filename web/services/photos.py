"""Photos as users see them: listed and fetched within what their role may see, thumbnails
and originals through the store, never a path."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from geo import spatial
from geo.layers import GRID_CELLS, SITES
from geo.spatial import BBox
from imagery import thumbs
from imagery.errors import PhotoNotFound
from imagery.schema import PHOTOS, photo_sites, photos
from imagery.store import FileStore
from inspections.clock import aware, to_utc
from inspections.errors import InvalidInput
from web.accounts.users import User
from web.services.visibility import may_see_original, photo_condition

MAX_LIMIT = 500


@dataclass(frozen=True)
class PhotoQuery:
    """Filters of a photo listing; all optional."""

    bbox: BBox | None = None
    start: datetime | None = None
    end: datetime | None = None
    grid_cell: str | None = None  # code
    site: str | None = None  # code
    limit: int = 100


def _where(conn: sa.Connection, user: User, q: PhotoQuery) -> list[sa.ColumnElement[bool]]:
    found = [c for c in (photo_condition(user),) if c is not None]
    if q.start is not None:
        found.append(photos.c.taken_at >= to_utc(q.start))
    if q.end is not None:
        found.append(photos.c.taken_at <= to_utc(q.end))
    if q.grid_cell is not None:
        cell = conn.execute(sa.select(GRID_CELLS.table.c.id)
                            .where(GRID_CELLS.table.c.code == q.grid_cell)).scalar()
        if cell is None:
            raise InvalidInput(f"grid_cell {q.grid_cell!r}: no grid cell with that code")
        found.append(photos.c.grid_cell_id == cell)
    if q.site is not None:
        site = conn.execute(sa.select(SITES.table.c.id).where(SITES.table.c.code == q.site)
                            ).scalar()
        if site is None:
            raise InvalidInput(f"site {q.site!r}: no site with that code")
        found.append(photos.c.id.in_(sa.select(photo_sites.c.photo_id)
                                     .where(photo_sites.c.site_id == site)))
    return found


def list_photos(conn: sa.Connection, user: User, q: PhotoQuery) -> list[sa.RowMapping]:
    """The photos matching the query that the user may see, newest taken first."""
    if not 1 <= q.limit <= MAX_LIMIT:
        raise InvalidInput(f"limit {q.limit}: must be 1 to {MAX_LIMIT}")
    where = _where(conn, user, q)
    condition = sa.and_(*where) if where else None
    if q.bbox is not None:
        rows = spatial.in_bbox(conn, PHOTOS, q.bbox, condition)
    else:
        stmt = sa.select(photos)
        if condition is not None:
            stmt = stmt.where(condition)
        order = (photos.c.taken_at.is_(None), photos.c.taken_at.desc(), photos.c.id.desc())
        rows = list(conn.execute(stmt.order_by(*order).limit(q.limit)).mappings())
    return sorted(rows, key=_newest_first)[:q.limit]


def _newest_first(row: sa.RowMapping) -> tuple[bool, float, int]:
    taken = aware(row["taken_at"])
    return (taken is None, -taken.timestamp() if taken else 0.0, -row["id"])


def get_visible(conn: sa.Connection, user: User, photo_id: int) -> sa.RowMapping:
    """The photo, if the user may see it; PhotoNotFound otherwise (whether or not it
    exists)."""
    stmt = sa.select(photos).where(photos.c.id == photo_id)
    if (condition := photo_condition(user)) is not None:
        stmt = stmt.where(condition)
    row = conn.execute(stmt).mappings().first()
    if row is None:
        raise PhotoNotFound(f"photo {photo_id}: no such photo")
    return row


def thumbnail_bytes(store: FileStore, photo: sa.RowMapping, size: int) -> bytes:
    """The photo's JPEG thumbnail at 256 or 1024 px."""
    source = Path(photo["source_path"]) if photo["source_path"] else None
    return thumbs.thumbnail(store, photo["sha256"], size, kind=photo["kind"],
                            source_path=source)


def original_bytes(store: FileStore, user: User, photo: sa.RowMapping) -> bytes:
    """The original file, to the roles that may have it; PhotoNotFound for the others."""
    if not may_see_original(user, photo):
        raise PhotoNotFound(f"photo {photo['id']}: no original for role {user.role}")
    if photo["original_stored"]:
        return store.read(photo["sha256"])
    source = Path(photo["source_path"] or "")
    if not source.is_file():
        raise PhotoNotFound(f"photo {photo['id']}: the original is no longer at its place")
    return source.read_bytes()


def describe(row: sa.RowMapping, sites: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A photo's metadata as the API gives it."""
    geom, footprint = row["geom"], row["footprint"]
    taken = aware(row["taken_at"])
    return {
        "id": row["id"], "kind": row["kind"], "media_type": row["media_type"],
        "width": row["width"], "height": row["height"], "size_bytes": row["size_bytes"],
        "lon": geom.x if geom is not None else None, "lat": geom.y if geom is not None else None,
        "location_source": row["location_source"],
        "taken_at": taken.isoformat() if taken else None,
        "taken_at_local": row["taken_at_local"], "grid_cell_id": row["grid_cell_id"],
        "flags": list(row["flags"] or []), "similar_to": list(row["similar_to"] or []),
        "uploaded_by": row["uploaded_by"],
        "uploaded_at": aware(row["uploaded_at"]).isoformat(), "note": row["note"],
        "footprint": footprint.__geo_interface__ if footprint is not None else None,
        "sites": sites if sites is not None else [],
    }


def sites_of(conn: sa.Connection, photo_id: int) -> list[dict[str, Any]]:
    """The sites a photo is near or covers."""
    s = SITES.table
    rows = conn.execute(sa.select(s.c.code, s.c.name, s.c.kind, photo_sites.c.relation,
                                  photo_sites.c.distance_m)
                        .join(s, s.c.id == photo_sites.c.site_id)
                        .where(photo_sites.c.photo_id == photo_id).order_by(s.c.code))
    return [dict(r._mapping) for r in rows]
