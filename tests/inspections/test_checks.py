"""Unannounced and announced checks (明察暗访 / 督查): recorded with their photos and audited,
listed with filters, refused for bad input or a role that may not record them; the migration
that adds them keeps the rows written before it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from shapely.geometry import Point
from sqlalchemy.engine import Engine

from geo import layers
from geo.db import create_engine
from geo.layers import Feature
from geo.migrate import current_revisions, upgrade
from inspections import audit
from inspections.actors import Actor
from inspections.checks import get_check, list_checks, may_read, may_record, record_check
from inspections.clock import FixedClock
from inspections.errors import InvalidInput, NotAllowed, NotFound
from tests.conftest import ALL_VERSIONS
from tests.inspections.builders import new_case, photo_ids

LEADER = Actor("王督查", "leader")
CLOCK = FixedClock(datetime(2022, 9, 1, 2, 0, tzinfo=UTC))  # 10:00 on 1 September in China


def _sites(conn: sa.Connection) -> dict[str, int]:
    layers.upsert(conn, layers.SITES, [
        Feature("LF-001", "前岙垃圾填埋场", Point(121.40, 28.70), kind="landfill", town="东山镇"),
        Feature("QY-002", "西岭印染厂", Point(121.45, 28.72), kind="enterprise", town="西岭街道"),
    ], now=CLOCK.now())
    return dict(conn.execute(sa.text("SELECT code, id FROM sites")).all())


def _record(conn: sa.Connection, site_id: int, **changes: object) -> int:
    values = {"actor": LEADER, "clock": CLOCK, "kind": "unannounced",
              "checked_on": date(2022, 8, 30), "organiser": "区委督查室", "site_id": site_id,
              "findings": "渗滤液调节池满溢，未及时外运", "problems_found": True} | changes
    return record_check(conn, **values)


def test_a_check_is_stored_with_its_photos_and_audited(engine: Engine, tmp_path: Path) -> None:
    taken = photo_ids(engine, tmp_path, 2)
    with engine.begin() as conn:
        site = _sites(conn)
        case_id = new_case(conn, CLOCK, reference="DC-2022-09")
        check_id = _record(conn, site["LF-001"], case_id=case_id, photo_ids=[*taken, taken[0]])
    with engine.connect() as conn:
        check = get_check(conn, check_id)
        [entry] = audit.history(conn, "check", check_id)
    assert (check.kind, check.checked_on, check.organiser, check.problems_found) == (
        "unannounced", date(2022, 8, 30), "区委督查室", True)
    assert (check.site_code, check.site_name, check.town, check.case_reference) == (
        "LF-001", "前岙垃圾填埋场", "东山镇", "DC-2022-09")
    assert check.photo_ids == tuple(sorted(taken)) and check.recorded_by == "王督查"
    assert (entry["action"], entry["actor"], entry["data"]["photo_ids"]) == (
        "check.record", "王督查", taken)


def test_listed_newest_first_and_filtered(engine: Engine) -> None:
    with engine.begin() as conn:
        site = _sites(conn)
        _record(conn, site["LF-001"], checked_on=date(2022, 6, 1), findings="覆土不到位")
        _record(conn, site["QY-002"], kind="announced", checked_on=date(2022, 7, 1),
                organiser="区整改协调小组", findings="废水_排放口 100% 合规",
                problems_found=False)
        _record(conn, site["LF-001"], checked_on=date(2022, 8, 1), findings="回头看无反弹",
                problems_found=False)
    with engine.connect() as conn:
        assert [c.findings for c in list_checks(conn)] == [
            "回头看无反弹", "废水_排放口 100% 合规", "覆土不到位"]
        assert [c.checked_on.month for c in list_checks(conn, oldest_first=True)] == [6, 7, 8]
        assert [c.kind for c in list_checks(conn, kind="announced")] == ["announced"]
        assert len(list_checks(conn, town="东山镇")) == 2
        assert len(list_checks(conn, start=date(2022, 6, 15), end=date(2022, 7, 31))) == 1
        assert [c.organiser for c in list_checks(conn, search="协调")] == ["区整改协调小组"]
        assert len(list_checks(conn, search="前岙")) == 2  # the site's name
        assert len(list_checks(conn, search="_")) == 1  # a wildcard is a character
        assert len(list_checks(conn, search="100%")) == 1


@pytest.mark.parametrize(("changes", "error", "words"), [
    ({"kind": "secret"}, InvalidInput, "kind 'secret' is unknown"),
    ({"checked_on": date(2022, 9, 2)}, InvalidInput, "is after today (2022-09-01)"),
    ({"checked_on": "2022-08-30"}, InvalidInput, "is not a date"),
    ({"findings": "  "}, InvalidInput, "findings must not be empty"),
    ({"organiser": ""}, InvalidInput, "organiser must not be empty"),
    ({"findings": "问" * 4001}, InvalidInput, "findings is longer than 4000"),
    ({"problems_found": "yes"}, InvalidInput, "is not true or false"),
    ({"site_id": 9999}, NotFound, "no site with id 9999"),
    ({"case_id": 9999}, NotFound, "no case with id 9999"),
    ({"photo_ids": [9999]}, NotFound, "no photo with id 9999"),
    ({"actor": Actor("li.unit", "unit", unit="东山镇人民政府")}, NotAllowed,
     "role 'unit' may not record checks"),
    ({"actor": Actor("zhou.ping", "grid_officer")}, NotAllowed, "may not record checks"),
])
def test_bad_input_is_refused_and_nothing_is_stored(engine: Engine, changes: dict,
                                                    error: type, words: str) -> None:
    with engine.begin() as conn:
        site = _sites(conn)
    pattern = words.replace("(", r"\(").replace(")", r"\)")
    with pytest.raises(error, match=pattern), engine.begin() as conn:
        _record(conn, **({"site_id": site["LF-001"]} | changes))
    with engine.connect() as conn:
        assert list_checks(conn) == []
        assert conn.execute(sa.text("SELECT count(*) FROM audit_log WHERE entity = 'check'")
                            ).scalar() == 0


def test_who_may_record_and_read() -> None:
    assert [r for r in ("grid_officer", "inspector", "unit", "leader", "admin")
            if may_record(r)] == ["inspector", "leader", "admin"]
    assert [r for r in ("grid_officer", "inspector", "unit", "leader", "admin")
            if may_read(r)] == ["inspector", "leader", "admin"]


def test_an_unknown_check_is_not_found(engine: Engine) -> None:
    with engine.connect() as conn, pytest.raises(NotFound, match="check 42: no such check"):
        get_check(conn, 42)


def test_0007_adds_checks_and_keeps_the_rows(database_url: str) -> None:
    engine = create_engine(database_url)
    upgrade(engine, ALL_VERSIONS, target="inspections_0006")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO complaints (received_on, channel, summary) "
                             "VALUES (:day, 'letter', '来信反映异味')"), {"day": date(2021, 5, 6)})
    upgrade(engine, ALL_VERSIONS, target="inspections_0007")
    assert "inspections_0007" in current_revisions(engine)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT summary FROM complaints")).scalar() == "来信反映异味"
        assert conn.execute(sa.text("SELECT count(*) FROM checks")).scalar() == 0
    engine.dispose()


def test_0008_lets_tickets_name_their_site_and_check_and_keeps_the_rows(
        database_url: str) -> None:
    engine = create_engine(database_url)
    upgrade(engine, ALL_VERSIONS, target="inspections_0007")
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO tickets (number, responsible_unit, deadline, request, state, "
            "issued_at, issued_by) VALUES ('DB-2022-0001', '某镇', :day, '清理堆场', 'issued', "
            ":at, 'leader')"), {"day": date(2022, 6, 15), "at": datetime(2022, 6, 1, tzinfo=UTC)})
    upgrade(engine, ALL_VERSIONS, target="inspections_0008")
    assert "inspections_0008" in current_revisions(engine)
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT number, site_id, check_id FROM tickets")).one()
    assert tuple(row) == ("DB-2022-0001", None, None)
    engine.dispose()
