"""Look-back rounds: scheduling, the clock, evidence matching, reviews (the policy's dates are
in test_lookback_policy.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from inspections import audit, lookbacks
from inspections.actors import SYSTEM, Actor
from inspections.clock import FixedClock
from inspections.errors import (
    IllegalTransition,
    InvalidInput,
    MissingEvidence,
    NotAllowed,
    NotFound,
)
from inspections.evidence import match_evidence
from inspections.lookback_policy import LookbackPolicy
from inspections.schema import cases, lookback_rounds
from inspections.tickets import get_ticket
from tests.geo import sample
from tests.inspections.lookback_builders import (
    AGENCY,
    CLOSED_AT,
    INSPECTOR,
    LEADER,
    OTHER_INSPECTOR,
    TOWN,
    TOWN_UNIT,
    closed_case,
    drone_photo,
    field_photo,
    ingest_photos,
)

CN = ZoneInfo("Asia/Shanghai")
OVER_LF1 = dict(lon=121.415, lat=28.711)  # the middle of the landfill LF1
AWAY = dict(lon=121.415, lat=28.7083)  # 300 m south: the 100 m-deep footprint misses LF1
SOUTH_55M = dict(lon=121.415, lat=28.7095)  # 0.0005 deg (55.4 m) south of LF1's edge
SOUTH_89M = dict(lon=121.415, lat=28.7092)  # 0.0008 deg (88.7 m) south of LF1's edge


def cn(text: str) -> datetime:
    """'2022-04-15 00:00:00' in China time."""
    return datetime.fromisoformat(text).replace(tzinfo=CN)


@pytest.fixture
def layered(engine: Engine) -> Engine:
    """The engine with the sample grid cells, enterprises and the landfill LF1."""
    sample.load(engine)
    return engine


def _schedule(engine: Engine, **case: object) -> tuple[int, list[int]]:
    with engine.begin() as conn:
        case_id = closed_case(conn, **case)
        return case_id, lookbacks.schedule_rounds(conn, case_id=case_id, closed_at=CLOSED_AT,
                                                  source="inspection_feedback", agency=None,
                                                  actor=SYSTEM, tz=CN)


def _refresh(engine: Engine, when: datetime) -> lookbacks.RoundChanges:
    with engine.begin() as conn:
        return lookbacks.refresh_rounds(conn, actor=SYSTEM, clock=FixedClock(when))


def _state(engine: Engine, round_id: int) -> str:
    with engine.connect() as conn:
        return lookbacks.get_round(conn, round_id).state


def _audit_ok(engine: Engine) -> None:
    with engine.connect() as conn:
        assert audit.verify(conn).ok


# --- scheduling ------------------------------------------------------------------------------

def test_schedule_four_rounds_on_a_closed_case(layered: Engine) -> None:
    case_id, ids = _schedule(layered)
    with layered.connect() as conn:
        rounds = lookbacks.list_rounds(conn)
        lf1 = conn.execute(sa.text("SELECT id FROM sites WHERE code = 'LF1'")).scalar_one()
        entries = audit.history(conn, "round", ids[0])
    assert [r.id for r in rounds] == ids
    assert [(r.number, r.state, r.agency, r.case_reference) for r in rounds] == [
        (n, "scheduled", AGENCY, "DC-2022-03") for n in (1, 2, 3, 4)]
    # Closed 2022-03-15 (China): rounds on 04-15, 06-15, 09-15 and 2023-03-15.
    assert [(r.window_start, r.window_end) for r in rounds] == [
        (cn("2022-04-15 00:00:00"), cn("2022-05-15 23:59:59")),
        (cn("2022-06-15 00:00:00"), cn("2022-07-15 23:59:59")),
        (cn("2022-09-15 00:00:00"), cn("2022-10-15 23:59:59")),
        (cn("2023-03-15 00:00:00"), cn("2023-04-14 23:59:59"))]
    assert all(r.window_start.tzinfo is not None for r in rounds)
    assert rounds[0].site_ids == (lf1,) and rounds[0].case_id == case_id
    assert [(e["action"], e["data"]["number"]) for e in entries] == [("round.schedule", 1)]
    _audit_ok(layered)


def test_schedule_prefers_the_agency_passed_and_a_policy(layered: Engine) -> None:
    with layered.begin() as conn:
        case_id = closed_case(conn)
        ids = lookbacks.schedule_rounds(
            conn, case_id=case_id, closed_at=CLOSED_AT, source="petition", agency="另一机构",
            actor=SYSTEM, policy=LookbackPolicy(by_source={"petition": [(1, 5)]}), tz=CN)
        [rnd] = lookbacks.list_rounds(conn)
    assert [rnd.id] == ids
    assert (rnd.agency, rnd.window_end) == ("另一机构", cn("2022-04-20 23:59:59"))


def test_schedule_an_unknown_case_is_refused(layered: Engine) -> None:
    with layered.begin() as conn, pytest.raises(NotFound, match="case 999: no such case"):
        lookbacks.schedule_rounds(conn, case_id=999, closed_at=CLOSED_AT, source="petition",
                                  agency=AGENCY, actor=SYSTEM, tz=CN)


# --- the clock -------------------------------------------------------------------------------

def test_clock_moves_rounds_scheduled_due_overdue(layered: Engine) -> None:
    _, (r1, r2, _, _) = _schedule(layered)
    assert not _refresh(layered, cn("2022-04-14 23:59:59"))  # round 1 opens at 04-15 00:00
    changes = _refresh(layered, cn("2022-04-15 00:00:00"))
    assert (changes.due, changes.overdue) == ((r1,), ())
    assert not _refresh(layered, cn("2022-04-20 00:00:00"))  # nothing new: idempotent
    assert not _refresh(layered, cn("2022-05-15 23:59:59"))  # the window's last second
    changes = _refresh(layered, cn("2022-05-16 00:00:00"))
    assert (changes.due, changes.overdue) == ((), (r1,))
    assert (_state(layered, r1), _state(layered, r2)) == ("overdue", "scheduled")
    with layered.connect() as conn:
        actions = [e["action"] for e in audit.history(conn, "round", r1)]
    assert actions == ["round.schedule", "round.due", "round.overdue"]
    _audit_ok(layered)


def test_a_late_refresh_takes_a_round_through_due_to_overdue(layered: Engine) -> None:
    _, (r1, r2, _, _) = _schedule(layered)
    changes = _refresh(layered, cn("2022-06-20 00:00:00"))
    assert (changes.due, changes.overdue) == ((r1, r2), (r1,))
    with layered.connect() as conn:
        assert [r.id for r in lookbacks.list_rounds(conn, state="due")] == [r2]
        assert [r.id for r in lookbacks.list_rounds(conn, state="overdue")] == [r1]


def test_list_rounds_filters(layered: Engine) -> None:
    _, (r1, r2, r3, r4) = _schedule(layered)
    with layered.begin() as conn:
        other = closed_case(conn, reference="XF-2022-01", agency="台州绿源咨询有限公司")
        [o1] = lookbacks.schedule_rounds(conn, case_id=other, closed_at=CLOSED_AT,
                                         source="petition", agency=None, actor=SYSTEM,
                                         policy=LookbackPolicy(default=((1, 30),)), tz=CN)
    with layered.connect() as conn:
        assert [r.id for r in lookbacks.list_rounds(conn, agency=AGENCY)] == [r1, r2, r3, r4]
        assert [r.id for r in lookbacks.list_rounds(conn, due_before=date(2022, 6, 15), tz=CN)] == [
            r1, o1]
        assert [r.id for r in lookbacks.list_rounds(conn, due_before=date(2022, 6, 16), tz=CN)] == [
            r1, o1, r2]
        # Round 2 opens at 2022-06-15 00:00 in Shanghai, which is still 06-14 in UTC.
        assert [r.id for r in lookbacks.list_rounds(
            conn, due_before=date(2022, 6, 15), tz=ZoneInfo("UTC"))] == [r1, o1, r2]
        with pytest.raises(InvalidInput, match="due before 2022-06-15: no time zone given"):
            lookbacks.list_rounds(conn, due_before=date(2022, 6, 15))
        assert lookbacks.list_rounds(conn, state="passed") == []
        with pytest.raises(NotFound, match="look-back round 999: no such round"):
            lookbacks.get_round(conn, 999)


# --- evidence --------------------------------------------------------------------------------

@pytest.fixture
def photo_set(layered: Engine, tmp_path: Path) -> dict[str, int]:
    """Real ingested photos around LF1, inside and outside round 1's window (04-15..05-15)."""
    folder = tmp_path / "in"
    folder.mkdir()
    files = {
        "drone_in": drone_photo(folder, "d1.jpg", **OVER_LF1, taken="2022-05-01 10:00", seed=1),
        "drone_late": drone_photo(folder, "d2.jpg", **OVER_LF1, taken="2022-06-20 10:00",
                                  seed=2),
        "drone_away": drone_photo(folder, "d3.jpg", **AWAY, taken="2022-05-01 10:00", seed=3),
        "field_55m": field_photo(folder, "f1.jpg", **SOUTH_55M, taken="2022-05-02 09:00",
                                 seed=4),
        "field_89m": field_photo(folder, "f2.jpg", **SOUTH_89M, taken="2022-05-03 09:00",
                                 seed=5),
        "field_naive": field_photo(folder, "f3.jpg", **SOUTH_55M, taken="2022-05-04 09:00",
                                   offset=None, seed=6),
        "field_undated": field_photo(folder, "f4.jpg", **SOUTH_55M, taken=None, seed=7),
        "field_early": field_photo(folder, "f5.jpg", **SOUTH_55M, taken="2022-04-10 09:00",
                                   seed=8),
    }
    ids = ingest_photos(layered, tmp_path / "store", *files.values())
    return dict(zip(files, ids, strict=True))


def test_evidence_matches_sites_and_window(layered: Engine, photo_set: dict[str, int]) -> None:
    _, (r1, r2, _, _) = _schedule(layered)
    p = photo_set
    with layered.connect() as conn:
        assert match_evidence(conn, round_id=r1, tz=CN) == sorted(
            [p["drone_in"], p["field_55m"], p["field_89m"], p["field_naive"]])
        assert match_evidence(conn, round_id=r1, radius_m=60, tz=CN) == sorted(
            [p["drone_in"], p["field_55m"], p["field_naive"]])
        assert match_evidence(conn, round_id=r2, tz=CN) == [p["drone_late"]]  # 06-15..07-15
        with pytest.raises(NotFound, match="look-back round 999"):
            match_evidence(conn, round_id=999, tz=CN)


def test_a_case_elsewhere_matches_nothing(layered: Engine, photo_set: dict[str, int]) -> None:
    _, (r1, *_) = _schedule(layered, site_codes=("E1",))
    with layered.connect() as conn:
        assert match_evidence(conn, round_id=r1, tz=CN) == []


def test_a_case_with_only_a_point_matches_field_photos_near_it(
        layered: Engine, photo_set: dict[str, int]) -> None:
    # The case point is at the 55 m photos; the 89 m photo is 0.0003 deg (33.3 m) further.
    _, (r1, *_) = _schedule(layered, site_codes=(), point=(121.415, 28.7095))
    p = photo_set
    with layered.connect() as conn:
        assert match_evidence(conn, round_id=r1, radius_m=20, tz=CN) == sorted(
            [p["field_55m"], p["field_naive"]])
        assert match_evidence(conn, round_id=r1, tz=CN) == sorted(
            [p["field_55m"], p["field_89m"], p["field_naive"]])


def test_refresh_links_evidence_and_awaits_review(layered: Engine,
                                                  photo_set: dict[str, int]) -> None:
    _, (r1, r2, _, _) = _schedule(layered)
    changes = _refresh(layered, cn("2022-05-20 00:00:00"))
    expected = tuple(sorted([photo_set[k] for k in ("drone_in", "field_55m", "field_89m",
                                                    "field_naive")]))
    # Round 1 had evidence but no review by its window's end: overdue, evidence kept.
    assert (changes.due, changes.awaiting_review, changes.overdue) == ((r1,), (r1,), (r1,))
    assert changes.evidence == {r1: expected}
    changes = _refresh(layered, cn("2022-06-16 00:00:00"))
    assert (changes.due, changes.awaiting_review, changes.evidence) == (
        (r2,), (r2,), {r2: (photo_set["drone_late"],)})
    assert not _refresh(layered, cn("2022-06-16 00:00:00"))
    with layered.connect() as conn:
        assert lookbacks.get_round(conn, r1).evidence_photo_ids == expected
        assert lookbacks.get_round(conn, r2).state == "awaiting_review"
        actions = [e["action"] for e in audit.history(conn, "round", r2)]
    assert actions == ["round.schedule", "round.due", "round.evidence", "round.awaiting_review"]
    _audit_ok(layered)


# --- reviews ---------------------------------------------------------------------------------

def _review(engine: Engine, round_id: int, *, actor: Actor = INSPECTOR,
            when: datetime | None = None, outcome: str = "passed",
            note: str = "现场无新增垃圾，覆土完好", photo_ids: tuple[int, ...] = ()
            ) -> lookbacks.ReviewResult:
    with engine.begin() as conn:
        clock = FixedClock(when or cn("2022-05-10 15:00:00"))
        return lookbacks.review_round(conn, round_id=round_id, actor=actor, clock=clock,
                                      outcome=outcome, note=note, photo_ids=photo_ids)


def test_review_passed(layered: Engine, photo_set: dict[str, int]) -> None:
    case_id, (r1, *_) = _schedule(layered)
    _refresh(layered, cn("2022-05-01 00:00:00"))
    assert _state(layered, r1) == "awaiting_review"
    result = _review(layered, r1)
    evidence = tuple(sorted([photo_set[k] for k in ("drone_in", "field_55m", "field_89m",
                                                    "field_naive")]))
    assert result == lookbacks.ReviewResult(r1, "passed", evidence, None)
    with layered.connect() as conn:
        rnd = lookbacks.get_round(conn, r1)
        assert conn.execute(sa.select(cases.c.state).where(cases.c.id == case_id)
                            ).scalar_one() == "closed"
        last = audit.history(conn, "round", r1)[-1]
    assert (rnd.state, rnd.reviewed_by) == ("passed", "wang.jun")
    assert rnd.note == "现场无新增垃圾，覆土完好"
    assert rnd.reviewed_at == cn("2022-05-10 15:00:00")
    assert (last["action"], last["data"]["to"], last["data"]["photo_ids"]) == (
        "round.passed", "passed", list(evidence))
    _audit_ok(layered)


def test_a_leader_reviews_an_overdue_round_on_given_photos(
        layered: Engine, photo_set: dict[str, int]) -> None:
    # The case point-less, site-less: nothing matches, so the photos must be given.
    _, (r1, *_) = _schedule(layered, site_codes=())
    _refresh(layered, cn("2022-05-20 00:00:00"))
    assert _state(layered, r1) == "overdue"
    result = _review(layered, r1, actor=LEADER, when=cn("2022-05-21 09:00:00"),
                     photo_ids=(photo_set["drone_late"],))
    assert (result.state, result.photo_ids) == ("passed", (photo_set["drone_late"],))


def test_a_due_round_is_reviewed_on_given_photos(layered: Engine,
                                                 photo_set: dict[str, int]) -> None:
    _, (r1, *_) = _schedule(layered, site_codes=())  # nothing can match a site-less case
    _refresh(layered, cn("2022-04-16 00:00:00"))
    assert _state(layered, r1) == "due"
    result = _review(layered, r1, photo_ids=(photo_set["field_55m"], photo_set["drone_in"]))
    assert result.photo_ids == tuple(sorted([photo_set["field_55m"], photo_set["drone_in"]]))
    with layered.connect() as conn:
        evidence = [e for e in audit.history(conn, "round", r1)
                    if e["action"] == "round.evidence"]
    assert [e["data"]["how"] for e in evidence] == ["given"]


def test_review_recurred_reopens_the_case_and_issues_a_ticket(
        layered: Engine, photo_set: dict[str, int]) -> None:
    case_id, (r1, r2, r3, r4) = _schedule(layered, key_case=True, leader="张副区长")
    _refresh(layered, cn("2022-05-01 00:00:00"))
    result = _review(layered, r1, outcome="recurred", note="填埋场东侧新增裸露垃圾约200平方米")
    assert (result.state, result.ticket_id is not None) == ("recurred", True)
    with layered.connect() as conn:
        case = conn.execute(sa.select(cases).where(cases.c.id == case_id)).mappings().one()
        ticket = get_ticket(conn, result.ticket_id)
        left = conn.execute(sa.select(lookback_rounds.c.id)
                            .where(lookback_rounds.c.case_id == case_id)).scalars().all()
        cancelled = audit.history(conn, "round", r2)[-1]
    assert (case["state"], case["is_recurrence"]) == ("rectifying", True)
    assert left == [r1]  # rounds 2-4 had not started; a new closure schedules new ones
    assert cancelled["action"] == "round.cancel"
    assert (ticket.number, ticket.state, ticket.responsible_unit) == (
        "DB-2022-0001", "issued", TOWN)
    assert (ticket.case_id, ticket.round_id, ticket.copy_to_leader) == (case_id, r1, "张副区长")
    assert (ticket.deadline, ticket.issued_by) == (date(2022, 5, 25), "wang.jun")
    assert "DC-2022-03 第1轮回头看" in ticket.request
    assert "填埋场东侧新增裸露垃圾约200平方米" in ticket.request
    _audit_ok(layered)


def test_a_second_recurrence_on_a_reopened_case_only_issues_a_ticket(
        layered: Engine, photo_set: dict[str, int]) -> None:
    case_id, (r1, *_) = _schedule(layered)
    with layered.begin() as conn:
        conn.execute(sa.update(cases).where(cases.c.id == case_id).values(state="rectifying"))
    _refresh(layered, cn("2022-05-01 00:00:00"))
    result = _review(layered, r1, outcome="recurred", note="仍有渗滤液外溢")
    with layered.connect() as conn:
        ticket = get_ticket(conn, result.ticket_id)
    assert (ticket.number, ticket.copy_to_leader) == ("DB-2022-0001", None)  # not a key case


def test_a_review_applies_the_clock_first(layered: Engine, photo_set: dict[str, int]) -> None:
    _, (r1, *_) = _schedule(layered)  # no refresh ran: the round is still "scheduled"
    assert _review(layered, r1).state == "passed"


def test_review_refusals(layered: Engine, photo_set: dict[str, int]) -> None:
    _, (r1, r2, *_) = _schedule(layered)
    _refresh(layered, cn("2022-05-01 00:00:00"))
    with pytest.raises(NotAllowed, match=r"round 1 of case DC-2022-03: zhao.lei \(inspector, "
                                         r"台州绿源咨询有限公司\) may not review it"):
        _review(layered, r1, actor=OTHER_INSPECTOR)
    with pytest.raises(NotAllowed, match="only an inspector of 浙江环科检测有限公司"):
        _review(layered, r1, actor=TOWN_UNIT)
    with pytest.raises(NotAllowed):
        _review(layered, r1, actor=Actor("no.agency", "inspector"))
    with pytest.raises(MissingEvidence, match="a review needs a note"):
        _review(layered, r1, note="  ")
    with pytest.raises(InvalidInput, match="outcome 'fine' is unknown"):
        _review(layered, r1, outcome="fine")
    with pytest.raises(IllegalTransition, match="round 2 of case DC-2022-03: cannot review a "
                                                "round that is 'scheduled'"):
        _review(layered, r2)
    with pytest.raises(NotFound, match="look-back round 999: no such round"):
        _review(layered, 999)
    with pytest.raises(NotFound, match="photo 9999 does not exist"):
        _review(layered, r1, photo_ids=(9999,))
    _review(layered, r1)
    with pytest.raises(IllegalTransition, match="cannot review a round that is 'passed'"):
        _review(layered, r1)
    _audit_ok(layered)


def test_review_without_evidence_is_refused(layered: Engine) -> None:
    _, (r1, *_) = _schedule(layered)
    _refresh(layered, cn("2022-05-01 00:00:00"))
    with pytest.raises(MissingEvidence, match="round 1 of case DC-2022-03: no photo shows its "
                                              "sites inside the window"):
        _review(layered, r1)
    assert _state(layered, r1) == "due"


def test_the_reviewed_time_is_stored_as_an_instant(layered: Engine,
                                                   photo_set: dict[str, int]) -> None:
    _, (r1, *_) = _schedule(layered)
    _review(layered, r1, when=cn("2022-05-10 07:30:00"))
    with layered.connect() as conn:
        reviewed = lookbacks.get_round(conn, r1).reviewed_at
    assert reviewed - cn("2022-05-10 07:30:00") == timedelta(0)
