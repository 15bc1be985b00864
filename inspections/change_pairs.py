"""Which two images of a site change detection compares (变化检测影像对): orthophotos and drone
flights that cover the site (inspections/change_images.py), the later one against the one
before it. An image is "before" another when it was taken (else uploaded) earlier."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from geo.schema import sites
from imagery.schema import photo_sites, photos
from inspections.change_images import (
    DRONE,
    ORTHOPHOTO,
    SiteImage,
    flight_of_photo,
    images_of,
)
from inspections.errors import InvalidInput
from inspections.schema import received_files


class PairError(InvalidInput):
    """No pair of images can be compared for the site; `problem` says why (unknown_site,
    unknown_photo, not_orthophoto, no_flight, not_covering, no_pair, same_photo)."""

    def __init__(self, message: str, problem: str, **fields: object) -> None:
        super().__init__(message)
        self.problem = problem
        self.fields = fields


@dataclass(frozen=True)
class Pair:
    """A site and the earlier and later image of it to compare: photo ids (an orthophoto,
    or a flight's representative photo) and, for a flight, the flight's id."""

    site_id: int
    site_code: str
    before_photo_id: int
    after_photo_id: int
    before_flight_id: int | None = None
    after_flight_id: int | None = None

    def job_params(self) -> dict[str, int | None]:
        """The changes job's parameters for this pair."""
        return {"site_id": self.site_id, "before_photo_id": self.before_photo_id,
                "after_photo_id": self.after_photo_id,
                "before_flight_id": self.before_flight_id,
                "after_flight_id": self.after_flight_id}


def pair_of(site_id: int, code: str, before: SiteImage, after: SiteImage) -> Pair:
    """The pair comparing two images of a site."""
    return Pair(site_id, code, before.photo_id, after.photo_id, before.flight_id,
                after.flight_id)


def site_by_code(conn: sa.Connection, code: str) -> sa.RowMapping:
    """A site's row by its code; PairError "unknown_site" when there is none."""
    row = conn.execute(sa.select(sites).where(sites.c.code == code)).mappings().first()
    if row is None:
        raise PairError(f"site {code}: no such site", "unknown_site", site=code)
    return row


def _given_image(conn: sa.Connection, photo_id: int, site: sa.RowMapping,
                 images: list[SiteImage]) -> SiteImage:
    """The image a given photo id names: the orthophoto itself, or the flight of a drone
    photo; PairError when it names none covering the site."""
    kind = conn.execute(sa.select(photos.c.kind).where(photos.c.id == photo_id)).scalar()
    if kind is None:
        raise PairError(f"photo {photo_id}: no such photo", "unknown_photo", photo=photo_id)
    if kind not in (ORTHOPHOTO, DRONE):
        raise PairError(f"photo {photo_id}: a {kind} photo, neither an orthophoto nor a "
                        "drone flight's photo", "not_orthophoto", photo=photo_id,
                        site=site["code"])
    flight_id = None
    if kind == DRONE and (flight_id := flight_of_photo(conn, photo_id)) is None:
        raise PairError(f"photo {photo_id}: a drone photo uploaded with no flight",
                        "no_flight", photo=photo_id)
    for image in images:
        if (image.flight_id == flight_id if flight_id is not None
                else image.flight_id is None and image.photo_id == photo_id):
            return image
    raise PairError(f"photo {photo_id}: does not cover site {site['code']}",
                    "not_covering", photo=photo_id, site=site["code"])


def choose_pair(conn: sa.Connection, site_code: str, *, before: int | None = None,
                after: int | None = None) -> Pair:
    """The images to compare for a site: those the given photo ids name (a drone photo
    names its flight), else the latest image covering it and the one before (or before the
    given after image); PairError naming what is wrong."""
    site = site_by_code(conn, site_code)
    images = images_of(conn, site["id"])
    first = None if before is None else _given_image(conn, before, site, images)
    last = None if after is None else _given_image(conn, after, site, images)
    if last is None:
        later = [i for i in images if first is None or images.index(i) > images.index(first)]
        last = later[-1] if later else None
    if first is None and last is not None:
        earlier = images[:images.index(last)]
        first = earlier[-1] if earlier else None
    if first is None or last is None:
        raise PairError(f"site {site_code}: {len(images)} image(s) cover it; change "
                        "detection needs an earlier and a later one", "no_pair",
                        site=site_code, covering=len(images))
    if first == last:
        raise PairError(f"site {site_code}: photo {first.photo_id} compared with itself",
                        "same_photo", site=site_code, photo=first.photo_id)
    return pair_of(site["id"], site["code"], first, last)


def _pairs_for(conn: sa.Connection, site_rows: sa.Select,
               is_it: Callable[[SiteImage], bool]) -> list[Pair]:
    """For each site of `site_rows`: the image `is_it` picks paired with the one before."""
    found = []
    for site_id, code in conn.execute(site_rows.distinct().order_by(sites.c.code)):
        images = images_of(conn, site_id)
        at = next((k for k, image in enumerate(images) if is_it(image)), None)
        if at:  # not None, and an earlier image exists
            found.append(pair_of(site_id, code, images[at - 1], images[at]))
    return found


def pairs_after(conn: sa.Connection, photo_id: int) -> list[Pair]:
    """For a just-ingested orthophoto: each site it covers that an earlier image (an
    orthophoto or a flight) covers too, paired with the latest such earlier one (nothing
    for other photos)."""
    rows = (sa.select(sites.c.id, sites.c.code)
            .join(photo_sites, photo_sites.c.site_id == sites.c.id)
            .join(photos, photos.c.id == photo_sites.c.photo_id)
            .where(photo_sites.c.photo_id == photo_id, photo_sites.c.relation == "covered",
                   photos.c.kind == ORTHOPHOTO))
    return _pairs_for(conn, rows,
                      lambda image: image.flight_id is None and image.photo_id == photo_id)


def pairs_after_flight(conn: sa.Connection, flight_id: int) -> list[Pair]:
    """For a flight whose upload is complete: each site its stored drone photos cover that
    an earlier image covers too, paired with the latest such earlier one."""
    rows = (sa.select(sites.c.id, sites.c.code)
            .join(photo_sites, photo_sites.c.site_id == sites.c.id)
            .join(received_files, received_files.c.photo_id == photo_sites.c.photo_id)
            .join(photos, photos.c.id == photo_sites.c.photo_id)
            .where(received_files.c.flight_id == flight_id,
                   received_files.c.state == "stored", photos.c.kind == DRONE,
                   photo_sites.c.relation == "covered"))
    return _pairs_for(conn, rows, lambda image: image.flight_id == flight_id)
