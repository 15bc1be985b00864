"""The command line over the rectification work: cases, look-backs, tick, stats, audit."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from geo.db import create_engine
from inspections import cases
from inspections.actors import Actor
from inspections.clock import FixedClock
from inspections.schema import audit_log
from tests.web.cli import json_lines, run
from web.database import dispose_engines, engine_for, init_database
from web.settings import Settings

LEADER = Actor("li.ming", "leader")
CLOCK = FixedClock(datetime(2022, 3, 1, 8, 0, tzinfo=UTC))


def _case(database_url: str) -> int:
    engine = engine_for(Settings(database_url=database_url))  # keyed as the commands are
    init_database(engine)
    with engine.begin() as conn:
        case_id = cases.create_case(
            conn, actor=LEADER, clock=CLOCK, source="inspection_feedback",
            reference="DC-2022-01", title="镇级垃圾填埋场渗滤液收集不到位",
            description="无防渗、无渗滤液收集", responsible_unit="区综合行政执法局",
            deadline=date(2022, 12, 31), target="完成防渗和渗滤液收集改造",
            measures=["铺设防渗膜", "建设渗滤液收集池"])
    dispose_engines(database_url)
    return case_id


def test_cases_list_and_show(database_url: str) -> None:
    _case(database_url)
    env_now = {"LOOKBACK_NOW": "2022-09-01T00:00:00+08:00"}
    listed = json_lines(run(database_url, "cases", "list", "--json", **env_now).stdout)
    assert [(c["reference"], c["state"]) for c in listed] == [("DC-2022-01", "open")]
    assert listed[0]["progress"]["behind_schedule"] is True  # nothing done, 2/3 of the time
    shown = json_lines(run(database_url, "cases", "show", "DC-2022-01", "--json").stdout)[0]
    assert [m["text"] for m in shown["measures"]] == ["铺设防渗膜", "建设渗滤液收集池"]
    assert shown["history"][0]["action"].startswith("case.")
    missing = run(database_url, "cases", "show", "DC-1999-99", "--json")
    assert missing.exit_code == 1
    assert "DC-1999-99" in json_lines(missing.stdout)[0]["error"]


def test_stats_on_an_empty_year(database_url: str) -> None:
    result = run(database_url, "stats", "--year", "2022", "--json")
    assert result.exit_code == 0
    figures = json_lines(result.stdout)[0]
    assert figures["feedback"] == {"inspection": None, "first_opened": None, "total": 0,
                                   "rectified": 0, "closed": 0, "rectification_rate": None,
                                   "closure_rate": None, "in_progress": 0, "overdue": 0,
                                   "behind_schedule": 0}
    bad = run(database_url, "stats", "--year", "2022", "--month", "13", "--json")
    assert bad.exit_code == 1


def test_audit_verify_names_a_tampered_entry(database_url: str) -> None:
    _case(database_url)
    ok = run(database_url, "audit", "verify", "--json")
    assert (ok.exit_code, json_lines(ok.stdout)[0]["ok"]) == (0, True)
    engine = create_engine(database_url)
    with engine.begin() as conn:
        first = conn.execute(sa.select(sa.func.min(audit_log.c.id))).scalar()
        conn.execute(sa.update(audit_log).where(audit_log.c.id == first).values(actor="someone"))
    engine.dispose()
    broken = run(database_url, "audit", "verify", "--json")
    assert broken.exit_code == 1
    assert json_lines(broken.stdout)[0]["first_broken_id"] == first


def test_lookbacks_list_and_tick(database_url: str) -> None:
    assert json_lines(run(database_url, "lookbacks", "list", "--json").stdout) == []
    bad = run(database_url, "lookbacks", "list", "--due-before", "next week", "--json")
    assert bad.exit_code == 1
    assert "not a date" in json_lines(bad.stdout)[0]["error"]
    ticked = run(database_url, "tick", "--json", LOOKBACK_NOW="2022-06-01T00:00:00+00:00")
    assert ticked.exit_code == 0
    assert json_lines(ticked.stdout)[0]["at"].startswith("2022-06-01")
