"""Rectification tasks (整改任务): the source's task of 45 sites (41 landfills and 4 plants) is
accepted, assessed, publicised and closed as one, each case keeping its own evidence and
look-back rounds; a step that one case refuses names that case and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from inspections import workflow
from inspections.cases import get_cases
from inspections.contact import Contact
from inspections.errors import (
    IllegalTransition,
    InvalidInput,
    MissingEvidence,
    NotAllowed,
    NotFound,
    TaskBlocked,
)
from inspections.rectification_tasks import (
    accept_task,
    add_cases,
    assess_task,
    close_task,
    create_task,
    get_task,
    least_state,
    list_tasks,
    open_steps,
    publicise_task,
    remove_cases,
    task_cases,
)
from inspections.schema import audit_log, case_assessments, case_photos, lookback_rounds
from tests.inspections.builders import (
    ACCEPTOR,
    ASSESSOR,
    CONCLUSION,
    INSPECTOR,
    LEADER,
    REPORT,
    UNIT,
    clock,
)
from tests.inspections.task_builders import (
    CONTACT,
    SERIAL,
    make_sites,
    open_cases,
    reference,
    task_of,
)


def _states(engine, case_ids: list[int]) -> dict[str, int]:  # noqa: ANN001
    with engine.connect() as conn:
        found = get_cases(conn, case_ids)
    counts: dict[str, int] = {}
    for case in found:
        counts[case.state] = counts.get(case.state, 0) + 1
    return counts


def _count(engine, table: sa.Table, *where: sa.ColumnElement[bool]) -> int:  # noqa: ANN001
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table).where(*where)
                            ).scalar_one()


def _task_of_45(engine, photos, **kw) -> tuple[object, int, list[int]]:  # noqa: ANN001, ANN003
    clk = clock()
    with engine.begin() as conn:
        sites = make_sites(conn)
        assert len(sites) == 45
        ids = open_cases(conn, clk, sites, photos=photos, **kw)
        task_id = task_of(conn, clk, ids)
    return clk, task_id, ids


def test_a_task_of_45_sites_goes_round_the_loop_as_one(engine, photos) -> None:  # noqa: ANN001
    clk, task_id, ids = _task_of_45(engine, photos)
    with engine.connect() as conn:
        task = get_task(conn, task_id)
        assert (task.serial, task.contact, len(task.case_ids)) == (SERIAL, CONTACT, 45)
        assert open_steps(conn, task_cases(conn, task), ACCEPTOR, clk.today()) == {"accept": []}
    with engine.begin() as conn:
        accept_task(conn, task_id=task_id, actor=ACCEPTOR, clock=clk,
                    photo_ids=photos["acceptance"])
    assert _states(engine, ids) == {"accepted": 45}
    assert _count(engine, case_photos, case_photos.c.purpose == "acceptance") == 90
    with engine.begin() as conn:
        assessed = assess_task(conn, task_id=task_id, actor=ASSESSOR, clock=clk,
                               conclusion=CONCLUSION, documents=[REPORT])
    assert len(set(assessed)) == 45 and _count(engine, case_assessments) == 45
    start = clk.today()
    with engine.begin() as conn:
        publicise_task(conn, task_id=task_id, actor=LEADER, clock=clk, notice_start=start,
                       notice_end=start + timedelta(days=6))
    assert _states(engine, ids) == {"publicised": 45}
    clk.advance(days=7)
    with engine.begin() as conn:
        close_task(conn, task_id=task_id, actor=LEADER, clock=clk)
        assert least_state(task_cases(conn, get_task(conn, task_id))) == "closed"
    assert _states(engine, ids) == {"closed": 45}
    rounds = _count(engine, lookback_rounds)  # each site its own rounds
    assert rounds % 45 == 0 and rounds >= 45
    steps = [r for r in _actions(engine) if r.startswith("task.")]
    assert steps == ["task.create", "task.accept", "task.assess", "task.publicise",
                     "task.close"]
    assert _actions(engine).count("case.join_task") == 45


def _actions(engine) -> list[str]:  # noqa: ANN001
    with engine.connect() as conn:
        return list(conn.execute(sa.select(audit_log.c.action).order_by(audit_log.c.id))
                    .scalars())


def test_a_step_one_case_refuses_names_it_and_changes_nothing(engine, photos) -> None:  # noqa: ANN001
    """Case 17 is still being rectified: accepting the task is refused naming it, and none
    of the 44 others is accepted (checked before any moves)."""
    clk, task_id, ids = _task_of_45(engine, photos, lagging={17: "rectifying"})
    before = _count(engine, audit_log)
    with engine.connect() as conn:
        offered = open_steps(conn, task_cases(conn, get_task(conn, task_id)), ACCEPTOR,
                             clk.today())
    assert offered == {"accept": [reference(17)]}
    with pytest.raises(TaskBlocked) as refused, engine.begin() as conn:
        accept_task(conn, task_id=task_id, actor=ACCEPTOR, clock=clk,
                    photo_ids=photos["acceptance"])
    assert refused.value.reference == reference(17) and refused.value.step == "accept"
    assert isinstance(refused.value.cause, IllegalTransition)
    assert f"case {reference(17)} blocks accept" in str(refused.value)
    assert _states(engine, ids) == {"rectified": 44, "rectifying": 1}
    assert _count(engine, audit_log) == before
    assert _count(engine, case_photos, case_photos.c.purpose == "acceptance") == 0


def test_a_case_refusing_half_way_rolls_every_case_back(engine, photos) -> None:  # noqa: ANN001
    """An objection on case 30 is only found when closing it, after 29 cases were closed in
    the step's savepoint: even when the caller commits its transaction after the refusal,
    all 45 are still on notice, with no look-back rounds."""
    clk, task_id, ids = _task_of_45(engine, photos, state="publicised")
    with engine.begin() as conn:
        workflow.record_objection(conn, case_id=ids[29], actor=LEADER, clock=clk,
                                  text="填埋场仍有渗滤液外溢")
    clk.advance(days=7)
    before = _count(engine, audit_log)
    with engine.begin() as conn, pytest.raises(TaskBlocked) as refused:
        close_task(conn, task_id=task_id, actor=LEADER, clock=clk)
    assert refused.value.reference == reference(30)
    assert "with objection" in str(refused.value.cause)
    assert _states(engine, ids) == {"publicised": 45}
    assert _count(engine, lookback_rounds) == 0 and _count(engine, audit_log) == before


def test_who_may_take_a_task_step_is_decided_case_by_case(engine, photos) -> None:  # noqa: ANN001
    clk = clock()
    with engine.begin() as conn:
        ids = open_cases(conn, clk, make_sites(conn)[:3], photos=photos)
        task_id = task_of(conn, clk, ids)
    with pytest.raises(TaskBlocked) as refused, engine.begin() as conn:
        accept_task(conn, task_id=task_id, actor=INSPECTOR, clock=clk,
                    photo_ids=photos["acceptance"])
    assert refused.value.reference == reference(1)
    assert isinstance(refused.value.cause, NotAllowed)
    with pytest.raises(TaskBlocked) as refused, engine.begin() as conn:
        accept_task(conn, task_id=task_id, actor=ACCEPTOR, clock=clk, photo_ids=[])
    assert isinstance(refused.value.cause, MissingEvidence)
    with engine.connect() as conn:
        assert open_steps(conn, get_cases(conn, ids), INSPECTOR, clk.today()) == {}
    assert _states(engine, ids) == {"rectified": 3}


def test_making_and_changing_tasks(engine, photos) -> None:  # noqa: ANN001
    clk = clock()
    with engine.begin() as conn:
        ids = open_cases(conn, clk, make_sites(conn)[:3], photos=photos, state="open")
        first = create_task(conn, actor=LEADER, clock=clk, title="  填埋场整治 ",
                            case_ids=ids[:2])
        other = create_task(conn, actor=LEADER, clock=clk, title="发电项目")
        assert [t.id for t in list_tasks(conn)] == [other, first]
        assert get_task(conn, first).title == "填埋场整治"
        assert add_cases(conn, task_id=first, case_ids=ids, actor=LEADER, clock=clk) == [ids[2]]
        remove_cases(conn, task_id=first, case_ids=[ids[0]], actor=LEADER, clock=clk)
        assert get_task(conn, first).case_ids == tuple(ids[1:])
    with engine.connect() as conn:
        left = get_cases(conn, [ids[0]])[0]
    assert (left.task_id, left.state) == (None, "open")  # its own case still
    joined = _actions(engine)
    assert (joined.count("case.join_task"), joined.count("case.leave_task")) == (3, 1)


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda c, k, ids, t: create_task(c, actor=UNIT, clock=k, title="x"), NotAllowed,
     "may not make or change tasks"),
    (lambda c, k, ids, t: create_task(c, actor=LEADER, clock=k, title=" "), InvalidInput,
     "title must not be empty"),
    (lambda c, k, ids, t: create_task(c, actor=LEADER, clock=k, title="x", serial="9" * 51),
     InvalidInput, "serial is longer than 50"),
    (lambda c, k, ids, t: create_task(c, actor=LEADER, clock=k, title="x",
                                      contact=Contact(phone="电话")),
     InvalidInput, "contact phone '电话' is not a telephone number"),
    (lambda c, k, ids, t: create_task(c, actor=LEADER, clock=k, title="x",
                                      contact=Contact(email="zgb.example")),
     InvalidInput, "contact email 'zgb.example' is not an e-mail address"),
    (lambda c, k, ids, t: create_task(c, actor=LEADER, clock=k, title="x", case_ids=[ids[0]]),
     InvalidInput, f"case {reference(1)} is already part of another task"),
    (lambda c, k, ids, t: add_cases(c, task_id=t, case_ids=[9999], actor=LEADER, clock=k),
     NotFound, "no case with id 9999"),
    (lambda c, k, ids, t: remove_cases(c, task_id=t, case_ids=[ids[1]], actor=LEADER,
                                       clock=k), InvalidInput, "is not part of it"),
    (lambda c, k, ids, t: get_task(c, 9999), NotFound, "rectification task 9999"),
    (lambda c, k, ids, t: accept_task(c, task_id=create_task(c, actor=LEADER, clock=k,
                                                             title="空"),
                                      actor=ACCEPTOR, clock=k), InvalidInput,
     "has no cases to accept"),
])
def test_bad_task_changes_are_named(engine, photos, call, error, message) -> None:  # noqa: ANN001
    clk = clock()
    with engine.begin() as conn:
        ids = open_cases(conn, clk, make_sites(conn)[:2], photos=photos, state="open")
        task_id = create_task(conn, actor=LEADER, clock=clk, title="填埋场", case_ids=ids[:1])
    with pytest.raises(error, match=message), engine.begin() as conn:
        call(conn, clk, ids, task_id)
