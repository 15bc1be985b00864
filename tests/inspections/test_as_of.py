"""Cases as they stood at a past moment (inspections.as_of) and how the figures judge them
then (inspections.standing), walked through the workflow services on a moving clock: state,
deadline and ticked-off measures come back from the audit log, not from today's rows."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine

from inspections import workflow
from inspections.as_of import cases_at
from inspections.cases import get_cases
from inspections.clock import DEFAULT_TZ
from inspections.standing import standings
from tests.inspections.builders import LEADER, UNIT, advance_to, clock, new_case

END_OF_JUNE = datetime(2022, 6, 30, 23, 59, 59, tzinfo=DEFAULT_TZ)


def _at(when: datetime, engine: Engine, case_id: int):  # noqa: ANN202
    with engine.connect() as conn:
        return cases_at(conn, get_cases(conn, [case_id]), when)[0]


def _walked(engine: Engine) -> int:
    """Opened 1 March 2022 (deadline 31 December), started 2 March, measure 1 done 10 April,
    deadline moved to 31 March 2023 on 15 July, measure 2 done 1 August."""
    clk = clock(datetime(2022, 3, 1, 1, 0, tzinfo=UTC))
    with engine.begin() as conn:
        case_id = new_case(conn, clk)
        clk.set(datetime(2022, 3, 2, 1, 0, tzinfo=UTC))
        workflow.start_rectification(conn, case_id=case_id, actor=UNIT, clock=clk)
        clk.set(datetime(2022, 4, 10, 8, 0, tzinfo=UTC))
        workflow.complete_measure(conn, case_id=case_id, actor=UNIT, clock=clk, position=1,
                                  note="建设渗滤液收集池：已完成")
        clk.set(datetime(2022, 7, 15, 2, 0, tzinfo=UTC))
        workflow.set_deadline(conn, case_id=case_id, actor=LEADER, clock=clk,
                              deadline=date(2023, 3, 31))
        clk.set(datetime(2022, 8, 1, 2, 0, tzinfo=UTC))
        workflow.complete_measure(conn, case_id=case_id, actor=UNIT, clock=clk, position=2)
    return case_id


def test_a_case_at_the_end_of_june(engine: Engine) -> None:
    case_id = _walked(engine)
    june = _at(END_OF_JUNE, engine, case_id)
    assert june.state == "rectifying"
    assert june.deadline == date(2022, 12, 31)  # moved only in July
    assert [m.done_at for m in june.measures] == [
        datetime(2022, 4, 10, 8, 0, tzinfo=UTC), None]
    assert june.measures[0].note == "建设渗滤液收集池：已完成"
    now = _at(datetime(2022, 9, 1, tzinfo=UTC), engine, case_id)
    assert now.deadline == date(2023, 3, 31)
    assert all(m.done_at is not None for m in now.measures)
    first_hour = _at(datetime(2022, 3, 1, 1, 30, tzinfo=UTC), engine, case_id)
    assert first_hour.state == "open" and not any(m.done_at for m in first_hour.measures)


def test_a_reopened_case_stood_closed_with_its_measures_done_before(engine: Engine,
                                                                    photos: dict) -> None:
    clk = clock(datetime(2022, 3, 1, 1, 0, tzinfo=UTC))
    with engine.begin() as conn:
        case_id = new_case(conn, clk, measures=["清理堆存固废"])
        advance_to(conn, clk, case_id, "rectifying", rectification=photos["rectification"],
                   acceptance=photos["acceptance"])
        workflow.complete_measure(conn, case_id=case_id, actor=UNIT, clock=clk, position=1)
        advance_to(conn, clk, case_id, "closed", rectification=photos["rectification"],
                   acceptance=photos["acceptance"])
        closed_at = clk.now()
        clk.set(datetime(2022, 9, 1, 2, 0, tzinfo=UTC))
        workflow.reopen_for_recurrence(conn, case_id=case_id, actor=LEADER, clock=clk,
                                       note="回头看发现反弹", deadline=date(2022, 10, 31))
    before = _at(datetime(2022, 8, 31, tzinfo=UTC), engine, case_id)
    assert before.state == "closed" and before.closed_at == closed_at
    assert before.deadline == date(2022, 12, 31)
    assert before.measures[0].done_at is not None
    after = _at(datetime(2022, 9, 2, tzinfo=UTC), engine, case_id)
    assert after.state == "rectifying" and after.closed_at is None
    assert after.deadline == date(2022, 10, 31)
    assert after.measures[0].done_at is None


def test_standings_judge_pace_at_the_moment(engine: Engine) -> None:
    """At the end of June: the walked case is on schedule (1 of 2 measures, 40 % of its time
    used); one with nothing done is behind; one past its deadline is overdue."""
    walked = _walked(engine)
    clk = clock(datetime(2022, 3, 1, 1, 0, tzinfo=UTC))
    with engine.begin() as conn:
        idle = new_case(conn, clk, reference="DC-2022-02")
        late = new_case(conn, clk, reference="DC-2022-03", deadline=date(2022, 5, 31))
    with engine.connect() as conn:
        found = {s.case.id: s for s in standings(conn, [walked, idle, late], END_OF_JUNE,
                                                  DEFAULT_TZ)}
    assert found[walked].pace == "on_schedule" and not found[walked].rectified
    assert found[idle].pace == "behind_schedule" and found[idle].behind_schedule
    assert found[late].pace == "overdue" and found[late].overdue
    assert not found[late].behind_schedule  # one word per case: overdue comes first
