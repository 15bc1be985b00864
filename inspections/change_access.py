"""Who may review a change polygon (变化图斑复核): a leader or an admin, or an inspector of
an agency that re-checks a case at the polygon's site (the same people who review its
look-back rounds). The one place that decides it."""

from __future__ import annotations

import sqlalchemy as sa

from inspections.actors import Actor
from inspections.errors import NotAllowed
from inspections.schema import case_sites, cases, lookback_rounds

ANY_SITE = ("leader", "admin")


def site_agencies(conn: sa.Connection, site_id: int) -> set[str]:
    """The agencies of the look-back rounds (and cases) at a site."""
    rounds = conn.execute(sa.select(lookback_rounds.c.agency).join(
        case_sites, case_sites.c.case_id == lookback_rounds.c.case_id)
        .where(case_sites.c.site_id == site_id)).scalars()
    own = conn.execute(sa.select(cases.c.lookback_agency).join(
        case_sites, case_sites.c.case_id == cases.c.id)
        .where(case_sites.c.site_id == site_id)).scalars()
    return {a for a in (*rounds, *own) if a}


def may_review(conn: sa.Connection, site_id: int, actor: Actor) -> bool:
    """Whether `actor` may confirm or dismiss change polygons at the site."""
    if actor.role in ANY_SITE:
        return True
    return (actor.role == "inspector" and actor.agency is not None
            and actor.agency in site_agencies(conn, site_id))


def check_reviewer(conn: sa.Connection, change_id: int, site_id: int, actor: Actor) -> None:
    """NotAllowed unless `actor` may review the change polygon."""
    if not may_review(conn, site_id, actor):
        raise NotAllowed(f"change polygon {change_id}: {actor.name} ({actor.role}) may not "
                         "review it; only an inspector of the site's look-back agency, a "
                         "leader or an admin may")
