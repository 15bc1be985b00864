"""The leaders' dashboard (领导驾驶舱): the report's figures computed live, with charts; every
number links to the list or map it counts."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

import sqlalchemy as sa
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from inspections import change_review, series, stats, tickets
from inspections.clock import Clock
from inspections.errors import NotAllowed
from inspections.palette import FLAG_COLOURS, LATE_ANSWER
from web.accounts.users import User
from web.deps import ClockDep, CurrentUser, EngineDep, LangDep
from web.i18n import t
from web.pages.charts import Chart, bar_chart, stacked_bar_chart
from web.pages.render import render
from web.services.records import tickets_for

router = APIRouter(include_in_schema=False)
READERS = ("leader", "admin")
OUTCOME_COLOURS = tuple(FLAG_COLOURS[k] for k in ("due", "passed", "recurred", "overdue"))


def link(path: str, **params: Any) -> str:
    """A link to a list or the map, filtered."""
    clean = {k: v for k, v in params.items() if v is not None}
    return f"{path}?{urlencode(clean)}" if clean else path


TICKET_COLOURS = {"answered": FLAG_COLOURS["passed"], "answered_late": LATE_ANSWER,
                  "open": FLAG_COLOURS["recurred"]}


def _charts(lang: str, year: int, figures: dict[str, Any], per_month: list[dict[str, int]],
            batches: list[tuple[int, int, int]]) -> dict[str, Chart]:
    lookbacks = figures["lookbacks"]
    outcome_keys = ("scheduled", "passed", "recurred", "overdue")
    map_flags = ("due", "passed", "recurred", "overdue")
    towns = figures["patrol_cases"]["by_town"]
    return {
        "per_month": stacked_bar_chart(
            [t("dash.month", lang, month=m) for m in range(1, 13)],
            [(t(f"dash.ticket_{k}", lang), colour, [m[k] for m in per_month])
             for k, colour in TICKET_COLOURS.items()],
            title=t("dash.per_month", lang),
            links=[link("/tickets", year=year, month=m) for m in range(1, 13)]),
        "per_batch": bar_chart([str(b) for b, _, _ in batches], [n for _, n, _ in batches],
                               title=t("dash.per_batch", lang),
                               links=[link("/cases", source="petition",
                                           inspection=figures["petitions"]["inspection"],
                                           batch=b) for b, _, _ in batches]),
        "outcomes": bar_chart([t(f"dash.{k}", lang) for k in outcome_keys],
                              [lookbacks[k] for k in outcome_keys],
                              title=t("dash.outcomes", lang), colours=OUTCOME_COLOURS,
                              links=[link("/map", flag=f) for f in map_flags]),
        "patrol": bar_chart(list(towns), list(towns.values()), title=t("dash.patrol", lang),
                            links=[link("/cases", source="patrol", town=x) for x in towns]),
    }


def overdue_tickets(conn: sa.Connection, user: User, year: int, clock: Clock) -> int:
    """The year's tickets overdue (as the ticket list's overdue filter judges them, on the same
    day), so the figure equals the length of the list it links to."""
    day = tickets.overdue_day(clock.today(), year)
    return sum(tickets.is_overdue(x, day, clock.tz) for x in tickets_for(conn, user, year=year))


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, engine: EngineDep, clock: ClockDep, user: CurrentUser,
              lang: LangDep,
              year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> Response:
    """The year's figures (this year by default), charts and links."""
    if user.role not in READERS:
        raise NotAllowed(f"dashboard: role {user.role!r} may not open it; only "
                         f"{' and '.join(READERS)}")
    year = year or clock.today().year
    with engine.connect() as conn:
        figures = stats.stats(conn, year=year, tz=clock.tz, now=clock.now())
        per_month = series.ticket_states_per_month(conn, year, clock.tz)
        batches = series.petitions_by_batch(conn, figures["petitions"]["inspection"])
        overdue = overdue_tickets(conn, user, year, clock)
        changes = change_review.precision(conn)
    return render(request, "dashboard.html", lang, user=user, year=year, f=figures,
                  overdue_tickets=overdue, changes=changes,
                  charts=_charts(lang, year, figures, per_month, batches), link=link)
