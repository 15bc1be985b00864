"""The pages and the API are one set of routes per process, mounted by every app: each app
still serves its own database, clock and settings (web.deps reads them from the request)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from starlette.routing import Mount

from tests.web.client import client_for, sign_in
from web.accounts.users import add_user
from web.app import routes_app
from web.database import dispose_engines, engine_for, init_database
from web.settings import Settings

T0 = datetime(2022, 3, 1, 2, 0, tzinfo=UTC)


def _with_leader(url: str, name: str) -> str:
    engine = engine_for(Settings(database_url=url))
    init_database(engine)
    with engine.begin() as conn:
        add_user(conn, name=name, password=f"{name}-password", role="leader", now=T0)
    dispose_engines(url)
    return url


def test_two_apps_in_one_process_each_serve_their_own_database(database_url: str,
                                                                tmp_path: Path) -> None:
    first = client_for(_with_leader(database_url, "first.leader"), now="2022-04-06T10:00:00+08:00")
    second = client_for(_with_leader(f"sqlite:///{tmp_path / 'second.db'}", "second.leader"),
                        now="2022-09-30T10:00:00+08:00")
    mounted = [r.app for app in (first.app, second.app) for r in app.routes
               if isinstance(r, Mount) and r.path == ""]
    assert mounted == [routes_app(), routes_app()]  # one set of routes for both
    assert sign_in(first, "first.leader", "first.leader-password").status_code == 303
    assert sign_in(second, "second.leader", "second.leader-password").status_code == 303
    assert sign_in(client_for(database_url), "second.leader",
                   "second.leader-password").status_code == 401  # not in the first database
    assert "2022年4月6日" in first.get("/").text  # each app's own clock on its work desk
    assert "2022年9月30日" in second.get("/").text
