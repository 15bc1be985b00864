"""The map (回头看地图): a Leaflet page whose data comes from /api/map by viewport; Leaflet
is served by the app, the basemaps are settings (none by default: the town boundaries
dissolved from the grid cells give the map its places). The page is a template;
its script reads its configuration from a JSON data island."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from geo import spatial
from geo.importer.industries import INDUSTRIES
from geo.layers import GRID_CELLS, SITES
from inspections import palette, tickets
from inspections.schema import CASE_SOURCES
from inspections.site_flags import FLAGS
from web.deps import CurrentUser, DisplayDep, EngineDep, LangDep, SettingsDep
from web.display_crs import DisplayCrs
from web.i18n import messages_for, t
from web.pages.render import render

router = APIRouter(include_in_schema=False)
MESSAGES = ("map.", "siteflag.", "source.", "state.", "round.", "kind.", "industry.", "nav.")
FALLBACK_CENTRE = (28.7, 121.4)


def _towns(conn: sa.Connection) -> list[str]:
    t_ = GRID_CELLS.table
    return [x for x in conn.execute(sa.select(t_.c.town).distinct().order_by(t_.c.town))
            .scalars() if x]


def _bounds(conn: sa.Connection, crs: DisplayCrs) -> list[list[float]] | None:
    box = spatial.extent(conn, GRID_CELLS) or spatial.extent(conn, SITES)
    if box is None:
        return None
    (x0, y0), (x1, y1) = crs.point_out(box[0], box[1]), crs.point_out(box[2], box[3])
    return [[y0, x0], [y1, x1]]


FILTERS = ("town", "industry", "source", "flag")


def _filters(lang: str, towns: list[str]) -> list[dict[str, Any]]:
    """The filter panel's selects: each a name and its (value, label) options."""
    def coded(values: list[str], prefix: str) -> list[tuple[str, str]]:
        return [(v, t(prefix + v, lang)) for v in values]

    return [{"name": "town", "options": [(v, v) for v in towns]},
            {"name": "industry", "options": coded(list(INDUSTRIES), "industry.")},
            {"name": "source", "options": coded(list(CASE_SOURCES), "source.")},
            {"name": "flag", "options": coded(list(FLAGS), "siteflag.")}]


def map_config(settings: Any, lang: str, bounds: list | None, preset: dict[str, str],
               may_issue: bool = False, focus: str | None = None,
               own_cells: bool = False) -> dict[str, Any]:
    """What the page's script needs, sent as a JSON data island (never as script text);
    `may_issue`: the popup offers to issue a supervision ticket on the site; `focus`: the
    code of a site to fly to and open (a link from a case's page); `own_cells`: the user is
    a grid officer bound to cells, outlined on the map."""
    return {"bounds": bounds, "centre": FALLBACK_CENTRE, "zoom": 11,
            "messages": messages_for(lang, MESSAGES),
            "lang": lang, "flags": list(FLAGS), "preset": preset, "mayIssue": may_issue,
            "focus": focus, "colours": palette.for_map(), "ownCells": own_cells,
            "crs": settings.basemap_crs}


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, engine: EngineDep, user: CurrentUser, lang: LangDep,
             settings: SettingsDep, crs: DisplayDep) -> Response:
    """The map every role opens; what it shows is scoped by the API to the user."""
    with engine.connect() as conn:
        towns, bounds = _towns(conn), _bounds(conn, crs)
    preset = {k: v for k, v in request.query_params.items() if k in FILTERS and v}
    return render(request, "map.html", lang, user=user, filters=_filters(lang, towns),
                  preset=preset, config=map_config(
                      settings, lang, bounds, preset, may_issue=tickets.may_issue(user.role),
                      focus=request.query_params.get("site") or None,
                      own_cells=user.role == "grid_officer" and bool(user.grid_cell_ids)))
