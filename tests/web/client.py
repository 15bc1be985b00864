"""A signed-in TestClient: sign in through the login form, echo the CSRF token."""

from __future__ import annotations

import re
from datetime import datetime

from fastapi.testclient import TestClient

from inspections.clock import FixedClock
from web.app import create_app
from web.security import CSRF_COOKIE
from web.settings import Settings


def client_for(database_url: str, wall: datetime | None = None,
               **settings: object) -> TestClient:
    """A client of an app on this database (no redirects followed, so tests see them);
    `wall` sets the real time security counts by (sessions, lockouts, rate limits)."""
    app = create_app(Settings(database_url=database_url, **settings))
    if wall is not None:
        app.state.wall_clock = FixedClock(wall)
    return TestClient(app, follow_redirects=False)


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def csrf(client: TestClient) -> str:
    """The CSRF token a page gives this client (its session's once signed in), read from
    the page as the browser's scripts read it."""
    page = client.get("/login")
    assert CSRF_COOKIE in client.cookies
    return CSRF_META.search(page.text).group(1)


def sign_in(client: TestClient, name: str, password: str | None = None):  # noqa: ANN201
    """Post the login form; the response (303 on success)."""
    token = csrf(client)
    return client.post("/login", data={"name": name, "password": password or
                                       f"{name}-demo-2022", "csrf_token": token, "next": "/"})


def headers(client: TestClient) -> dict[str, str]:
    """Headers for a state-changing API request."""
    return {"X-CSRF-Token": csrf(client)}


def inside_town(url: str, town: str) -> tuple[float, float]:
    """A point inside the first grid cell of a town (by code)."""
    import sqlalchemy as sa

    from geo.db import create_engine
    from geo.layers import GRID_CELLS

    cells = GRID_CELLS.table
    engine = create_engine(url)
    with engine.connect() as conn:
        geom = conn.execute(sa.select(cells.c.geom).where(cells.c.town == town)
                            .order_by(cells.c.code)).scalars().first()
    engine.dispose()
    point = geom.representative_point()
    return point.x, point.y
