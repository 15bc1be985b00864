"""A demo database keeps the demo's clock: the README's `lookback tick` on it changes nothing,
and pages read times in the app's zone. (Reads the scenario played once per process.)"""

from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa

from geo.db import create_engine
from inspections.schema import audit_log, lookback_rounds, tickets
from tests.scenario import Played
from tests.web.cli import json_lines, run
from tests.web.client import client_for, sign_in
from web import clock as web_clock
from web.clock import clock_for, demo_time
from web.database import engine_for
from web.settings import Settings

DEMO_NOW = "2022-12-20T10:00:00+08:00"


def _cli(played: Played, *args: str):  # noqa: ANN202
    """A command on the demo database without LOOKBACK_NOW, as the README's tour runs it."""
    return run(played.env["url"], *args, LOOKBACK_DATA_DIR=played.env["data"])


def _state(played: Played) -> tuple[list, list, int]:
    with create_engine(played.env["url"]).connect() as conn:
        rounds = conn.execute(sa.select(lookback_rounds.c.id, lookback_rounds.c.state)
                              .order_by(lookback_rounds.c.id)).all()
        issued = conn.execute(sa.select(tickets.c.id, tickets.c.state)
                              .order_by(tickets.c.id)).all()
        entries = conn.execute(sa.select(sa.func.count()).select_from(audit_log)).scalar_one()
    return rounds, issued, entries


def test_tick_on_the_demo_database_leaves_the_demo_unchanged(played: Played,
                                                             monkeypatch) -> None:  # noqa: ANN001
    settings = Settings(database_url=played.env["url"])
    # Checked first, so a clock that forgot the demo's time cannot tick the shared scenario on.
    assert demo_time(engine_for(settings)).isoformat() == DEMO_NOW
    assert clock_for(settings).now() == datetime.fromisoformat(DEMO_NOW)  # the same instant
    before = json_lines(_cli(played, "stats", "--year", "2022", "--json").stdout)
    state = _state(played)
    monkeypatch.setattr(web_clock, "_said", set())
    result = _cli(played, "tick", "--json")
    assert result.exit_code == 0, result.output
    [ticked] = json_lines(result.stdout)
    assert datetime.fromisoformat(ticked["at"]) == datetime.fromisoformat(DEMO_NOW)
    assert ticked["rounds"] == {"due": [], "awaiting_review": [], "overdue": [], "evidence": {}}
    assert ticked["tickets_escalated"] == []
    assert f"demo database: the clock is frozen at {DEMO_NOW}" in result.stderr
    assert json_lines(_cli(played, "stats", "--year", "2022", "--json").stdout) == before
    assert _state(played) == state


def test_lookback_now_overrides_the_demo_time(played: Played) -> None:
    """A read-only command: the open cases' time share depends on the time it runs at."""
    def shares(**env: str) -> dict[str, float]:
        result = run(played.env["url"], "cases", "list", "--state", "rectifying", "--json",
                     LOOKBACK_DATA_DIR=played.env["data"], **env)
        return {c["reference"]: c["progress"]["time_share"] for c in json_lines(result.stdout)}

    on_demo_day = shares()
    assert on_demo_day and on_demo_day == shares(LOOKBACK_NOW=DEMO_NOW)
    earlier = shares(LOOKBACK_NOW="2022-06-01T10:00:00+08:00")
    assert all(earlier[ref] <= share for ref, share in on_demo_day.items())
    assert any(earlier[ref] < share for ref, share in on_demo_day.items())


def test_pages_show_times_in_the_apps_zone(played: Played) -> None:
    """Tickets are issued at 09:xx in Shanghai; the same list in UTC shows 01:xx."""
    def issue_hours(zone: str) -> set[str]:
        client = client_for(played.env["url"], timezone=zone, data_dir=played.env["data"])
        assert sign_in(client, "leader").status_code == 303
        page = client.get("/tickets", params={"year": 2022, "month": 3}).text
        return set(re.findall(r"2022年3月\d+日 (\d\d):\d\d", page))

    assert issue_hours("Asia/Shanghai") == {"09"}
    assert issue_hours("UTC") == {"01"}
