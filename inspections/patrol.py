"""Patrol findings (网格员巡查): a grid officer's photo of a problem opens a patrol case, and
a new photo is matched to the cases it could be evidence for."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa

from imagery.schema import photo_sites, photos
from inspections import audit
from inspections.actors import Actor
from inspections.cases import create_case, link_photos
from inspections.clock import Clock
from inspections.errors import InvalidInput, NotAllowed, NotFound
from inspections.schema import case_sites, cases, lookback_rounds

OPEN_ROLES = ("grid_officer", "inspector", "admin", "system")
LIVE_CASE_STATES = ("open", "rectifying", "rectified", "accepted", "assessed", "publicised")
PENDING_ROUND_STATES = ("scheduled", "due", "awaiting_review", "overdue")
REFERENCE_PREFIX = "XC"


def town_unit(town: str) -> str:
    """The government office of a town (镇人民政府) or street office (街道办事处): the unit
    responsible for what a patrol finds there."""
    return f"{town}{'人民政府' if town.endswith('镇') else '办事处'}"


def _photo(conn: sa.Connection, photo_id: int) -> sa.RowMapping:
    row = conn.execute(sa.select(photos.c.id, photos.c.geom, photos.c.grid_cell_id)
                       .where(photos.c.id == photo_id)).mappings().first()
    if row is None:
        raise NotFound(f"photo {photo_id}: no such photo")
    return row


def _check_radius(radius_m: float) -> None:
    if isinstance(radius_m, bool) or not isinstance(radius_m, int | float) or \
            not 0 <= radius_m < float("inf"):
        raise InvalidInput(f"radius_m {radius_m!r}: must be a distance in metres, 0 or more")


def _nearest_site(conn: sa.Connection, photo_id: int, radius_m: float) -> int | None:
    ps = photo_sites
    row = conn.execute(sa.select(ps.c.site_id).where(
        ps.c.photo_id == photo_id, ps.c.relation == "near", ps.c.distance_m <= radius_m)
        .order_by(ps.c.distance_m, ps.c.site_id).limit(1)).first()
    return None if row is None else row[0]


def next_reference(conn: sa.Connection, year: int) -> str:
    """The next free patrol case reference of a year, "XC-2022-0001" onwards (under the
    writers' lock, so two officers reporting at once get different numbers)."""
    audit.serialise(conn)
    prefix = f"{REFERENCE_PREFIX}-{year}-"
    taken = conn.execute(sa.select(cases.c.reference)
                         .where(cases.c.reference.like(f"{prefix}%"))).scalars()
    numbers = [int(r[len(prefix):]) for r in taken if r[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _check_actor(actor: Actor, photo: sa.RowMapping,
                 allowed_cells: Sequence[int] | None) -> None:
    label = f"photo {photo['id']}"
    if actor.role not in OPEN_ROLES:
        raise NotAllowed(f"{label}: role {actor.role!r} may not open patrol cases")
    if allowed_cells is not None and photo["grid_cell_id"] not in set(allowed_cells):
        where = ("is in no grid cell" if photo["grid_cell_id"] is None
                 else f"is in grid cell {photo['grid_cell_id']}")
        raise NotAllowed(f"{label}: {where}, not one of {actor.name}'s grid cells")


def open_patrol_case(conn: sa.Connection, *, photo_id: int, actor: Actor, clock: Clock,
                     title: str, description: str, responsible_unit: str, deadline: date,
                     radius_m: float = 100.0, allowed_cells: Sequence[int] | None = None,
                     target: str | None = None) -> int:
    """Open a patrol case at a problem photo's position, linked to the nearest site within
    radius_m and with the photo as evidence; the case id."""
    photo = _photo(conn, photo_id)
    _check_actor(actor, photo, allowed_cells)
    _check_radius(radius_m)
    geom = photo["geom"]
    if geom is None or geom.is_empty:
        raise InvalidInput(f"photo {photo_id}: has no location, so no patrol case can be "
                           "placed; set its position first")
    point = geom if geom.geom_type == "Point" else geom.representative_point()
    site_id = _nearest_site(conn, photo_id, radius_m)
    reference = next_reference(conn, clock.today().year)
    case_id = create_case(conn, actor=actor, clock=clock, source="patrol", reference=reference,
                          title=title, description=description,
                          responsible_unit=responsible_unit, deadline=deadline,
                          target=target if target is not None else title,
                          site_ids=() if site_id is None else (site_id,),
                          lon=point.x, lat=point.y)
    link_photos(conn, case_id=case_id, photo_ids=[photo_id], purpose="patrol", actor=actor,
                clock=clock)
    return case_id


def _site_distances(conn: sa.Connection, photo_id: int, radius_m: float) -> dict[int, float]:
    """Sites the photo shows: near it within radius_m, or covered by it (0 m)."""
    ps = photo_sites
    rows = conn.execute(sa.select(ps.c.site_id, ps.c.relation, ps.c.distance_m).where(
        ps.c.photo_id == photo_id,
        sa.or_(ps.c.relation == "covered",
               sa.and_(ps.c.relation == "near", ps.c.distance_m <= radius_m))))
    found: dict[int, float] = {}
    for site_id, relation, distance in rows:
        d = 0.0 if relation == "covered" or distance is None else float(distance)
        found[site_id] = min(d, found.get(site_id, d))
    return found


def _watched(conn: sa.Connection, site_ids: list[int]) -> list[tuple[int, int]]:
    """(case id, site id) of live cases, and closed ones with a look-back still pending."""
    pending = sa.exists().where(lookback_rounds.c.case_id == cases.c.id,
                                lookback_rounds.c.state.in_(PENDING_ROUND_STATES))
    stmt = (sa.select(cases.c.id, case_sites.c.site_id)
            .join(case_sites, case_sites.c.case_id == cases.c.id)
            .where(case_sites.c.site_id.in_(site_ids),
                   sa.or_(cases.c.state.in_(LIVE_CASE_STATES),
                          sa.and_(cases.c.state == "closed", pending))))
    return [tuple(r) for r in conn.execute(stmt)]


def suggest_cases(conn: sa.Connection, *, photo_id: int, radius_m: float = 100.0) -> list[int]:
    """Ids of the cases a photo could be evidence for, nearest site first (then by id)."""
    _photo(conn, photo_id)
    _check_radius(radius_m)
    distances = _site_distances(conn, photo_id, radius_m)
    if not distances:
        return []
    best: dict[int, float] = {}
    for case_id, site_id in _watched(conn, list(distances)):
        best[case_id] = min(distances[site_id], best.get(case_id, float("inf")))
    return sorted(best, key=lambda c: (best[c], c))
