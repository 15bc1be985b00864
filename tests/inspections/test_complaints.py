"""Complaints from the public: recording, linking to a case, counting, and refusals."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from inspections import audit
from inspections.actors import Actor
from inspections.clock import FixedClock
from inspections.complaints import count_complaints, link_complaint, record_complaint
from inspections.errors import InvalidInput, NotAllowed, NotFound
from inspections.schema import complaints
from tests.inspections.builders import new_case

ADMIN = Actor("admin", "admin")
CLOCK = FixedClock(datetime(2022, 9, 1, 2, 0, tzinfo=UTC))  # 10:00 on 1 September in China


def _record(conn: sa.Connection, **changes: object) -> int:
    values = {"actor": ADMIN, "clock": CLOCK, "received_on": date(2022, 8, 31),
              "channel": "hotline_12369", "summary": "河边夜间偷排废水"} | changes
    return record_complaint(conn, **values)


def _row(conn: sa.Connection, complaint_id: int) -> sa.RowMapping:
    return conn.execute(sa.select(complaints).where(complaints.c.id == complaint_id)
                        ).mappings().one()


def test_complaint_is_stored_with_position_and_case(engine: Engine) -> None:
    with engine.begin() as conn:
        case_id = new_case(conn, CLOCK)
        complaint_id = _record(conn, lon=121.405, lat=28.7, case_id=case_id,
                               received_on=date(2022, 9, 1))  # today in China
    with engine.connect() as conn:
        row = _row(conn, complaint_id)
        [entry] = audit.history(conn, "complaint", complaint_id)
    assert (row["received_on"], row["channel"], row["case_id"]) == (date(2022, 9, 1),
                                                                    "hotline_12369", case_id)
    assert (row["geom"].x, row["geom"].y) == (121.405, 28.7)
    assert (entry["action"], entry["data"]["case_id"]) == ("complaint.record", case_id)


def test_link_sets_and_replaces_the_case(engine: Engine) -> None:
    with engine.begin() as conn:
        first = new_case(conn, CLOCK)
        second = new_case(conn, CLOCK, reference="DC-2022-02")
        complaint_id = _record(conn)
        link_complaint(conn, complaint_id=complaint_id, case_id=first, actor=ADMIN,
                       clock=CLOCK)
        link_complaint(conn, complaint_id=complaint_id, case_id=second, actor=ADMIN,
                       clock=CLOCK)
        link_complaint(conn, complaint_id=complaint_id, case_id=second, actor=ADMIN,
                       clock=CLOCK)  # already linked: nothing to record
    with engine.connect() as conn:
        assert _row(conn, complaint_id)["case_id"] == second
        links = [e["data"] for e in audit.history(conn, "complaint", complaint_id)
                 if e["action"] == "complaint.link"]
    assert links == [{"from_case": None, "case_id": first},
                     {"from_case": first, "case_id": second}]


def test_count_includes_both_ends(engine: Engine) -> None:
    with engine.begin() as conn:
        for day in (date(2021, 12, 31), date(2022, 1, 1), date(2022, 6, 30), date(2022, 7, 1)):
            _record(conn, received_on=day, channel="web")
    with engine.connect() as conn:
        assert count_complaints(conn, start=date(2022, 1, 1), end=date(2022, 6, 30)) == 2
        assert count_complaints(conn, start=date(2021, 1, 1), end=date(2022, 12, 31)) == 4
        assert count_complaints(conn, start=date(2022, 7, 2), end=date(2022, 7, 2)) == 0
        with pytest.raises(InvalidInput, match="start 2022-07-02 is after end 2022-07-01"):
            count_complaints(conn, start=date(2022, 7, 2), end=date(2022, 7, 1))


@pytest.mark.parametrize(("changes", "message"), [
    ({"channel": "wechat"}, "channel 'wechat' is unknown"),
    ({"summary": " "}, "summary must not be empty"),
    ({"received_on": date(2022, 9, 2)}, "received_on 2022-09-02 is after today"),
    ({"received_on": "2022-08-31"}, "is not a date"),
    ({"lon": 121.4}, "lon and lat must be given together"),
    ({"lon": 200.0, "lat": 28.7}, "lon 200.0 is not a lon in degrees"),
    ({"lon": 121.4, "lat": float("nan")}, "lat nan is not a lat in degrees"),
])
def test_bad_input_is_named(engine: Engine, changes: dict, message: str) -> None:
    with engine.begin() as conn, pytest.raises(InvalidInput, match=message):
        _record(conn, **changes)


@pytest.mark.parametrize("role", ["inspector", "unit"])
def test_inspectors_and_units_do_not_record_or_link(engine: Engine, role: str) -> None:
    with engine.begin() as conn:
        case_id = new_case(conn, CLOCK)
        complaint_id = _record(conn)
        with pytest.raises(NotAllowed, match=f"complaint: role '{role}' may not"):
            _record(conn, actor=Actor("x", role))
        with pytest.raises(NotAllowed, match=f"complaint {complaint_id}: role '{role}'"):
            link_complaint(conn, complaint_id=complaint_id, case_id=case_id,
                           actor=Actor("x", role), clock=CLOCK)


def test_unknown_case_or_complaint_is_not_found(engine: Engine) -> None:
    with engine.begin() as conn:
        case_id = new_case(conn, CLOCK)
        complaint_id = _record(conn)
        with pytest.raises(NotFound, match="complaint: no case with id 999"):
            _record(conn, case_id=999)
        with pytest.raises(NotFound, match=f"complaint {complaint_id}: no case with id 999"):
            link_complaint(conn, complaint_id=complaint_id, case_id=999, actor=ADMIN,
                           clock=CLOCK)
        with pytest.raises(NotFound, match="complaint 999: no such complaint"):
            link_complaint(conn, complaint_id=999, case_id=case_id, actor=ADMIN, clock=CLOCK)
