"""FastAPI builds an included router's routes (each one's dependencies and body model) when
the first request walks through it: 0.6-1.5 s of CPU in a fresh process, which the first
person to upload or open a page after a start would wait for. A served app walks every route
once as it starts, with a path that matches none, so the work is done before anyone comes."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.routing import BaseRoute, Mount

NO_PATH = "/\x00"  # a path no route matches: every router is walked to its end
SCOPE = {"type": "http", "path": NO_PATH, "root_path": "", "method": "GET", "headers": []}


def warm_routes(routes: Iterable[BaseRoute]) -> int:
    """Match `routes` (and those of every mounted app) against a path none of them takes;
    how many routes were walked."""
    walked = 0
    for route in routes:
        if isinstance(route, Mount):
            walked += warm_routes(route.routes)
        else:
            route.matches(dict(SCOPE))
            walked += 1
    return walked
