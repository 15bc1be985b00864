"""The supervision tickets list (督办单): filters in the URL (state, unit, year, month,
overdue, a search), sortable, 50 a page, as the dashboard's numbers link to it. The ticket's
own page and the issuing form live beside it (ticket_page, ticket_new)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from inspections import tickets
from inspections.tickets import Ticket
from web.deps import ClockDep, CurrentUser, EngineDep, LangDep
from web.pages import ticket_new, ticket_page
from web.pages.ledgers import export_url, importable
from web.pages.listing import paginate
from web.pages.render import render
from web.pages.ticket_forms import day_text
from web.services.records import tickets_for
from web.services.sites import names_of

router = APIRouter(include_in_schema=False)
router.include_router(ticket_new.router)  # /tickets/new before /tickets/{number}
router.include_router(ticket_page.router)

STATES = ("issued", "returned", "overdue", "responded", "verified")
SORTS: dict[str, Callable[[Ticket], object]] = {
    "number": lambda t: (t.issued_at.year, len(t.number), t.number),
    "unit": lambda t: t.responsible_unit,
    "issued": lambda t: t.issued_at,
    "deadline": lambda t: t.deadline,
    "state": lambda t: STATES.index(t.state) if t.state in STATES else len(STATES),
}


@dataclass(frozen=True)
class Filters:
    """What the list is filtered by, as the URL gives it."""

    state: str | None
    unit: str | None
    year: int | None
    month: int | None
    overdue: bool
    q: str


def _keep(t: Ticket, f: Filters, returned: set[int], day: date, tz: tzinfo,
          sites: dict[int, tuple[str, str]]) -> bool:
    if f.state == "returned" and t.id not in returned:
        return False
    if f.month is not None and t.issued_at.astimezone(tz).month != f.month:
        return False
    if f.overdue and not tickets.is_overdue(t, day, tz):
        return False
    site = " ".join(sites.get(t.site_id, ())) if t.site_id is not None else ""
    text = f"{t.number} {t.responsible_unit} {t.request} {t.copy_to_leader or ''} {site}"
    return not f.q or f.q.lower() in text.lower()


def number_in(value: str, low: int, high: int) -> int | None:
    """The whole number a filter field holds, if it is one between low and high."""
    value = value.strip()
    return int(value) if value.isascii() and value.isdigit() and low <= int(value) <= high else None


def sort_link(request: Request, column: str, current: str, descending: bool) -> str:
    """This list's URL sorted by a column (again on the sorted column: the other way)."""
    params = {k: v for k, v in request.query_params.items() if k not in ("sort", "dir", "page")}
    flip = column == current and not descending
    order = {"sort": column, "dir": "desc" if flip else "asc"}
    return f"{request.url.path}?{urlencode(params | order)}"


@router.get("/tickets", response_class=HTMLResponse)
def ticket_list(request: Request, engine: EngineDep, clock: ClockDep, user: CurrentUser,
                lang: LangDep, state: str | None = None, unit: str | None = None,
                year: str = "", month: str = "", overdue: str = "", q: str = "",
                sort: str = "number", dir: str = "asc",  # noqa: A002
                page: Annotated[int, Query(ge=1)] = 1) -> Response:
    """Tickets the user sees, filtered and sorted; overdue is judged as the dashboard does.
    A filter left empty (or not a number where one is wanted) filters nothing."""
    f = Filters(state if state in STATES else None, unit or None,
                number_in(year, 2000, 2100), number_in(month, 1, 12), overdue in ("1", "on"),
                q.strip())
    with engine.connect() as conn:
        everything = tickets_for(conn, user)
        returned = tickets.returned_ids(conn)
        sites = names_of(conn, {t.site_id for t in everything if t.site_id is not None})
    day = tickets.overdue_day(clock.today(), f.year)
    stored_state = "issued" if f.state == "returned" else f.state
    found = [t for t in everything
             if (stored_state is None or t.state == stored_state)
             and (f.unit is None or t.responsible_unit == f.unit)
             and (f.year is None or t.number.startswith(f"DB-{f.year}-"))
             and _keep(t, f, returned, day, clock.tz, sites)]
    sort = sort if sort in SORTS else "number"
    found.sort(key=SORTS[sort], reverse=dir == "desc")
    years = sorted({int(t.number.split("-")[1]) for t in everything}, reverse=True)
    return render(request, "tickets.html", lang, user=user, page=paginate(found, page),
                  f=f, states=STATES, units=sorted({t.responsible_unit for t in everything}),
                  years=years, returned=returned, today=clock.today(), sort=sort, sites=sites,
                  descending=dir == "desc", ledger_url=export_url(("tickets",)),
                  may_import_ledger=importable(user, ("tickets",)),
                  sort_link=lambda c: sort_link(request, c, sort, dir == "desc"),
                  day=lambda d: day_text(d, lang), may_issue=user.role in
                  ticket_new.ISSUING_ROLES, filtered=bool(request.query_params))
