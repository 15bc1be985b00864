"""Supervision tickets: numbering, copies to the leader, respond, verify, escalate, refusals."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine

from inspections import audit, lookbacks, tickets
from inspections.actors import SYSTEM, Actor
from inspections.clock import DEFAULT_TZ, FixedClock
from inspections.errors import (
    IllegalTransition,
    InvalidInput,
    MissingEvidence,
    NotAllowed,
    NotFound,
)
from tests.geo import sample
from tests.inspections.lookback_builders import (
    ADMIN,
    CLOSED_AT,
    GRID_OFFICER,
    INSPECTOR,
    LEADER,
    OTHER_UNIT,
    TOWN,
    TOWN_UNIT,
    closed_case,
    field_photo,
    ingest_photos,
)

CN = ZoneInfo("Asia/Shanghai")
T0 = datetime(2022, 6, 1, 9, 0, tzinfo=CN)
DEADLINE = date(2022, 6, 16)


@pytest.fixture
def layered(engine: Engine) -> Engine:
    """The engine with the sample sites (cases link to the landfill LF1)."""
    sample.load(engine)
    return engine


def _issue(engine: Engine, *, actor: Actor = INSPECTOR, when: datetime = T0,
           deadline: date = DEADLINE, **extra: object) -> int:
    values = {"responsible_unit": TOWN, "request": "请清理填埋场东侧裸露垃圾并覆土"} | extra
    with engine.begin() as conn:
        return tickets.issue_ticket(conn, actor=actor, clock=FixedClock(when),
                                    deadline=deadline, **values)


def _get(engine: Engine, ticket_id: int) -> tickets.Ticket:
    with engine.connect() as conn:
        return tickets.get_ticket(conn, ticket_id)


def _respond(engine: Engine, ticket_id: int, *, actor: Actor = TOWN_UNIT,
             response: str = "已清理并覆土", photo_ids: tuple[int, ...] = ()) -> None:
    with engine.begin() as conn:
        tickets.respond(conn, ticket_id=ticket_id, actor=actor,
                        clock=FixedClock(datetime(2022, 6, 10, 9, 0, tzinfo=CN)),
                        response=response, photo_ids=photo_ids)


def _verify(engine: Engine, ticket_id: int, *, actor: Actor = INSPECTOR) -> None:
    with engine.begin() as conn:
        tickets.verify(conn, ticket_id=ticket_id, actor=actor,
                       clock=FixedClock(datetime(2022, 6, 12, 9, 0, tzinfo=CN)),
                       note="现场复核属实")


def _escalate(engine: Engine, when: datetime) -> list[int]:
    with engine.begin() as conn:
        return tickets.escalate_overdue(conn, actor=SYSTEM, clock=FixedClock(when))


def _audit_ok(engine: Engine) -> None:
    with engine.connect() as conn:
        assert audit.verify(conn).ok


# --- issuing ---------------------------------------------------------------------------------

def test_numbers_run_per_year_of_issue_in_china_time(layered: Engine) -> None:
    first = _issue(layered)
    second = _issue(layered, actor=LEADER)
    # 2022-12-31 17:00 UTC is 2023-01-01 01:00 in China: the first ticket of 2023.
    new_year = _issue(layered, actor=SYSTEM, when=datetime(2022, 12, 31, 17, 0, tzinfo=UTC),
                      deadline=date(2023, 1, 16))
    assert [_get(layered, t).number for t in (first, second, new_year)] == [
        "DB-2022-0001", "DB-2022-0002", "DB-2023-0001"]
    ticket = _get(layered, first)
    assert (ticket.state, ticket.issued_by, ticket.deadline, ticket.responsible_unit) == (
        "issued", "wang.jun", DEADLINE, TOWN)
    assert ticket.issued_at == T0 and ticket.issued_at.tzinfo is not None
    with layered.connect() as conn:
        [entry] = audit.history(conn, "ticket", first)
        assert [t.number for t in tickets.list_tickets(conn, year=2023)] == ["DB-2023-0001"]
    assert (entry["action"], entry["data"]["number"]) == ("ticket.issue", "DB-2022-0001")
    _audit_ok(layered)


def test_a_key_case_copies_its_leader(layered: Engine) -> None:
    with layered.begin() as conn:
        key = closed_case(conn, reference="DC-2022-01", key_case=True, leader="张副区长")
        plain = closed_case(conn, reference="DC-2022-02", leader="王副区长")
    assert _get(layered, _issue(layered, case_id=key)).copy_to_leader == "张副区长"
    assert _get(layered, _issue(layered, case_id=plain)).copy_to_leader is None
    named = _issue(layered, case_id=plain, copy_to_leader="刘区长")
    assert _get(layered, named).copy_to_leader == "刘区长"


def test_a_round_gives_the_ticket_its_case(layered: Engine) -> None:
    with layered.begin() as conn:
        case_id = closed_case(conn, key_case=True, leader="张副区长")
        [r1, *_] = lookbacks.schedule_rounds(conn, case_id=case_id, closed_at=CLOSED_AT,
                                             source="inspection_feedback", agency=None,
                                             actor=SYSTEM, tz=DEFAULT_TZ)
    ticket = _get(layered, _issue(layered, round_id=r1))
    assert (ticket.case_id, ticket.round_id, ticket.copy_to_leader) == (case_id, r1, "张副区长")


@pytest.mark.parametrize(("actor", "changes", "error", "message"), [
    (TOWN_UNIT, {}, NotAllowed, r"chen.hua \(unit\) may not issue supervision tickets"),
    (GRID_OFFICER, {}, NotAllowed, "only inspector, leader, admin, system may"),
    (INSPECTOR, {"request": " "}, InvalidInput, "request is empty"),
    (INSPECTOR, {"responsible_unit": ""}, InvalidInput, "responsible_unit is empty"),
    (INSPECTOR, {"deadline": date(2022, 5, 31)}, InvalidInput,
     "deadline 2022-05-31 is before the issue date 2022-06-01"),
    (INSPECTOR, {"case_id": 999}, NotFound, "case 999: no such case"),
    (INSPECTOR, {"round_id": 999}, NotFound, "look-back round 999: no such round"),
])
def test_issue_refusals(layered: Engine, actor: Actor, changes: dict, error: type,
                        message: str) -> None:
    with pytest.raises(error, match=message):
        _issue(layered, actor=actor, **changes)
    with layered.connect() as conn:
        assert tickets.list_tickets(conn) == []


def test_a_round_of_another_case_is_refused(layered: Engine) -> None:
    with layered.begin() as conn:
        one = closed_case(conn, reference="DC-2022-01")
        other = closed_case(conn, reference="DC-2022-02")
        [r1, *_] = lookbacks.schedule_rounds(conn, case_id=one, closed_at=CLOSED_AT,
                                             source="patrol", agency=None, actor=SYSTEM,
                                             tz=DEFAULT_TZ)
    with pytest.raises(InvalidInput, match=f"round {r1} belongs to case {one}, not to case "
                                           f"{other}"):
        _issue(layered, case_id=other, round_id=r1)


# --- respond and verify ----------------------------------------------------------------------

@pytest.fixture
def photo_id(layered: Engine, tmp_path: Path) -> int:
    """One real field photo near the landfill, ingested."""
    folder = tmp_path / "in"
    folder.mkdir()
    path = field_photo(folder, "after.jpg", lon=121.415, lat=28.7095, taken="2022-06-09 10:00",
                       seed=11)
    [pid] = ingest_photos(layered, tmp_path / "store", path)
    return pid


def test_respond_then_verify(layered: Engine, photo_id: int) -> None:
    ticket_id = _issue(layered)
    _respond(layered, ticket_id, photo_ids=(photo_id,))
    ticket = _get(layered, ticket_id)
    assert (ticket.state, ticket.response, ticket.photo_ids) == ("responded", "已清理并覆土",
                                                                  (photo_id,))
    assert ticket.responded_at == datetime(2022, 6, 10, 9, 0, tzinfo=CN)
    _verify(layered, ticket_id)
    ticket = _get(layered, ticket_id)
    assert (ticket.state, ticket.verified_by) == ("verified", "wang.jun")
    assert ticket.verified_at == datetime(2022, 6, 12, 9, 0, tzinfo=CN)
    with layered.connect() as conn:
        entries = audit.history(conn, "ticket", ticket_id)
    assert [(e["action"], e["data"]["to"]) for e in entries] == [
        ("ticket.issue", "issued"), ("ticket.respond", "responded"),
        ("ticket.verify", "verified")]
    assert entries[1]["data"]["photo_ids"] == [photo_id]
    assert entries[2]["note"] == "现场复核属实"
    _audit_ok(layered)


def test_an_admin_may_respond_for_the_unit(layered: Engine) -> None:
    ticket_id = _issue(layered)
    _respond(layered, ticket_id, actor=ADMIN)
    assert _get(layered, ticket_id).state == "responded"


def test_respond_refusals(layered: Engine) -> None:
    ticket_id = _issue(layered)
    with pytest.raises(NotAllowed, match=r"DB-2022-0001: zhou.qi \(unit, 海门街道办事处\) may "
                                         "not respond; only 东山镇人民政府 or an admin may"):
        _respond(layered, ticket_id, actor=OTHER_UNIT)
    with pytest.raises(NotAllowed, match="may not respond"):
        _respond(layered, ticket_id, actor=INSPECTOR)
    with pytest.raises(MissingEvidence, match="DB-2022-0001: the response is empty"):
        _respond(layered, ticket_id, response="   ")
    with pytest.raises(NotFound, match="DB-2022-0001: photo 999 does not exist"):
        _respond(layered, ticket_id, photo_ids=(999,))
    with pytest.raises(NotFound, match="ticket 999: no such supervision ticket"):
        _respond(layered, 999)
    assert _get(layered, ticket_id).state == "issued"
    _respond(layered, ticket_id)
    with pytest.raises(IllegalTransition, match="cannot respond to a ticket that is "
                                                "'responded'; it must be 'issued' or 'overdue'"):
        _respond(layered, ticket_id)


def test_verify_refusals(layered: Engine) -> None:
    ticket_id = _issue(layered)
    with pytest.raises(IllegalTransition, match="DB-2022-0001: cannot verify a ticket that is "
                                                "'issued'; it must be 'responded'"):
        _verify(layered, ticket_id)
    _respond(layered, ticket_id)
    with pytest.raises(NotAllowed, match=r"chen.hua \(unit\) may not verify it"):
        _verify(layered, ticket_id, actor=TOWN_UNIT)
    with pytest.raises(NotFound, match="ticket 999"):
        _verify(layered, 999)
    _verify(layered, ticket_id, actor=LEADER)
    with pytest.raises(IllegalTransition, match="'verified'"):
        _verify(layered, ticket_id)


# --- escalation ------------------------------------------------------------------------------

def test_escalate_overdue_names_the_leader(layered: Engine) -> None:
    with layered.begin() as conn:
        plain = closed_case(conn, reference="DC-2022-02", leader="王副区长")
    copied = _issue(layered, copy_to_leader="刘区长")  # deadline 2022-06-16
    of_case = _issue(layered, case_id=plain)
    nobody = _issue(layered)
    later = _issue(layered, deadline=date(2022, 6, 30))
    answered = _issue(layered)
    _respond(layered, answered)
    assert _escalate(layered, datetime(2022, 6, 16, 23, 59, tzinfo=CN)) == []  # the last day
    when = datetime(2022, 6, 17, 0, 0, tzinfo=CN)
    assert _escalate(layered, when) == [copied, of_case, nobody]
    assert _escalate(layered, when) == []  # idempotent
    ticket = _get(layered, copied)
    assert (ticket.state, ticket.escalated_at) == ("overdue", when)
    assert _get(layered, later).state == "issued"
    with layered.connect() as conn:
        notified = [audit.history(conn, "ticket", t)[-1]["data"]["notify"]
                    for t in (copied, of_case, nobody)]
        assert [t.id for t in tickets.list_tickets(conn, state="overdue")] == [
            copied, of_case, nobody]
    assert notified == ["刘区长", "王副区长", None]
    _respond(layered, copied)  # an overdue ticket may still be answered
    assert _get(layered, copied).state == "responded"
    _audit_ok(layered)


def test_list_tickets_filters(layered: Engine) -> None:
    town = _issue(layered)
    street = _issue(layered, responsible_unit="海门街道办事处")
    with layered.connect() as conn:
        assert [t.id for t in tickets.list_tickets(conn)] == [town, street]
        assert [t.id for t in tickets.list_tickets(conn, unit=TOWN)] == [town]
        assert [t.id for t in tickets.list_tickets(conn, state="issued", year=2022)] == [
            town, street]
        assert tickets.list_tickets(conn, year=2021) == []
        with pytest.raises(NotFound, match="ticket 999: no such supervision ticket"):
            tickets.get_ticket(conn, 999)
