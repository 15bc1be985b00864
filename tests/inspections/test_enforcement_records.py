"""Detentions with the number of persons; enforcement actions listed with their site, town
and case, filtered by kind, dates, town and text."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from shapely.geometry import Point
from sqlalchemy.engine import Engine

from geo import layers
from geo.layers import Feature
from inspections import audit
from inspections.actors import Actor
from inspections.clock import FixedClock
from inspections.enforcement import list_records, record_action
from inspections.errors import InvalidInput
from tests.inspections.builders import new_case

LEADER = Actor("li.ming", "leader")
CLOCK = FixedClock(datetime(2022, 9, 1, 2, 0, tzinfo=UTC))


def _record(conn: sa.Connection, **values: object) -> int:
    return record_action(conn, actor=LEADER, clock=CLOCK, **values)


def test_a_detention_keeps_its_persons_and_the_list_filters(engine: Engine) -> None:
    with engine.begin() as conn:
        layers.upsert(conn, layers.SITES, [Feature("QY-001", "东山化工有限公司",
                                                   Point(121.4, 28.7), kind="enterprise",
                                                   town="东山镇")], now=CLOCK.now())
        site_id = conn.execute(sa.text("SELECT id FROM sites")).scalar_one()
        case_id = new_case(conn, CLOCK, reference="XF-2022-07")
        held = _record(conn, kind="administrative_detention", decided_on=date(2022, 5, 6),
                       number="拘-2022-1", persons=3, site_id=site_id)
        _record(conn, kind="penalty_decision", decided_on=date(2022, 6, 1),
                number="台环罚〔2022〕1号", fine_yuan=Decimal("125000"), case_id=case_id)
        _record(conn, kind="criminal_case", decided_on=date(2022, 7, 1), number="刑-2022_1",
                persons=1)
    with engine.connect() as conn:
        every = list_records(conn)
        [entry] = audit.history(conn, "enforcement", held)
        assert [x.action.number for x in every] == ["刑-2022_1", "台环罚〔2022〕1号", "拘-2022-1"]
        detention = every[-1]
        assert (detention.action.persons, detention.site_code, detention.site_name,
                detention.town) == (3, "QY-001", "东山化工有限公司", "东山镇")
        assert every[1].case_reference == "XF-2022-07"
        assert entry["data"]["persons"] == 3
        assert [x.action.kind for x in list_records(conn, kind="penalty_decision")] == [
            "penalty_decision"]
        assert len(list_records(conn, start=date(2022, 5, 7), end=date(2022, 7, 1))) == 2
        assert [x.town for x in list_records(conn, town="东山镇")] == ["东山镇"]
        assert [x.action.number for x in list_records(conn, search="XF-2022")] == [
            "台环罚〔2022〕1号"]
        assert [x.action.number for x in list_records(conn, search="_")] == ["刑-2022_1"]


@pytest.mark.parametrize(("values", "message"), [
    ({"kind": "administrative_detention"}, "persons is required for a detention"),
    ({"kind": "criminal_case", "persons": 0}, "persons 0 is not a whole number from 1"),
    ({"kind": "criminal_case", "persons": True}, "persons True is not a whole number"),
    ({"kind": "police_referral", "persons": 2}, "persons is only for a detention"),
])
def test_persons_belong_to_detentions_only(engine: Engine, values: dict, message: str) -> None:
    with pytest.raises(InvalidInput, match=message), engine.begin() as conn:
        _record(conn, decided_on=date(2022, 5, 6), number="X-1", **values)
    with engine.connect() as conn:
        assert list_records(conn) == []
