"""The report's figures for a year or a month (leaders and admins)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from inspections import stats
from inspections.errors import NotAllowed
from web.deps import ClockDep, CurrentUser, EngineDep
from web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/stats", tags=["statistics"], responses=ERROR_RESPONSES)
READERS = ("leader", "admin")


@router.get("")
def figures(engine: EngineDep, clock: ClockDep, user: CurrentUser,
            year: Annotated[int, Query(ge=2000, le=2100)],
            month: Annotated[int | None, Query(ge=1, le=12)] = None,
            inspection: str | None = None) -> dict[str, Any]:
    """Organisation (meetings, instructions, leader-led checks), feedback problems,
    petitions, tickets, look-backs, patrol cases, complaints and enforcement, computed from
    the records."""
    if user.role not in READERS:
        raise NotAllowed(f"statistics: role {user.role!r} may not read them; only "
                         f"{' and '.join(READERS)}")
    with engine.connect() as conn:
        return stats.stats(conn, year=year, month=month, inspection=inspection,
                           tz=clock.tz, now=clock.now())
