"""Photos in the browser (照片): the list (filters in the URL, counted and paged by the
database, 50 a page) and one photo's page with its sites and the records it is evidence of.
Which photos a user sees is decided by web/services/visibility.py only."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from imagery.errors import PhotoNotFound
from imagery.schema import PHOTO_KINDS
from web.api.params import IdPath
from web.deps import CurrentUser, EngineDep, LangDep, get_clock
from web.i18n import t
from web.pages import photo_text  # noqa: F401  (registers `bureau_time`, `file_name`)
from web.pages.listing import Page, page_within
from web.pages.photo_filters import page_number, query_of, read_filters
from web.pages.record_pages import sort_url
from web.pages.render import error_page, render
from web.pages.review import REVIEWERS
from web.services import photo_links
from web.services.photos import count_photos, get_visible, list_photos

router = APIRouter(include_in_schema=False)


def map_link(site: dict[str, Any]) -> str:
    """The map flown to the site with its popup open (as a case's page links its sites)."""
    return "/map?" + urlencode({"site": site["code"]})


@router.get("/photos", response_class=HTMLResponse)
def photo_list(request: Request, engine: EngineDep, user: CurrentUser,
               lang: LangDep) -> Response:
    """The photos the user may see, by kind, dates, town, grid cell, site, uploader,
    position and text; newest taken first, 50 a page."""
    tz = get_clock(request).tz
    with engine.connect() as conn:
        cells = photo_links.grid_cells(conn)
        filters = read_filters(request, {code for code, _ in cells}, lang)
        total = count_photos(conn, user, query_of(filters, tz))
        number = page_within(page_number(request.query_params.get("page")), total)
        rows = list_photos(conn, user, query_of(filters, tz, number))
        links = photo_links.links_of(conn, user, [r["id"] for r in rows])
        uploaders = photo_links.uploaders(conn, user)
    return render(request, "photos.html", lang, user=user, page=Page(rows, total, number),
                  links=links, filters=filters, kinds=PHOTO_KINDS, cells=cells,
                  towns=sorted({town for _, town in cells if town}), uploaders=uploaders,
                  sort_url=sort_url(request, filters.oldest_first), map_link=map_link,
                  reviewer=user.role in REVIEWERS)


@router.get("/photos/{photo_id}", response_class=HTMLResponse)
def photo_page(photo_id: IdPath, request: Request, engine: EngineDep, user: CurrentUser,
               lang: LangDep) -> Response:
    """One photo: the larger image, its details, its sites (on the map) and the cases,
    tickets and rounds it is evidence of; 404 alike for a photo that does not exist and one
    the user may not see."""
    with engine.connect() as conn:
        try:
            row = get_visible(conn, user, photo_id)
        except PhotoNotFound:
            return error_page(request, 404, "not_found", t("photos.not_found", lang,
                                                           id=photo_id))
        links = photo_links.links_of(conn, user, [photo_id])[photo_id]
    return render(request, "photo.html", lang, user=user, photo=row, links=links,
                  map_link=map_link, reviewer=user.role in REVIEWERS,
                  back=_back(request))


def _back(request: Request) -> str:
    """The list the page was opened from, its filters kept (else the whole list)."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc == request.url.netloc and referer.path == "/photos":
        return f"/photos?{referer.query}" if referer.query else "/photos"
    return "/photos"
