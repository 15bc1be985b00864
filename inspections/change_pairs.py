"""Which two images of a site change detection compares (变化检测影像对): orthophotos that
cover the site, the later one against the one before it. An image is "before" another when
it was taken (else uploaded) earlier."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from geo.schema import sites
from imagery.schema import photo_sites, photos
from inspections.errors import InvalidInput

COMPARABLE = ("orthophoto",)


class PairError(InvalidInput):
    """No pair of images can be compared for the site; `problem` says why (unknown_site,
    unknown_photo, not_orthophoto, not_covering, no_pair, same_photo)."""

    def __init__(self, message: str, problem: str, **fields: object) -> None:
        super().__init__(message)
        self.problem = problem
        self.fields = fields


@dataclass(frozen=True)
class Pair:
    """A site and the earlier and later image of it to compare."""

    site_id: int
    site_code: str
    before_photo_id: int
    after_photo_id: int


def _when() -> sa.ColumnElement:
    return sa.func.coalesce(photos.c.taken_at, photos.c.uploaded_at)


def covering(conn: sa.Connection, site_id: int) -> list[int]:
    """Ids of the orthophotos that cover the site, oldest first."""
    stmt = (sa.select(photos.c.id).join(photo_sites, photo_sites.c.photo_id == photos.c.id)
            .where(photo_sites.c.site_id == site_id, photo_sites.c.relation == "covered",
                   photos.c.kind.in_(COMPARABLE))
            .order_by(_when(), photos.c.id))
    return list(conn.execute(stmt).scalars())


def site_by_code(conn: sa.Connection, code: str) -> sa.RowMapping:
    """A site's row by its code; PairError "unknown_site" when there is none."""
    row = conn.execute(sa.select(sites).where(sites.c.code == code)).mappings().first()
    if row is None:
        raise PairError(f"site {code}: no such site", "unknown_site", site=code)
    return row


def _check_photo(conn: sa.Connection, photo_id: int, site: sa.RowMapping,
                 covers: list[int]) -> None:
    kind = conn.execute(sa.select(photos.c.kind).where(photos.c.id == photo_id)).scalar()
    if kind is None:
        raise PairError(f"photo {photo_id}: no such photo", "unknown_photo", photo=photo_id)
    if kind not in COMPARABLE:
        raise PairError(f"photo {photo_id}: a {kind} photo, not an orthophoto",
                        "not_orthophoto", photo=photo_id, site=site["code"])
    if photo_id not in covers:
        raise PairError(f"photo {photo_id}: does not cover site {site['code']}",
                        "not_covering", photo=photo_id, site=site["code"])


def choose_pair(conn: sa.Connection, site_code: str, *, before: int | None = None,
                after: int | None = None) -> Pair:
    """The images to compare for a site: those given, else the latest orthophoto covering it
    and the one before (or before the given after image); PairError naming what is wrong."""
    site = site_by_code(conn, site_code)
    covers = covering(conn, site["id"])
    for given in (before, after):
        if given is not None:
            _check_photo(conn, given, site, covers)
    if after is None:
        later = [p for p in covers if before is None or covers.index(p) > covers.index(before)]
        after = later[-1] if later else None
    if before is None and after is not None:
        earlier = covers[:covers.index(after)]
        before = earlier[-1] if earlier else None
    if before is None or after is None:
        raise PairError(f"site {site_code}: {len(covers)} orthophoto(s) cover it; change "
                        "detection needs an earlier and a later one", "no_pair",
                        site=site_code, covering=len(covers))
    if before == after:
        raise PairError(f"site {site_code}: photo {before} compared with itself",
                        "same_photo", site=site_code, photo=before)
    return Pair(site["id"], site["code"], before, after)


def pairs_after(conn: sa.Connection, photo_id: int) -> list[Pair]:
    """For a just-ingested orthophoto: each site it covers that an earlier orthophoto covers
    too, paired with the latest such earlier one (nothing for other photos)."""
    found = []
    rows = conn.execute(sa.select(sites.c.id, sites.c.code)
                        .join(photo_sites, photo_sites.c.site_id == sites.c.id)
                        .where(photo_sites.c.photo_id == photo_id,
                               photo_sites.c.relation == "covered").order_by(sites.c.code))
    for site_id, code in rows:
        covers = covering(conn, site_id)
        if photo_id in covers and covers.index(photo_id) > 0:
            found.append(Pair(site_id, code, covers[covers.index(photo_id) - 1], photo_id))
    return found


