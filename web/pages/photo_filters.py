"""The photo list's filters read from the URL (照片筛选): what the form shows again, the
query for the service, and a note in the reader's language for each value that was not
understood and so left out (a bad date, an unknown kind or grid cell), never an error page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi import Request

from imagery.schema import PHOTO_KINDS
from inspections.clock import day_start
from web.i18n import t
from web.pages.listing import PER_PAGE
from web.services.photos import PhotoQuery

TEXT_FIELDS = ("town", "cell", "site", "uploader", "q")
DAY_FIELDS = ("start", "end", "uploaded")


@dataclass(frozen=True)
class PhotoFilters:
    """The filters as the form shows them, the notes on values left out, the order."""

    values: dict[str, str]
    notes: list[str]
    oldest_first: bool
    unlocated: bool


def _day(values: dict[str, str], name: str, notes: list[str], lang: str) -> date | None:
    text = values.get(name, "")
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        notes.append(t("photos.bad_date", lang, field=t(f"photos.{name}", lang), value=text))
        values[name] = ""
        return None


def _end_of(day: date | None, tz: ZoneInfo) -> datetime | None:
    """The last instant of a local day (the service's bounds are inclusive)."""
    if day is None:
        return None
    return day_start(day + timedelta(days=1), tz) - timedelta(microseconds=1)


def _start_of(day: date | None, tz: ZoneInfo) -> datetime | None:
    return None if day is None else day_start(day, tz)


def read_filters(request: Request, cells: set[str], lang: str) -> PhotoFilters:
    """The filters in the URL; an unknown kind or grid cell or a bad date is left out, with
    a note saying so."""
    params = request.query_params
    values = {name: params.get(name, "").strip() for name in (*TEXT_FIELDS, *DAY_FIELDS)}
    values["kind"] = params.get("kind", "").strip()
    notes: list[str] = []
    if values["kind"] and values["kind"] not in PHOTO_KINDS:
        notes.append(t("photos.bad_kind", lang, value=values["kind"]))
        values["kind"] = ""
    if values["cell"] and values["cell"] not in cells:
        notes.append(t("photos.bad_cell", lang, value=values["cell"]))
        values["cell"] = ""
    for name in DAY_FIELDS:
        _day(values, name, notes, lang)
    return PhotoFilters(values, notes, params.get("sort") == "oldest",
                        params.get("unlocated") == "1")


def query_of(filters: PhotoFilters, tz: ZoneInfo, number: int = 1,
             per_page: int = PER_PAGE) -> PhotoQuery:
    """The service's query for the filters (their days in the district's zone), at page
    `number`."""
    v = filters.values
    days = {name: date.fromisoformat(v[name]) if v[name] else None for name in DAY_FIELDS}
    return PhotoQuery(
        start=_start_of(days["start"], tz), end=_end_of(days["end"], tz),
        grid_cell=v["cell"] or None, kind=v["kind"] or None, town=v["town"] or None,
        site_text=v["site"] or None, uploader=v["uploader"] or None,
        uploaded_from=_start_of(days["uploaded"], tz),
        uploaded_to=_end_of(days["uploaded"], tz), unlocated=filters.unlocated,
        text=v["q"] or None, oldest_first=filters.oldest_first, limit=per_page,
        offset=(number - 1) * per_page)


def page_number(text: str | None) -> int:
    """The page asked for (1 when it is missing or not a positive number)."""
    try:
        return max(1, int(text or "1"))
    except ValueError:
        return 1
