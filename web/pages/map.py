"""The map (回头看地图): a folium-built Leaflet page whose data comes from /api/map by
viewport; Leaflet is served by the app, the basemap is a setting (none by default)."""

from __future__ import annotations

import json
from typing import Any

import folium
import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from geo import spatial
from geo.importer.industries import INDUSTRIES
from geo.layers import GRID_CELLS, SITES
from inspections.schema import CASE_SOURCES
from inspections.site_flags import FLAGS
from web.deps import CurrentUser, DisplayDep, EngineDep, LangDep, SettingsDep
from web.display_crs import DisplayCrs
from web.i18n import messages_for, t
from web.security import csrf_token

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


def _panel(lang: str, towns: list[str]) -> str:
    def options(values: list[str], prefix: str | None) -> str:
        return "".join(f'<option value="{v}">{t(prefix + v, lang) if prefix else v}</option>'
                       for v in values)

    def select(name: str, values: list[str], prefix: str | None) -> str:
        return (f'<label>{t("map." + name, lang)}<select id="filter-{name}">'
                f'<option value="">{t("map.all", lang)}</option>{options(values, prefix)}'
                "</select></label>")

    return (
        '<div id="lb-bar"><a href="/">' + t("nav.home", lang) + '</a>'
        '<a href="/dashboard">' + t("nav.dashboard", lang) + '</a>'
        '<a href="/review">' + t("nav.review", lang) + "</a></div>"
        '<div id="lb-panel"><input id="search" type="search" placeholder="'
        + t("map.search", lang) + '" autocomplete="off"><ul id="search-results"></ul>'
        "<details id=\"filters\"><summary>" + t("map.filter", lang) + "</summary>"
        + select("town", towns, None) + select("industry", list(INDUSTRIES), "industry.")
        + select("source", list(CASE_SOURCES), "source.") + select("flag", list(FLAGS),
                                                                   "siteflag.")
        + "</details></div><div id=\"lb-legend\"></div>")


FILTERS = ("town", "industry", "source", "flag")


def build_map(settings: Any, lang: str, towns: list[str], bounds: list | None,
              csrf: str, preset: dict[str, str] | None = None) -> str:
    """The map page's HTML: a folium map, the panel, and the script that loads the data."""
    m = folium.Map(location=FALLBACK_CENTRE, zoom_start=11, tiles=None, control_scale=True,
                   prefer_canvas=False)
    m.default_js = [("leaflet", "/static/leaflet/leaflet.js")]
    m.default_css = [("leaflet_css", "/static/leaflet/leaflet.css")]
    if settings.basemap_url:
        folium.TileLayer(settings.basemap_url, attr="basemap", name="basemap").add_to(m)
    root = m.get_root()
    root.header.add_child(folium.Element(
        f'<meta name="csrf-token" content="{csrf}"><title>{t("map.title", lang)}</title>'))
    root.header.add_child(folium.CssLink("/static/app/map.css"))
    root.header.add_child(folium.JavascriptLink("/static/app/map.js"))
    root.html.add_child(folium.Element(_panel(lang, towns)))
    config = {"bounds": bounds, "messages": messages_for(lang, MESSAGES), "lang": lang,
              "flags": list(FLAGS), "preset": preset or {}}
    # After folium's own script has made the map (it comes later in the page).
    root.script.add_child(folium.Element(
        "document.addEventListener('DOMContentLoaded', function () { "
        f"lookbackMap({m.get_name()}, {json.dumps(config, ensure_ascii=False)}); }});"))
    html = root.render()
    return html.replace("<html>", f'<html lang="{"zh-CN" if lang == "zh" else "en"}">', 1)


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, engine: EngineDep, user: CurrentUser, lang: LangDep,
             settings: SettingsDep, crs: DisplayDep) -> Response:
    """The map every role opens; what it shows is scoped by the API to the user."""
    with engine.connect() as conn:
        towns, bounds = _towns(conn), _bounds(conn, crs)
    preset = {k: v for k, v in request.query_params.items() if k in FILTERS and v}
    return HTMLResponse(build_map(settings, lang, towns, bounds, csrf_token(request), preset))
