"""Parts of the map's browser tests: a page at 360 or 1366 px in a context of its own
(geolocation granted when asked), boxes that must not overlap, the demo's towns."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from geo.db import create_engine
from geo.layers import GRID_CELLS
from tests.web.browser import PHONE

WIDTHS = ["1366", "360"]
BOUNDARIES_LOADED = "body[data-boundaries-loaded]:not([data-boundaries-loaded='0'])"


@contextmanager
def map_page(browser, width: str, **options: object) -> Iterator[object]:  # noqa: ANN001
    """A fresh page (its own cookies), Chinese locale, as a phone at 360 px or a desktop at
    1366 px; `options` go to the browser context (geolocation, permissions)."""
    if width == "360":
        options |= {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True,
                    "has_touch": True}
    else:
        options |= {"viewport": {"width": 1366, "height": 800}}
    context = browser.new_context(locale="zh-CN", **options)
    try:
        yield context.new_page()
    finally:
        context.close()


def overlap(a: dict, b: dict) -> bool:
    """Whether two bounding boxes share any area."""
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def tap(page, selector: str, width: str) -> None:  # noqa: ANN001
    """Tap on a phone, click on a desktop."""
    if width == "360":
        page.locator(selector).first.tap()
    else:
        page.locator(selector).first.click()


def town_names(url: str) -> set[str]:
    """The towns named by the grid cells."""
    engine = create_engine(url)
    t = GRID_CELLS.table
    with engine.connect() as conn:
        found = set(conn.execute(sa.select(t.c.town).distinct()).scalars()) - {None}
    engine.dispose()
    return found


def cell_count(url: str, town: str) -> int:
    """How many grid cells a town has."""
    engine = create_engine(url)
    t = GRID_CELLS.table
    with engine.connect() as conn:
        found = conn.execute(sa.select(sa.func.count()).where(t.c.town == town)).scalar_one()
    engine.dispose()
    return found
