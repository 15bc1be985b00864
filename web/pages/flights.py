"""The flight upload page (上传航飞照片, inspectors): a folder or many drone photos, the
flight's name and the look-back round or case it is for, uploaded a few at a time over tus,
then a summary from the database."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from web.deps import CurrentUser, EngineDep, LangDep
from web.i18n import messages_for
from web.pages.render import render
from web.services.flights import check_flier
from web.services.records import cases_for, rounds_for

router = APIRouter(include_in_schema=False)
PAGE_MESSAGES = ("flight.", "upload.reason.", "error.")
CONCURRENCY = 4  # files sent at once
CHUNK_BYTES = 8 * 1024 * 1024  # one PATCH: what a resume may have to send again


@router.get("/flights/new", response_class=HTMLResponse)
def new_flight_page(request: Request, engine: EngineDep, user: CurrentUser,
                    lang: LangDep) -> Response:
    """The form; rounds latest first, then cases, those the inspector sees."""
    check_flier(user)
    with engine.connect() as conn:
        rounds = sorted(rounds_for(conn, user), key=lambda r: (r.window_end, r.id),
                        reverse=True)
        cases = cases_for(conn, user)
    config = {"concurrency": CONCURRENCY, "chunk_size": CHUNK_BYTES}
    return render(request, "flights_new.html", lang, user=user, rounds=rounds, cases=cases,
                  config=config, messages=messages_for(lang, PAGE_MESSAGES))
