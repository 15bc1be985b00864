"""A case reopened by a recurrence: a new deadline (given, or 30 days from the reopening in the
district's zone) and its measures open again, the old completions kept in the audit trail;
and the person in charge (责任人) of a case."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from inspections import audit, workflow
from inspections.actors import SYSTEM
from inspections.cases import assign_person, get_case
from inspections.errors import IllegalTransition, InvalidInput, NotAllowed
from tests.inspections.builders import (
    GRID_OFFICER,
    INSPECTOR,
    LEADER,
    OTHER_UNIT,
    UNIT,
    advance_to,
    clock,
    new_case,
)
from tests.inspections.workflow_cases import case_in


def _completed_and_closed(engine, clk, photos) -> int:  # noqa: ANN001
    case_id = case_in(engine, clk, photos, "rectifying")
    with engine.begin() as conn:
        for position in (1, 2):
            workflow.complete_measure(conn, case_id=case_id, actor=UNIT, clock=clk,
                                      position=position, note=f"第{position}项完成")
    with engine.begin() as conn:
        advance_to(conn, clk, case_id, "closed", rectification=photos["rectification"],
                   acceptance=photos["acceptance"])
    return case_id


def test_a_reopened_case_gets_30_days_from_the_local_date(engine, photos) -> None:  # noqa: ANN001
    clk = clock()
    case_id = _completed_and_closed(engine, clk, photos)
    # 20:00 UTC on 2022-03-08 is already 2022-03-09 in Shanghai: the new deadline counts
    # from the district's date.
    late = clock(datetime(2022, 3, 8, 20, 0, tzinfo=UTC))
    with engine.begin() as conn:
        workflow.reopen_for_recurrence(conn, case_id=case_id, actor=SYSTEM, clock=late,
                                       note="回头看：渗滤液外溢")
        case = get_case(conn, case_id)
        entries = audit.history(conn, "case", case_id)
    assert (case.state, case.deadline) == ("rectifying", date(2022, 4, 8))
    assert [m.done_at for m in case.measures] == [None, None]
    assert [m.note for m in case.measures] == [None, None]
    assert entries[-1]["data"]["deadline"] == "2022-04-08"
    assert entries[-1]["data"]["old_deadline"] == "2022-12-31"


def test_the_old_completions_stay_in_the_history(engine, photos) -> None:  # noqa: ANN001
    clk = clock()
    case_id = _completed_and_closed(engine, clk, photos)
    with engine.begin() as conn:
        done = [m.done_at for m in get_case(conn, case_id).measures]
        workflow.reopen_for_recurrence(conn, case_id=case_id, actor=SYSTEM, clock=clk,
                                       note="回头看：渗滤液外溢")
        timeline = audit.case_timeline(conn, case_id)
    reopened = [e for e in timeline if e["action"] == "measure.reopen"]
    completed = [e for e in timeline if e["action"] == "measure.complete"]
    assert [e["data"]["position"] for e in reopened] == [1, 2]
    assert [e["data"]["done_at"] for e in reopened] == [d.isoformat() for d in done]
    assert [e["note"] for e in reopened] == ["第1项完成", "第2项完成"]
    assert len(completed) == 2  # the first round's completions are still there


def test_the_measures_can_be_completed_again(engine, photos) -> None:  # noqa: ANN001
    clk = clock()
    case_id = _completed_and_closed(engine, clk, photos)
    with engine.begin() as conn:
        workflow.reopen_for_recurrence(conn, case_id=case_id, actor=SYSTEM, clock=clk,
                                       note="回头看：渗滤液外溢")
        workflow.complete_measure(conn, case_id=case_id, actor=UNIT, clock=clk, position=1)
        assert [m.done_at is not None for m in get_case(conn, case_id).measures] == [
            True, False]


def test_a_leader_sets_the_new_deadline(engine, photos) -> None:  # noqa: ANN001
    clk = clock()
    case_id = _completed_and_closed(engine, clk, photos)
    with engine.begin() as conn:
        workflow.reopen_for_recurrence(conn, case_id=case_id, actor=LEADER, clock=clk,
                                       note="回头看：渗滤液外溢", deadline=date(2022, 6, 30))
        assert get_case(conn, case_id).deadline == date(2022, 6, 30)


@pytest.mark.parametrize(("deadline", "error"), [
    (date(2022, 3, 8), "deadline 2022-03-08 is not after today"),
    (datetime(2022, 6, 30, tzinfo=UTC), "is not a date"),
    ("2022-06-30", "is not a date"),
])
def test_a_bad_new_deadline_is_refused_and_nothing_changes(engine, photos, deadline,  # noqa: ANN001
                                                           error: str) -> None:
    clk = clock()
    case_id = _completed_and_closed(engine, clk, photos)  # the clock is now 2022-03-08
    with engine.begin() as conn, pytest.raises(InvalidInput, match=error):
        workflow.reopen_for_recurrence(conn, case_id=case_id, actor=LEADER, clock=clk,
                                       note="回头看", deadline=deadline)
    with engine.connect() as conn:
        case = get_case(conn, case_id)
    assert (case.state, case.deadline) == ("closed", date(2022, 12, 31))
    assert all(m.done_at is not None for m in case.measures)


# --- the person in charge ---------------------------------------------------------------------

def test_the_unit_names_its_person_in_charge(engine) -> None:  # noqa: ANN001
    clk = clock()
    with engine.begin() as conn:
        case_id = new_case(conn, clk)
        assign_person(conn, case_id=case_id, actor=UNIT, clock=clk, person=" 陈华 ")
        assign_person(conn, case_id=case_id, actor=LEADER, clock=clk, person="王强")
        assert get_case(conn, case_id).person_in_charge == "王强"
        last = audit.history(conn, "case", case_id)[-1]
    assert (last["action"], last["data"]) == ("case.assign_person",
                                              {"person": "王强", "before": "陈华"})


@pytest.mark.parametrize("actor", [OTHER_UNIT, INSPECTOR, GRID_OFFICER])
def test_others_may_not_name_the_person_in_charge(engine, actor) -> None:  # noqa: ANN001
    clk = clock()
    with engine.begin() as conn:
        case_id = new_case(conn, clk)
        with pytest.raises(NotAllowed, match="may not assign the person in charge"):
            assign_person(conn, case_id=case_id, actor=actor, clock=clk, person="陈华")
        assert get_case(conn, case_id).person_in_charge is None


@pytest.mark.parametrize(("person", "error"), [("  ", "person must not be empty"),
                                               ("张" * 101, "longer than 100 characters")])
def test_a_bad_person_is_refused(engine, person: str, error: str) -> None:  # noqa: ANN001
    clk = clock()
    with engine.begin() as conn:
        case_id = new_case(conn, clk)
        with pytest.raises(InvalidInput, match=error):
            assign_person(conn, case_id=case_id, actor=UNIT, clock=clk, person=person)


def test_a_closed_case_takes_no_person_in_charge(engine, photos) -> None:  # noqa: ANN001
    clk = clock()
    case_id = case_in(engine, clk, photos, "closed")
    with engine.begin() as conn, pytest.raises(IllegalTransition, match="closed case"):
        assign_person(conn, case_id=case_id, actor=LEADER, clock=clk, person="陈华")


# --- a leader sets the deadline of a reopened case ----------------------------------------------

def test_a_leader_moves_the_deadline_of_a_reopened_case(engine, photos) -> None:  # noqa: ANN001
    clk = clock()
    case_id = _completed_and_closed(engine, clk, photos)
    with engine.begin() as conn:
        workflow.reopen_for_recurrence(conn, case_id=case_id, actor=SYSTEM, clock=clk,
                                       note="回头看：渗滤液外溢")
        workflow.set_deadline(conn, case_id=case_id, actor=LEADER, clock=clk,
                              deadline=date(2022, 5, 31), note="雨季前完成")
        last = audit.history(conn, "case", case_id)[-1]
        assert get_case(conn, case_id).deadline == date(2022, 5, 31)
    assert (last["action"], last["data"], last["note"]) == (
        "case.set_deadline", {"deadline": "2022-05-31", "old_deadline": "2022-04-07"},
        "雨季前完成")


def test_only_a_leader_sets_a_deadline_on_a_case_being_worked_on(engine, photos) -> None:  # noqa: ANN001
    clk = clock()
    case_id = case_in(engine, clk, photos, "rectified")
    with engine.begin() as conn:
        with pytest.raises(NotAllowed, match="may not set the deadline"):
            workflow.set_deadline(conn, case_id=case_id, actor=UNIT, clock=clk,
                                  deadline=date(2022, 5, 31))
        with pytest.raises(IllegalTransition, match="'rectified'"):
            workflow.set_deadline(conn, case_id=case_id, actor=LEADER, clock=clk,
                                  deadline=date(2022, 5, 31))
        assert get_case(conn, case_id).deadline == date(2022, 12, 31)


def test_0006_adds_the_person_in_charge_and_keeps_cases(database_url: str) -> None:
    from datetime import UTC as utc

    import sqlalchemy as sa

    from geo.db import create_engine
    from geo.migrate import current_revisions, upgrade
    from tests.conftest import ALL_VERSIONS

    engine = create_engine(database_url)
    upgrade(engine, ALL_VERSIONS, target="inspections_0005")
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO cases (reference, source, title, description, responsible_unit, "
            "deadline, target, key_case, state, is_recurrence, opened_at) VALUES ('DC-2021-01', "
            "'inspection_feedback', '填埋场渗滤液', '', '区生态环境分局', :deadline, '整改到位', "
            ":no, 'open', :no, :opened)"),
            {"deadline": date(2021, 12, 31), "no": False,
             "opened": datetime(2021, 5, 6, tzinfo=utc)})
    upgrade(engine, ALL_VERSIONS, target="inspections_0006")
    assert "inspections_0006" in current_revisions(engine)
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT reference, person_in_charge FROM cases")).one()
    assert tuple(row) == ("DC-2021-01", None)
    engine.dispose()
