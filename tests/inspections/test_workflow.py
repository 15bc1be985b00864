"""The closed loop: every step from every state, who may take it, evidence, notice period,
objections, closure and recurrence, with the audit trail each leaves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from inspections import audit, workflow
from inspections.actors import ROLES, SYSTEM, Actor
from inspections.cases import case_photo_ids, get_case
from inspections.errors import (
    IllegalTransition,
    InvalidInput,
    MissingEvidence,
    NotAllowed,
    NotFound,
)
from inspections.schema import CASE_STATES, audit_log, case_photos
from tests.inspections.builders import (
    ACCEPTOR,
    ACTORS,
    ASSESSOR,
    CONCLUSION,
    GRID_OFFICER,
    LEADER,
    OTHER_UNIT,
    REPORT,
    T0,
    UNIT,
    clock,
    new_case,
)
from tests.inspections.workflow_cases import case_in as _case_in


def _state(engine, case_id: int) -> str:  # noqa: ANN001
    with engine.connect() as conn:
        return get_case(conn, case_id).state


def _decide(conn, clk, case_id: int, actor: Actor, upheld: bool) -> None:  # noqa: ANN001
    objection = 999  # a case not on notice has none; the state is refused first
    if get_case(conn, case_id).state == "publicised":
        objection = workflow.record_objection(conn, case_id=case_id, actor=GRID_OFFICER,
                                              clock=clk, text="填埋场仍有渗滤液外溢")
    workflow.decide_objection(conn, case_id=case_id, actor=actor, clock=clk,
                              objection_id=objection, upheld=upheld, note="现场核实属实")


def _close(conn, clk, case_id: int, actor: Actor) -> None:  # noqa: ANN001
    clk.advance(days=7)  # past the six-day notice period advance_to sets
    workflow.close(conn, case_id=case_id, actor=actor, clock=clk)


Call = Callable[..., object]
# Each action with the arguments it needs; called as f(conn, clock, case_id, actor, photos).
ACTIONS: dict[str, Call] = {
    "start_rectification": lambda conn, clk, cid, who, ph: workflow.start_rectification(
        conn, case_id=cid, actor=who, clock=clk),
    "complete_measure": lambda conn, clk, cid, who, ph: workflow.complete_measure(
        conn, case_id=cid, actor=who, clock=clk, position=1, photo_ids=ph["spare"]),
    "claim_rectified": lambda conn, clk, cid, who, ph: workflow.claim_rectified(
        conn, case_id=cid, actor=who, clock=clk, photo_ids=ph["rectification"]),
    "accept": lambda conn, clk, cid, who, ph: workflow.accept(
        conn, case_id=cid, actor=who, clock=clk, photo_ids=ph["acceptance"]),
    "assess": lambda conn, clk, cid, who, ph: workflow.assess(
        conn, case_id=cid, actor=who, clock=clk, conclusion=CONCLUSION, documents=[REPORT]),
    "return_for_rework": lambda conn, clk, cid, who, ph: workflow.return_for_rework(
        conn, case_id=cid, actor=who, clock=clk, note="收集池未封闭"),
    "publicise": lambda conn, clk, cid, who, ph: workflow.publicise(
        conn, case_id=cid, actor=who, clock=clk, notice_start=date(2022, 3, 2),
        notice_end=date(2022, 3, 8)),
    "record_objection": lambda conn, clk, cid, who, ph: workflow.record_objection(
        conn, case_id=cid, actor=who, clock=clk, text="仍有异味"),
    "decide_objection": lambda conn, clk, cid, who, ph: _decide(conn, clk, cid, who, True),
    "close": lambda conn, clk, cid, who, ph: _close(conn, clk, cid, who),
    "reopen_for_recurrence": lambda conn, clk, cid, who, ph: workflow.reopen_for_recurrence(
        conn, case_id=cid, actor=who, clock=clk, note="回头看发现渗滤液外溢"),
}

# (action, from state) -> state after; every other pair is illegal.
LEGAL = {
    ("start_rectification", "open"): "rectifying",
    ("complete_measure", "rectifying"): "rectifying",
    ("claim_rectified", "rectifying"): "rectified",
    ("accept", "rectified"): "accepted",
    ("return_for_rework", "rectified"): "rectifying",
    ("assess", "accepted"): "assessed",
    ("publicise", "assessed"): "publicised",
    ("record_objection", "publicised"): "publicised",
    ("decide_objection", "publicised"): "rectifying",  # upheld
    ("close", "publicised"): "closed",
    ("reopen_for_recurrence", "closed"): "rectifying",
}
FROM = {action: state for action, state in LEGAL}

ALLOWED = {
    "start_rectification": {"unit", "leader", "admin"},
    "complete_measure": {"unit", "admin"},
    "claim_rectified": {"unit", "admin"},
    "accept": {"acceptor"},
    "return_for_rework": {"acceptor"},
    "assess": {"assessor"},
    "publicise": {"leader", "admin"},
    "record_objection": set(ROLES),
    "decide_objection": {"leader", "admin"},
    "close": {"leader", "admin", "system"},
    "reopen_for_recurrence": {"system", "inspector", "leader", "admin"},
}


@pytest.mark.parametrize("state", CASE_STATES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_action_from_every_state(engine, photos, action: str, state: str) -> None:  # noqa: ANN001
    clk = clock()
    case_id = _case_in(engine, clk, photos, state)
    actor = ACTORS[sorted(ALLOWED[action])[0]]
    with engine.begin() as conn:
        if (action, state) in LEGAL:
            ACTIONS[action](conn, clk, case_id, actor, photos)
            assert get_case(conn, case_id).state == LEGAL[action, state]
            return
        with pytest.raises(IllegalTransition,
                           match=f"cannot {action.replace('_', ' ')} a case that is "
                                 f"'{state}'; it must be '{FROM[action]}'"):
            ACTIONS[action](conn, clk, case_id, actor, photos)
    assert _state(engine, case_id) == state


@pytest.mark.parametrize(("action", "role"),
                         [(a, r) for a in ACTIONS for r in ROLES])
def test_who_may_take_each_action(engine, photos, action: str, role: str) -> None:  # noqa: ANN001
    clk = clock()
    case_id = _case_in(engine, clk, photos, FROM[action])
    with engine.begin() as conn:
        if role in ALLOWED[action]:
            ACTIONS[action](conn, clk, case_id, ACTORS[role], photos)
            assert get_case(conn, case_id).state == LEGAL[action, FROM[action]]
            return
        with pytest.raises(NotAllowed, match=f"role '{role}' may not "
                                             f"{action.replace('_', ' ')}"):
            ACTIONS[action](conn, clk, case_id, ACTORS[role], photos)
    assert _state(engine, case_id) == FROM[action]


@pytest.mark.parametrize("action", ["start_rectification", "complete_measure",
                                    "claim_rectified"])
def test_another_unit_may_not_act_on_the_case(engine, photos, action: str) -> None:  # noqa: ANN001
    clk = clock()
    case_id = _case_in(engine, clk, photos, FROM[action])
    with engine.begin() as conn, pytest.raises(
            NotAllowed, match="unit '东山镇人民政府' may not .*responsible unit is 区生态环境分局"):
        ACTIONS[action](conn, clk, case_id, OTHER_UNIT, photos)


def test_unknown_case_is_not_found(engine) -> None:  # noqa: ANN001
    with engine.begin() as conn, pytest.raises(NotFound):
        workflow.start_rectification(conn, case_id=42, actor=UNIT, clock=clock())


# --- the whole loop and its audit trail ------------------------------------------------------

def test_the_whole_loop_leaves_a_verifiable_trail(engine, photos) -> None:  # noqa: ANN001
    clk = clock()
    with engine.begin() as conn:
        case_id = new_case(conn, clk)
        workflow.start_rectification(conn, case_id=case_id, actor=UNIT, clock=clk)
        clk.advance(days=10)
        workflow.complete_measure(conn, case_id=case_id, actor=UNIT, clock=clk, position=2,
                                  photo_ids=photos["spare"], note="覆土完成")
        workflow.claim_rectified(conn, case_id=case_id, actor=UNIT, clock=clk,
                                 photo_ids=photos["rectification"])
        workflow.accept(conn, case_id=case_id, actor=ACCEPTOR, clock=clk,
                        photo_ids=photos["acceptance"], note="现场验收合格")
        workflow.assess(conn, case_id=case_id, actor=ASSESSOR, clock=clk,
                        conclusion=CONCLUSION, documents=[REPORT])
        workflow.publicise(conn, case_id=case_id, actor=LEADER, clock=clk,
                           notice_start=date(2022, 3, 12), notice_end=date(2022, 3, 18))
        clk.set(T0.replace(day=19))
        workflow.close(conn, case_id=case_id, actor=LEADER, clock=clk)
    with engine.connect() as conn:
        case = get_case(conn, case_id)
        assert (case.state, case.closed_at) == ("closed", T0.replace(day=19))
        assert (case.notice_start, case.notice_end) == (date(2022, 3, 12), date(2022, 3, 18))
        assert [(m.position, m.done_at, m.note) for m in case.measures] == [
            (1, None, None), (2, T0 + timedelta(days=10), "覆土完成")]
        assert case_photo_ids(conn, case_id, "rectification") == (
            photos["rectification"] + photos["spare"])
        assert case_photo_ids(conn, case_id, "acceptance") == photos["acceptance"]
        measure_of = dict(conn.execute(sa.select(case_photos.c.photo_id,
                                                 case_photos.c.measure_id)).all())
        assert measure_of[photos["spare"][0]] == case.measures[1].id
        assert measure_of[photos["rectification"][0]] is None
        trail = [(e["action"], e["data"].get("from"), e["data"].get("to"))
                 for e in audit.history(conn, "case", case_id)]
        assert trail == [
            ("case.create", None, "open"),
            ("case.start_rectification", "open", "rectifying"),
            ("case.link_photos", None, None),  # the measure's photo
            ("case.link_photos", None, None),
            ("case.claim_rectified", "rectifying", "rectified"),
            ("case.link_photos", None, None),
            ("case.accept", "rectified", "accepted"),
            ("case.assess", "accepted", "assessed"),
            ("case.publicise", "assessed", "publicised"),
            ("case.close", "publicised", "closed"),
        ]
        [done] = audit.history(conn, "measure", case.measures[1].id)
        assert (done["action"], done["data"]["position"]) == ("measure.complete", 2)
        assert audit.verify(conn).ok
        entries = conn.execute(sa.select(sa.func.count()).select_from(audit_log)
                               .where(audit_log.c.entity.in_(["case", "measure"]))).scalar()
        assert entries == 11


# --- evidence --------------------------------------------------------------------------------

@pytest.mark.parametrize(("action", "state", "message"), [
    ("claim_rectified", "rectifying", "claim rectified needs rectification photos"),
    ("accept", "rectified", "accept needs on-site acceptance photos"),
])
def test_steps_without_photos_are_refused(engine, photos, action: str, state: str,  # noqa: ANN001
                                          message: str) -> None:
    clk = clock()
    case_id = _case_in(engine, clk, photos, state)
    actor = UNIT if action == "claim_rectified" else ACCEPTOR
    with engine.begin() as conn, pytest.raises(MissingEvidence, match=message):
        getattr(workflow, action)(conn, case_id=case_id, actor=actor, clock=clk, photo_ids=[])
    assert _state(engine, case_id) == state


@pytest.mark.parametrize(("action", "state", "actor", "extra"), [
    ("return_for_rework", "rectified", ACCEPTOR, {}),
    ("reopen_for_recurrence", "closed", SYSTEM, {}),
    ("decide_objection", "publicised", LEADER, {"objection_id": 1, "upheld": False}),
])
@pytest.mark.parametrize("note", [None, "  "])
def test_steps_without_a_note_are_refused(engine, photos, action: str, state: str,  # noqa: ANN001
                                          actor: Actor, extra: dict, note: str | None) -> None:
    clk = clock()
    case_id = _case_in(engine, clk, photos, state)
    with engine.begin() as conn, pytest.raises(MissingEvidence, match="needs a note"):
        getattr(workflow, action)(conn, case_id=case_id, actor=actor, clock=clk, note=note,
                                  **extra)


def test_accept_photos_must_exist(engine, photos) -> None:  # noqa: ANN001
    clk = clock()
    case_id = _case_in(engine, clk, photos, "rectified")
    with engine.begin() as conn, pytest.raises(InvalidInput, match="no photo with id 4242"):
        workflow.accept(conn, case_id=case_id, actor=ACCEPTOR, clock=clk, photo_ids=[4242])


def test_closing_without_acceptance_photos_is_impossible(engine, photos) -> None:  # noqa: ANN001
    clk = clock()
    case_id = _case_in(engine, clk, photos, "publicised")
    with engine.begin() as conn:  # the links removed behind the application's back
        conn.execute(sa.delete(case_photos).where(case_photos.c.purpose == "acceptance"))
    clk.advance(days=7)
    with engine.begin() as conn, pytest.raises(MissingEvidence,
                                               match="DC-2022-01: cannot close without "
                                                     "acceptance photos"):
        workflow.close(conn, case_id=case_id, actor=LEADER, clock=clk)
    assert _state(engine, case_id) == "publicised"


# --- measures --------------------------------------------------------------------------------

def test_a_measure_is_done_once(engine, photos) -> None:  # noqa: ANN001
    clk = clock()
    case_id = _case_in(engine, clk, photos, "rectifying")
    with engine.begin() as conn:
        workflow.complete_measure(conn, case_id=case_id, actor=UNIT, clock=clk, position=1)
        with pytest.raises(IllegalTransition, match="measure 1 is already done"):
            workflow.complete_measure(conn, case_id=case_id, actor=UNIT, clock=clk, position=1)
        with pytest.raises(NotFound, match="no measure at position 3"):
            workflow.complete_measure(conn, case_id=case_id, actor=UNIT, clock=clk, position=3)
        assert [m.done_at for m in get_case(conn, case_id).measures] == [T0, None]
        assert case_photo_ids(conn, case_id) == []  # no photos given, none linked


# --- recurrence ------------------------------------------------------------------------------

def test_a_recurrence_reopens_a_closed_case(engine, photos) -> None:  # noqa: ANN001
    clk = clock()
    case_id = _case_in(engine, clk, photos, "closed")
    with engine.begin() as conn:
        workflow.reopen_for_recurrence(conn, case_id=case_id, actor=SYSTEM, clock=clk,
                                       note="第二轮回头看：渗滤液外溢")
        case = get_case(conn, case_id)
        assert (case.state, case.is_recurrence) == ("rectifying", True)
        [last] = audit.history(conn, "case", case_id)[-1:]
        assert (last["action"], last["data"], last["note"]) == (
            "case.reopen_for_recurrence", {"from": "closed", "to": "rectifying",
                                           "deadline": "2022-04-07",
                                           "old_deadline": "2022-12-31"},
            "第二轮回头看：渗滤液外溢")


def test_closing_schedules_the_look_back_rounds(engine, photos) -> None:  # noqa: ANN001
    from inspections.schema import lookback_rounds

    clk = clock()
    case_id = _case_in(engine, clk, photos, "closed", lookback_agency="第三方机构甲")
    with engine.connect() as conn:
        closed_at = get_case(conn, case_id).closed_at
        rounds = conn.execute(sa.select(lookback_rounds).where(
            lookback_rounds.c.case_id == case_id).order_by(lookback_rounds.c.number)
        ).mappings().all()
    assert [r["number"] for r in rounds] == list(range(1, len(rounds) + 1))
    assert rounds and {r["agency"] for r in rounds} == {"第三方机构甲"}
    assert all(r["window_start"].replace(tzinfo=None) > closed_at.replace(tzinfo=None)
               for r in rounds)


def test_closing_with_a_long_term_policy(engine, photos) -> None:  # noqa: ANN001
    """First-round landfills are looked back at for years: 12, 24 and 36 months."""
    from inspections.lookback_policy import LookbackPolicy
    from inspections.schema import lookback_rounds

    clk = clock()
    case_id = _case_in(engine, clk, photos, "publicised")
    clk.advance(days=7)  # 2022-03-08: past the notice period
    policy = LookbackPolicy(default=((12, 30), (24, 30), (36, 30)))
    with engine.begin() as conn:
        workflow.close(conn, case_id=case_id, actor=LEADER, clock=clk, policy=policy)
        starts = conn.execute(sa.select(lookback_rounds.c.window_start)
                              .where(lookback_rounds.c.case_id == case_id)
                              .order_by(lookback_rounds.c.number)).scalars().all()
    # Windows open at 00:00 China time (16:00 UTC the day before) on 2023/24/25-03-08.
    assert [(s.year, s.month, s.day, s.hour) for s in starts] == [
        (2023, 3, 7, 16), (2024, 3, 7, 16), (2025, 3, 7, 16)]
