"""Supervision tickets returned for rework (退回重办), and the steps each actor may take."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine

from inspections import audit, tickets
from inspections.actors import SYSTEM, Actor
from inspections.clock import FixedClock
from inspections.errors import IllegalTransition, InvalidInput, NotAllowed, NotFound
from tests.geo import sample
from tests.inspections.lookback_builders import (
    ADMIN,
    INSPECTOR,
    LEADER,
    OTHER_INSPECTOR,
    OTHER_UNIT,
    TOWN,
    TOWN_UNIT,
)

CN = ZoneInfo("Asia/Shanghai")
ISSUED = datetime(2022, 6, 1, 9, 0, tzinfo=CN)
ANSWERED = datetime(2022, 6, 10, 9, 0, tzinfo=CN)
RETURNED = datetime(2022, 6, 11, 15, 30, tzinfo=CN)


@pytest.fixture
def answered(engine: Engine) -> tuple[Engine, int]:
    """A ticket issued by the inspector wang.jun to 东山镇 and answered."""
    sample.load(engine)
    with engine.begin() as conn:
        ticket_id = tickets.issue_ticket(conn, actor=INSPECTOR, clock=FixedClock(ISSUED),
                                         responsible_unit=TOWN, deadline=date(2022, 6, 16),
                                         request="清理填埋场东侧裸露垃圾")
        tickets.respond(conn, ticket_id=ticket_id, actor=TOWN_UNIT,
                        clock=FixedClock(ANSWERED), response="已清理")
    return engine, ticket_id


def _return(engine: Engine, ticket_id: int, *, actor: Actor = LEADER,
            reason: str = "未覆土，照片不清", deadline: date = date(2022, 6, 25)) -> None:
    with engine.begin() as conn:
        tickets.return_ticket(conn, ticket_id=ticket_id, actor=actor,
                              clock=FixedClock(RETURNED), reason=reason, deadline=deadline)


def test_a_returned_ticket_is_open_again_with_its_new_deadline(answered) -> None:  # noqa: ANN001
    engine, ticket_id = answered
    _return(engine, ticket_id)
    with engine.connect() as conn:
        ticket = tickets.get_ticket(conn, ticket_id)
        [*_, entry] = audit.history(conn, "ticket", ticket_id)
        assert tickets.returned_ids(conn) == {ticket_id}
        assert audit.verify(conn).ok
    assert (ticket.state, ticket.deadline, ticket.response, ticket.responded_at) == (
        "issued", date(2022, 6, 25), None, None)
    assert (entry["action"], entry["actor"], entry["note"]) == (
        "ticket.return", "li.ming", "未覆土，照片不清")
    assert entry["data"] == {"from": "responded", "to": "issued", "deadline": "2022-06-25",
                             "previous_deadline": "2022-06-16", "response": "已清理"}
    with engine.begin() as conn:  # answered anew, it is no longer counted as returned
        tickets.respond(conn, ticket_id=ticket_id, actor=TOWN_UNIT,
                        clock=FixedClock(datetime(2022, 6, 20, 9, 0, tzinfo=CN)),
                        response="已覆土")
        assert tickets.returned_ids(conn) == set()
        # past the new deadline unanswered, a returned ticket becomes overdue like any other
        tickets.return_ticket(conn, ticket_id=ticket_id, actor=INSPECTOR,
                              clock=FixedClock(datetime(2022, 6, 21, 9, 0, tzinfo=CN)),
                              reason="仍有垃圾", deadline=date(2022, 6, 22))
        late = tickets.escalate_overdue(conn, actor=SYSTEM, clock=FixedClock(
            datetime(2022, 6, 23, 0, 0, tzinfo=CN)))
        assert late == [ticket_id]
        assert tickets.returned_ids(conn) == {ticket_id}


@pytest.mark.parametrize(("actor", "changes", "error", "message"), [
    (TOWN_UNIT, {}, NotAllowed, r"DB-2022-0001: chen.hua \(unit\) may not return it; only its "
                                "issuer wang.jun, a leader or an admin may"),
    (OTHER_INSPECTOR, {}, NotAllowed, r"zhao.lei \(inspector\) may not return it"),
    (LEADER, {"reason": "  "}, InvalidInput, "DB-2022-0001: the reason is empty"),
    (LEADER, {"deadline": date(2022, 6, 10)}, InvalidInput,
     "DB-2022-0001: deadline 2022-06-10 is before today 2022-06-11"),
])
def test_return_refusals_change_nothing(answered, actor: Actor, changes: dict,  # noqa: ANN001
                                        error: type, message: str) -> None:
    engine, ticket_id = answered
    with pytest.raises(error, match=message):
        _return(engine, ticket_id, actor=actor, **changes)
    with engine.connect() as conn:
        ticket = tickets.get_ticket(conn, ticket_id)
        assert [e["action"] for e in audit.history(conn, "ticket", ticket_id)] == [
            "ticket.issue", "ticket.respond"]
    assert (ticket.state, ticket.response, ticket.deadline) == (
        "responded", "已清理", date(2022, 6, 16))


def test_only_an_answered_ticket_can_be_returned(answered) -> None:  # noqa: ANN001
    engine, ticket_id = answered
    _return(engine, ticket_id, actor=ADMIN)
    with pytest.raises(IllegalTransition, match="DB-2022-0001: cannot return a ticket that is "
                                                "'issued'; it must be 'responded'"):
        _return(engine, ticket_id)
    with pytest.raises(NotFound, match="ticket 999: no such supervision ticket"):
        _return(engine, 999)


def test_the_steps_each_actor_may_take(answered) -> None:  # noqa: ANN001
    engine, ticket_id = answered
    with engine.connect() as conn:
        ticket = tickets.get_ticket(conn, ticket_id)
    may = {a.name: tickets.actions_for(ticket, a)
           for a in (INSPECTOR, OTHER_INSPECTOR, LEADER, ADMIN, TOWN_UNIT, OTHER_UNIT)}
    assert may == {"wang.jun": ("return", "verify"), "zhao.lei": ("verify",),
                   "li.ming": ("return", "verify"), "admin": ("return", "verify"),
                   "chen.hua": (), "zhou.qi": ()}
    _return(engine, ticket_id)
    with engine.connect() as conn:
        ticket = tickets.get_ticket(conn, ticket_id)
    assert tickets.actions_for(ticket, TOWN_UNIT) == ("respond",)
    assert tickets.actions_for(ticket, OTHER_UNIT) == ()
    assert tickets.actions_for(ticket, ADMIN) == ("respond",)
    assert tickets.actions_for(ticket, LEADER) == ()


def test_overdue_is_judged_on_a_day_in_district_dates(answered) -> None:  # noqa: ANN001
    engine, ticket_id = answered  # deadline 2022-06-16, answered 2022-06-10 09:00 (China)
    with engine.connect() as conn:
        ticket = tickets.get_ticket(conn, ticket_id)
    assert not tickets.is_overdue(ticket, date(2022, 6, 16), CN)  # the last day
    assert not tickets.is_overdue(ticket, date(2022, 6, 17), CN)  # answered in time
    _return(engine, ticket_id, deadline=date(2022, 6, 25))
    with engine.connect() as conn:
        ticket = tickets.get_ticket(conn, ticket_id)
    assert not tickets.is_overdue(ticket, date(2022, 6, 25), CN)
    assert tickets.is_overdue(ticket, date(2022, 6, 26), CN)  # returned, not answered again
    assert tickets.overdue_day(date(2022, 12, 20), 2022) == date(2022, 12, 20)
    assert tickets.overdue_day(date(2023, 3, 1), 2022) == date(2022, 12, 31)
    assert tickets.overdue_day(date(2023, 3, 1), None) == date(2023, 3, 1)
