"""Complaints with their linked site, listed with filters; the migration that added the site
and the persons of a detention keeps the rows written before it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from shapely.geometry import Point
from sqlalchemy.engine import Engine

from geo import layers
from geo.db import create_engine
from geo.layers import Feature
from geo.migrate import current_revisions, upgrade
from inspections.actors import Actor
from inspections.clock import FixedClock
from inspections.complaints import list_complaints, record_complaint, towns
from inspections.errors import NotFound
from tests.conftest import ALL_VERSIONS
from tests.inspections.builders import new_case

CLERK = Actor("区生态环境分局信访室", "leader")
CLOCK = FixedClock(datetime(2022, 9, 1, 2, 0, tzinfo=UTC))


def _sites(conn: sa.Connection) -> dict[str, int]:
    layers.upsert(conn, layers.SITES, [
        Feature("QY-001", "东山化工有限公司", Point(121.40, 28.70), kind="enterprise",
                town="东山镇"),
        Feature("QY-002", "西岭印染厂", Point(121.45, 28.72), kind="enterprise", town="西岭街道"),
    ], now=CLOCK.now())
    rows = conn.execute(sa.text("SELECT code, id FROM sites")).all()
    return dict(rows)


def _record(conn: sa.Connection, day: date, channel: str, summary: str,
            **links: object) -> int:
    return record_complaint(conn, actor=CLERK, clock=CLOCK, received_on=day, channel=channel,
                            summary=summary, **links)


def test_listed_with_site_town_and_case_and_filtered(engine: Engine) -> None:
    with engine.begin() as conn:
        site = _sites(conn)
        case_id = new_case(conn, CLOCK, reference="XF-2022-07")
        _record(conn, date(2022, 6, 1), "hotline_12369", "东山化工夜间异味",
                site_id=site["QY-001"], case_id=case_id, lon=121.4, lat=28.7)
        _record(conn, date(2022, 7, 1), "web", "西岭印染厂废水_排放", site_id=site["QY-002"])
        _record(conn, date(2022, 8, 1), "letter", "某处噪声 100%")
    with engine.connect() as conn:
        every = list_complaints(conn)
        assert [c.summary for c in every] == ["某处噪声 100%", "西岭印染厂废水_排放",
                                              "东山化工夜间异味"]  # newest first
        first = every[-1]
        assert (first.site_code, first.site_name, first.town, first.case_reference,
                first.lon, first.lat) == ("QY-001", "东山化工有限公司", "东山镇", "XF-2022-07",
                                          121.4, 28.7)
        assert [c.channel for c in list_complaints(conn, channel="web")] == ["web"]
        assert len(list_complaints(conn, start=date(2022, 6, 2), end=date(2022, 8, 1))) == 2
        assert [c.town for c in list_complaints(conn, town="东山镇")] == ["东山镇"]
        assert [c.summary for c in list_complaints(conn, search="XF-2022")] == ["东山化工夜间异味"]
        found = list_complaints(conn, search="印染厂")
        assert [c.summary for c in found] == ["西岭印染厂废水_排放"]
        # LIKE's wildcards are searched as text
        assert [c.summary for c in list_complaints(conn, search="_")] == ["西岭印染厂废水_排放"]
        assert [c.summary for c in list_complaints(conn, search="100%")] == ["某处噪声 100%"]
        assert towns(conn) == ["东山镇", "西岭街道"]


def test_an_unknown_site_is_refused_and_nothing_stored(engine: Engine) -> None:
    with pytest.raises(NotFound, match="complaint: no site with id 999"), engine.begin() as conn:
        _record(conn, date(2022, 6, 1), "visit", "来访反映扬尘", site_id=999)
    with engine.connect() as conn:
        assert list_complaints(conn) == []


def test_0005_adds_site_and_persons_and_keeps_rows(database_url: str) -> None:
    engine = create_engine(database_url)
    upgrade(engine, ALL_VERSIONS, target="inspections_0004")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO complaints (received_on, channel, summary) "
                             "VALUES (:day, 'letter', '来信反映异味')"), {"day": date(2021, 5, 6)})
        conn.execute(sa.text("INSERT INTO enforcement_actions (kind, decided_on, number) "
                             "VALUES ('administrative_detention', :day, '拘-2021-1')"),
                     {"day": date(2021, 5, 7)})
    upgrade(engine, ALL_VERSIONS, target="inspections_0005")
    assert "inspections_0005" in current_revisions(engine)
    with engine.connect() as conn:
        complaint = conn.execute(sa.text("SELECT summary, site_id FROM complaints")).one()
        action = conn.execute(sa.text("SELECT number, persons FROM enforcement_actions")).one()
    assert tuple(complaint) == ("来信反映异味", None)
    assert tuple(action) == ("拘-2021-1", None)
    engine.dispose()
