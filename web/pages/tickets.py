"""The supervision tickets list (督办单), filtered as the dashboard's numbers link to it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from web.deps import ClockDep, CurrentUser, EngineDep, LangDep
from web.pages.render import render
from web.services.records import tickets_for

router = APIRouter(include_in_schema=False)


@router.get("/tickets", response_class=HTMLResponse)
def ticket_list(request: Request, engine: EngineDep, clock: ClockDep, user: CurrentUser,
                lang: LangDep, state: str | None = None,
                year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                month: Annotated[int | None, Query(ge=1, le=12)] = None) -> Response:
    """Tickets the user sees, by number (year and month of issue, in the district's zone)."""
    with engine.connect() as conn:
        found = tickets_for(conn, user, state=state or None, year=year)
    if month is not None:
        found = [t for t in found if t.issued_at.astimezone(clock.tz).month == month]
    return render(request, "tickets.html", lang, user=user, tickets=found)
