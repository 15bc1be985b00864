"""Photo details as people read them: times as the bureau writes them (2022年4月6日 10:32)
in the district's zone, and a file's name without the folder it was uploaded from; the
`bureau_time` and `file_name` template filters (registered at import)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from jinja2 import pass_context
from jinja2.runtime import Context

from inspections.clock import aware
from web.i18n import t
from web.pages.render import TEMPLATES


def bureau_time(at: datetime, tz: ZoneInfo, lang: str) -> str:
    """An instant in zone `tz`, to the minute, as the bureau writes it in `lang`."""
    return t("photos.at", lang, at=aware(at).astimezone(tz))


@pass_context
def bureau_time_filter(context: Context, at: datetime | None) -> str:
    """`{{ photo.taken_at | bureau_time }}` in the page's zone and language ("" for none)."""
    return "" if at is None else bureau_time(at, context["tz"], context.get("lang", "zh"))


def file_name(name: str) -> str:
    """The last part of an uploaded file's name (a CLI import keeps the path it read)."""
    return name.replace("\\", "/").rsplit("/", 1)[-1] or name


TEMPLATES.env.filters["bureau_time"] = bureau_time_filter
TEMPLATES.env.filters["file_name"] = file_name
