"""The images of a site change detection can compare (变化检测影像): each orthophoto that
covers the site, and each drone flight (航飞批次) whose stored nadir photos cover it, the
flight standing for one image (its photos mosaicked by the engine). A flight is named by a
representative photo: the first of its photos covering the site (lowest id), the id the
stored polygons and `lookback changes detect --json` give. Images are ordered by when they
were taken (else uploaded); a flight by its earliest photo over the site."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from imagery.schema import photo_sites, photos
from inspections.schema import received_files

ORTHOPHOTO = "orthophoto"
DRONE = "drone"


@dataclass(frozen=True)
class SiteImage:
    """One image of a site: an orthophoto (`flight_id` None) or a flight, by its photo id
    (the orthophoto, or the flight's representative photo) and when it was taken."""

    photo_id: int
    when: datetime
    flight_id: int | None = None


def _when() -> sa.ColumnElement:
    return sa.func.coalesce(photos.c.taken_at, photos.c.uploaded_at)


def _covering(site_id: int) -> sa.ColumnElement:
    return sa.and_(photo_sites.c.photo_id == photos.c.id, photo_sites.c.site_id == site_id,
                   photo_sites.c.relation == "covered")


def orthophotos_of(conn: sa.Connection, site_id: int) -> list[SiteImage]:
    """The orthophotos covering the site."""
    rows = conn.execute(sa.select(photos.c.id, _when()).join(photo_sites, _covering(site_id))
                        .where(photos.c.kind == ORTHOPHOTO))
    return [SiteImage(photo_id, when) for photo_id, when in rows]


def flight_photo_rows(conn: sa.Connection, site_id: int,
                      flight_id: int | None = None) -> list[sa.Row[Any]]:
    """(flight id, photo id, when) of the stored drone photos of flights covering the site
    (of one flight when given), by photo id."""
    stmt = (sa.select(received_files.c.flight_id, photos.c.id, _when())
            .join(photos, photos.c.id == received_files.c.photo_id)
            .join(photo_sites, _covering(site_id))
            .where(received_files.c.flight_id.is_not(None), received_files.c.state == "stored",
                   photos.c.kind == DRONE).order_by(photos.c.id))
    if flight_id is not None:
        stmt = stmt.where(received_files.c.flight_id == flight_id)
    return list(conn.execute(stmt).all())


def flights_of(conn: sa.Connection, site_id: int) -> list[SiteImage]:
    """The flights covering the site, each by its representative photo and earliest time."""
    found: dict[int, SiteImage] = {}
    for flight_id, photo_id, when in flight_photo_rows(conn, site_id):
        known = found.get(flight_id)
        if known is None:
            found[flight_id] = SiteImage(photo_id, when, flight_id)
        elif when < known.when:
            found[flight_id] = SiteImage(known.photo_id, when, flight_id)
    return list(found.values())


def images_of(conn: sa.Connection, site_id: int) -> list[SiteImage]:
    """The comparable images of the site, oldest first."""
    images = orthophotos_of(conn, site_id) + flights_of(conn, site_id)
    return sorted(images, key=lambda image: (image.when, image.photo_id))


def flight_of_photo(conn: sa.Connection, photo_id: int) -> int | None:
    """The flight a stored photo was uploaded with, if any."""
    return conn.execute(sa.select(received_files.c.flight_id).where(
        received_files.c.photo_id == photo_id, received_files.c.state == "stored",
        received_files.c.flight_id.is_not(None)).limit(1)).scalar()


def flight_photo_ids(conn: sa.Connection, site_id: int, flight_id: int) -> list[int]:
    """The ids of the flight's stored drone photos covering the site, by id."""
    return [photo_id for _, photo_id, _ in flight_photo_rows(conn, site_id, flight_id)]
