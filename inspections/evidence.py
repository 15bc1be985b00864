"""Which photos show a look-back round's sites inside its window: the round's evidence.
(geo.spatial, with shapely, numpy and pyproj, is imported for a case located by a point
only: `lookback tick` starts without them.)"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from imagery.schema import PHOTOS, photo_sites, photos
from inspections.clock import aware
from inspections.errors import NotFound
from inspections.schema import case_sites, cases, lookback_rounds

if TYPE_CHECKING:
    from shapely.geometry import Point

DEFAULT_RADIUS_M = 100.0


def photo_time(taken_at: datetime | None, taken_at_local: str | None,
               tz: ZoneInfo) -> datetime | None:
    """When a photo was taken: its aware time, else its wall time read in the zone `tz`."""
    if taken_at is not None:
        return aware(taken_at)
    if taken_at_local:
        return datetime.fromisoformat(taken_at_local).replace(tzinfo=tz)
    return None


def _site_candidates(case_id: int, radius_m: float) -> sa.Select:
    covered = sa.and_(photos.c.kind.in_(("drone", "orthophoto")),
                      photo_sites.c.relation == "covered")
    near = sa.and_(photos.c.kind == "field", photo_sites.c.relation == "near",
                   photo_sites.c.distance_m <= radius_m)
    return (sa.select(photos.c.id, photos.c.taken_at, photos.c.taken_at_local)
            .join(photo_sites, photo_sites.c.photo_id == photos.c.id)
            .join(case_sites, case_sites.c.site_id == photo_sites.c.site_id)
            .where(case_sites.c.case_id == case_id, sa.or_(covered, near)))


def _point_candidates(conn: sa.Connection, point: Point, radius_m: float) -> list[tuple]:
    from geo import spatial

    found = spatial.within_distance(conn, PHOTOS, point.x, point.y, radius_m,
                                    where=photos.c.kind == "field")
    return [(nb.feature["id"], nb.feature["taken_at"], nb.feature["taken_at_local"])
            for nb in found]


def _is_point(geom: object) -> bool:
    """Whether a case's geometry is a point (None for a case that has none)."""
    return getattr(geom, "geom_type", None) == "Point"


def _round_row(conn: sa.Connection, round_id: int) -> sa.RowMapping:
    row = conn.execute(sa.select(lookback_rounds).where(lookback_rounds.c.id == round_id)
                       ).mappings().first()
    if row is None:
        raise NotFound(f"look-back round {round_id}: no such round")
    return row


def match_evidence(conn: sa.Connection, *, round_id: int, tz: ZoneInfo,
                   radius_m: float = DEFAULT_RADIUS_M) -> list[int]:
    """Photo ids showing the round's case sites (drone/ortho covering them, field photos
    within `radius_m`), or field photos near a site-less case's point, taken in the window
    (a photo time without an offset read in the district's zone `tz`)."""
    rnd = _round_row(conn, round_id)
    has_sites = conn.execute(sa.select(sa.func.count()).select_from(case_sites)
                             .where(case_sites.c.case_id == rnd["case_id"])).scalar_one()
    if has_sites:
        rows = [tuple(r) for r in conn.execute(_site_candidates(rnd["case_id"], radius_m))]
    else:
        geom = conn.execute(sa.select(cases.c.geom).where(cases.c.id == rnd["case_id"])
                            ).scalar()
        rows = _point_candidates(conn, geom, radius_m) if _is_point(geom) else []
    start, end = aware(rnd["window_start"]), aware(rnd["window_end"])
    inside = {pid for pid, taken, local in rows
              if (when := photo_time(taken, local, tz)) is not None and start <= when <= end}
    return sorted(inside)
