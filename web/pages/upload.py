"""The upload page (phone first): take or choose photos, where they were taken, a note,
"problem found", and what happened to each file."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from geo import spatial
from geo.layers import GRID_CELLS
from web.deps import CurrentUser, DisplayDep, EngineDep, LangDep, SettingsDep
from web.i18n import messages_for
from web.pages.render import render
from web.pages.upload_area import offline_area

router = APIRouter(include_in_schema=False)
PAGE_MESSAGES = ("upload.", "flag.", "location.", "error.")
MB = 1024 * 1024


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request, engine: EngineDep, user: CurrentUser,
                lang: LangDep, crs: DisplayDep, settings: SettingsDep) -> Response:
    """The upload page; the map starts on the officer's grid cells (else the whole grid).
    A grid officer's page carries their cells and the sites near them (kept with the page
    by the service worker, for work with no signal) and the budget for basemap tiles."""
    with engine.connect() as conn:
        mine = list(user.grid_cell_ids) if user.role == "grid_officer" else None
        bounds = spatial.extent(conn, GRID_CELLS, mine)
        area = offline_area(conn, user, crs)
    if bounds is not None:
        bounds = (*crs.point_out(bounds[0], bounds[1]), *crs.point_out(bounds[2], bounds[3]))
    return render(request, "upload.html", lang, user=user, bounds=bounds,
                  messages=messages_for(lang, PAGE_MESSAGES),
                  mine=user.role == "grid_officer",
                  offline={"area": area,
                           "tileBytes": int(settings.offline_tile_mb * MB) if area else 0})
