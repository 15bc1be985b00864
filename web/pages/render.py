"""Rendering pages: the templates, the message catalog in them, and the error page."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

from inspections.clock import aware
from web import basemaps
from web.deps import get_clock, get_engine, get_settings
from web.i18n import t
from web.jobs.views import active_count
from web.pages.listing import page_url
from web.pages.nav import nav_for
from web.pages.tones import tone
from web.security import CSRF_FIELD, csrf_token
from web.services.notifications import bell_of

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")


@pass_context
def local_time(context: Context, at: datetime | None) -> str:
    """A time as the district reads it (in the zone of the app's clock), to the minute."""
    return "" if at is None else aware(at).astimezone(context["tz"]).strftime("%Y-%m-%d %H:%M")


TEMPLATES.env.filters["local"] = local_time
TEMPLATES.env.filters["tone"] = tone


def render(request: Request, template: str, lang: str, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    """A page in `lang`, with `_` for messages and the CSRF token for forms."""
    def message(key: str, **values: object) -> str:
        return t(key, lang, **values)

    user = context.get("user")
    if user is not None and "nav" not in context:
        context["nav"] = nav_for(request, user.role)
        context.setdefault("bell", bell_of(get_engine(request), get_clock(request), user))
        context.setdefault("jobs_active", active_count(get_engine(request), user))
    context.setdefault("page_url", lambda number: page_url(request, number))
    return TEMPLATES.TemplateResponse(
        request, template, {"_": message, "lang": lang, "csrf": csrf_token(request),
                            "csrf_field": CSRF_FIELD, "tz": get_clock(request).tz,
                            "basemaps": basemaps.for_page(get_settings(request), lang),
                            "basemap_crs": get_settings(request).basemap_crs, **context},
        status_code=status_code)


def error_page(request: Request, status: int, kind: str, detail: str) -> HTMLResponse:
    """The error page: the catalog's message for the kind, and the detail."""
    from web.deps import get_lang

    lang = get_lang(request)
    key = {"csrf": "error.csrf", "not_allowed": "error.forbidden",
           "not_found": "error.not_found"}.get(kind)
    return render(request, "error.html", lang, status_code=status,
                  message=t(key, lang) if key else detail, detail=detail)
