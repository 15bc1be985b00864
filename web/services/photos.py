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
from imagery.schema import PHOTO_KINDS, PHOTOS, photo_sites, photos
from imagery.store import Opened, Store
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
    kind: str | None = None  # field, drone or orthophoto
    town: str | None = None  # the town of the photo's grid cell
    site_text: str | None = None  # a matched site's exact code or part of its name
    uploader: str | None = None
    uploaded_from: datetime | None = None
    uploaded_to: datetime | None = None
    unlocated: bool = False  # only photos without a position
    text: str | None = None  # part of the file name or the note
    oldest_first: bool = False
    offset: int = 0


def _where(conn: sa.Connection, user: User, q: PhotoQuery) -> list[sa.ColumnElement[bool]]:
    found = [c for c in (photo_condition(user),) if c is not None]
    found.extend(_plain_where(q))
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


def _plain_where(q: PhotoQuery) -> list[sa.ColumnElement[bool]]:
    """The filters that need no look-up: kind, town, site text, uploader, upload time,
    position and text."""
    if q.kind is not None and q.kind not in PHOTO_KINDS:
        raise InvalidInput(f"kind {q.kind!r}: use one of {', '.join(PHOTO_KINDS)}")
    cells, s = GRID_CELLS.table, SITES.table
    found: list[sa.ColumnElement[bool]] = []
    if q.kind is not None:
        found.append(photos.c.kind == q.kind)
    if q.town:
        found.append(photos.c.grid_cell_id.in_(sa.select(cells.c.id)
                                               .where(cells.c.town == q.town)))
    if q.site_text:
        sites_named = sa.select(s.c.id).where(sa.or_(
            s.c.code == q.site_text, s.c.name.contains(q.site_text, autoescape=True)))
        found.append(photos.c.id.in_(sa.select(photo_sites.c.photo_id)
                                     .where(photo_sites.c.site_id.in_(sites_named))))
    if q.uploader:
        found.append(photos.c.uploaded_by == q.uploader)
    if q.uploaded_from is not None:
        found.append(photos.c.uploaded_at >= to_utc(q.uploaded_from))
    if q.uploaded_to is not None:
        found.append(photos.c.uploaded_at <= to_utc(q.uploaded_to))
    if q.unlocated:
        found.append(photos.c.geom.is_(None))
    if q.text:
        found.append(sa.or_(photos.c.original_name.icontains(q.text, autoescape=True),
                            photos.c.note.icontains(q.text, autoescape=True)))
    return found


def _order(q: PhotoQuery) -> tuple[sa.ColumnElement[Any], ...]:
    """Taken time (undated photos last in either order), then id."""
    if q.oldest_first:
        return (photos.c.taken_at.is_(None), photos.c.taken_at, photos.c.id)
    return (photos.c.taken_at.is_(None), photos.c.taken_at.desc(), photos.c.id.desc())


def list_photos(conn: sa.Connection, user: User, q: PhotoQuery) -> list[sa.RowMapping]:
    """The photos matching the query that the user may see, newest taken first (oldest
    first when asked), `limit` of them after skipping `offset`."""
    if not 1 <= q.limit <= MAX_LIMIT:
        raise InvalidInput(f"limit {q.limit}: must be 1 to {MAX_LIMIT}")
    if q.offset < 0:
        raise InvalidInput(f"offset {q.offset}: must not be negative")
    where = _where(conn, user, q)
    condition = sa.and_(*where) if where else None
    if q.bbox is not None:
        rows = spatial.in_bbox(conn, PHOTOS, q.bbox, condition)
        return _in_order(rows, q.oldest_first)[q.offset:q.offset + q.limit]
    stmt = sa.select(photos)
    if condition is not None:
        stmt = stmt.where(condition)
    stmt = stmt.order_by(*_order(q)).offset(q.offset).limit(q.limit)
    return list(conn.execute(stmt).mappings())


def count_photos(conn: sa.Connection, user: User, q: PhotoQuery) -> int:
    """How many photos match the query (without bbox, limit or offset) that the user may
    see, counted by the database."""
    if q.bbox is not None:
        raise InvalidInput("bbox: photos are counted without a bounding box")
    stmt = sa.select(sa.func.count()).select_from(photos)
    if where := _where(conn, user, q):
        stmt = stmt.where(*where)
    return conn.execute(stmt).scalar_one()


def _in_order(rows: list[sa.RowMapping], oldest_first: bool) -> list[sa.RowMapping]:
    """Rows in the order of `_order` (for rows the database did not order)."""
    sign = 1 if oldest_first else -1

    def key(row: sa.RowMapping) -> tuple[bool, float, int]:
        taken = aware(row["taken_at"])
        return (taken is None, sign * taken.timestamp() if taken else 0.0, sign * row["id"])

    return sorted(rows, key=key)


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


def thumbnail_bytes(store: Store, photo: sa.RowMapping, size: int) -> bytes:
    """The photo's JPEG thumbnail at 256 or 1024 px."""
    source = Path(photo["source_path"]) if photo["source_path"] else None
    return thumbs.thumbnail(store, photo["sha256"], size, kind=photo["kind"],
                            source_path=source)


def original_file(store: Store, user: User, photo: sa.RowMapping) -> Opened:
    """The original file open for streaming, to the roles that may have it; PhotoNotFound
    for the others, and when the file is gone."""
    if not may_see_original(user, photo):
        raise PhotoNotFound(f"photo {photo['id']}: no original for role {user.role}")
    try:
        if photo["original_stored"]:
            return store.open(photo["sha256"])
        source = Path(photo["source_path"] or "")
        if not source.is_file():
            raise FileNotFoundError(source)
        return Opened.local(source)
    except FileNotFoundError as exc:
        raise PhotoNotFound(f"photo {photo['id']}: the original is no longer at its "
                            "place") from exc


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
