"""Change polygons (变化图斑): stored per pair of images, replaced on a new run unless
reviewed; confirmed into a recurred look-back round (the round is decided, the case reopened,
a ticket issued) or dismissed with its reason kept; audited; the map flag "possible_change"
while any wait for review; the measured precision."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from shapely.geometry import box
from sqlalchemy.engine import Engine

from inspections import audit, lookbacks
from inspections.actors import SYSTEM
from inspections.change_review import (
    FoundChange,
    confirm_change,
    dismiss_change,
    get_change,
    list_changes,
    precision,
    record_changes,
)
from inspections.clock import FixedClock
from inspections.errors import IllegalTransition, InvalidInput, MissingEvidence, NotAllowed
from inspections.site_flags import site_statuses
from inspections.tickets import get_ticket
from tests.geo import sample
from tests.inspections.lookback_builders import (
    CLOSED_AT,
    INSPECTOR,
    LEADER,
    OTHER_INSPECTOR,
    closed_case,
    drone_photo,
    ingest_photos,
    site_id,
)

CN = ZoneInfo("Asia/Shanghai")
OVER_LF1 = {"lon": 121.415, "lat": 28.711}
IN_ROUND_1 = datetime(2022, 5, 2, 2, 0, tzinfo=UTC)  # round 1: 2022-04-15 to 05-15 (China)
PILE = box(121.4145, 28.7105, 121.4148, 28.7108)  # a new dump pile inside LF1


@pytest.fixture
def world(engine: Engine, tmp_path: Path) -> dict[str, int]:
    """LF1's closed case with its rounds; an earlier and a round-1 drone photo over LF1;
    round 1 awaiting review on the second photo."""
    sample.load(engine)
    with engine.begin() as conn:
        case_id = closed_case(conn)
        rounds = lookbacks.schedule_rounds(conn, case_id=case_id, closed_at=CLOSED_AT,
                                           source="inspection_feedback", agency=None,
                                           actor=SYSTEM, tz=CN)
        lf1 = site_id(conn, "LF1")
    before, after = ingest_photos(
        engine, tmp_path / "store",
        drone_photo(tmp_path, "before.jpg", **OVER_LF1, taken="2021-11-01 10:00", seed=11),
        drone_photo(tmp_path, "after.jpg", **OVER_LF1, taken="2022-05-01 10:00", seed=12))
    with engine.begin() as conn:
        lookbacks.refresh_rounds(conn, actor=SYSTEM, clock=FixedClock(IN_ROUND_1, CN))
    return {"case": case_id, "round": rounds[0], "round_2": rounds[1], "site": lf1,
            "before": before, "after": after}


def _found(*areas: float) -> list[FoundChange]:
    return [FoundChange(PILE, area, 0.8, f"change-{i:016x}-before.jpg",
                        f"change-{i:016x}-after.jpg") for i, area in enumerate(areas)]


def _record(engine: Engine, w: dict[str, int], *areas: float) -> list[int]:
    with engine.begin() as conn:
        return record_changes(conn, site_id=w["site"], before_photo_id=w["before"],
                              after_photo_id=w["after"], found=_found(*areas), shift_m=1.4,
                              detected_at=IN_ROUND_1)


def _clock() -> FixedClock:
    return FixedClock(IN_ROUND_1, CN)


def test_polygons_are_stored_largest_first(engine: Engine, world: dict[str, int]) -> None:
    ids = _record(engine, world, 120.0, 480.0)
    with engine.connect() as conn:
        found = list_changes(conn, site_ids=[world["site"]])
    assert [c.id for c in found] == [ids[1], ids[0]]
    assert [(c.area_m2, c.state, c.shift_m) for c in found] == [
        (480.0, "unreviewed", 1.4), (120.0, "unreviewed", 1.4)]
    assert found[0].geometry.equals(PILE)
    assert found[0].detected_at == IN_ROUND_1


def test_a_new_run_replaces_unreviewed_polygons_and_keeps_reviewed_ones(
        engine: Engine, world: dict[str, int]) -> None:
    first = _record(engine, world, 120.0, 480.0)
    with engine.begin() as conn:
        dismiss_change(conn, change_id=first[0], actor=INSPECTOR, clock=_clock(),
                       reason="云影")
    again = _record(engine, world, 300.0)
    with engine.connect() as conn:
        kept = {c.id: c.state for c in list_changes(conn, site_ids=[world["site"]])}
    assert kept == {first[0]: "dismissed", again[0]: "unreviewed"}


def test_dismissing_keeps_the_reason_and_is_audited(engine: Engine,
                                                    world: dict[str, int]) -> None:
    [change_id] = _record(engine, world, 200.0)
    with engine.begin() as conn:
        change = dismiss_change(conn, change_id=change_id, actor=INSPECTOR, clock=_clock(),
                                reason="  季节性植被变化  ")
        [entry] = audit.history(conn, "change", change_id)
        assert audit.verify(conn).ok
    assert (change.state, change.reason, change.reviewed_by) == (
        "dismissed", "季节性植被变化", INSPECTOR.name)
    assert change.reviewed_at == IN_ROUND_1
    assert (entry["action"], entry["note"], entry["data"]["to"]) == (
        "change.dismissed", "季节性植被变化", "dismissed")


def test_dismissing_needs_a_reason_and_an_unreviewed_polygon(engine: Engine,
                                                             world: dict[str, int]) -> None:
    [change_id] = _record(engine, world, 200.0)
    with engine.begin() as conn, pytest.raises(
            InvalidInput, match=f"change polygon {change_id}: dismissing it needs a reason"):
        dismiss_change(conn, change_id=change_id, actor=INSPECTOR, clock=_clock(), reason=" ")
    with engine.begin() as conn, pytest.raises(InvalidInput, match="at most 500"):
        dismiss_change(conn, change_id=change_id, actor=INSPECTOR, clock=_clock(),
                       reason="云" * 501)
    with engine.begin() as conn:
        dismiss_change(conn, change_id=change_id, actor=INSPECTOR, clock=_clock(), reason="云影")
    with engine.begin() as conn, pytest.raises(IllegalTransition, match="already dismissed"):
        dismiss_change(conn, change_id=change_id, actor=LEADER, clock=_clock(), reason="再排除")


def test_only_the_sites_agency_a_leader_or_an_admin_review(engine: Engine,
                                                           world: dict[str, int]) -> None:
    [change_id] = _record(engine, world, 200.0)
    with engine.begin() as conn, pytest.raises(
            NotAllowed, match=f"change polygon {change_id}: zhao.lei \\(inspector\\) may not"):
        dismiss_change(conn, change_id=change_id, actor=OTHER_INSPECTOR, clock=_clock(),
                       reason="云影")
    with engine.begin() as conn:
        assert dismiss_change(conn, change_id=change_id, actor=LEADER, clock=_clock(),
                              reason="云影").state == "dismissed"


def test_confirming_decides_the_round_recurred(engine: Engine, world: dict[str, int]) -> None:
    [change_id] = _record(engine, world, 350.0)
    with engine.begin() as conn:
        change = confirm_change(conn, change_id=change_id, round_id=world["round"],
                                actor=INSPECTOR, clock=_clock(),
                                note="正射影像比对发现新增堆体，问题反弹")
        r = lookbacks.get_round(conn, world["round"])
        ticket_id = conn.execute(sa.text("SELECT id FROM tickets WHERE round_id = :r"),
                                 {"r": world["round"]}).scalar_one()
        ticket = get_ticket(conn, ticket_id)
        case_state = conn.execute(sa.text("SELECT state FROM cases WHERE id = :c"),
                                  {"c": world["case"]}).scalar_one()
        [entry] = audit.history(conn, "change", change_id)
        assert audit.verify(conn).ok
    assert (change.state, change.round_id, change.reviewed_by) == (
        "confirmed", world["round"], INSPECTOR.name)
    assert (r.state, r.note) == ("recurred", "正射影像比对发现新增堆体，问题反弹")
    assert world["after"] in r.evidence_photo_ids
    assert case_state == "rectifying" and "问题反弹" in ticket.request
    assert (entry["action"], entry["data"]["round_id"]) == ("change.confirmed", world["round"])


def test_a_second_polygon_joins_the_recurred_decision(engine: Engine,
                                                      world: dict[str, int]) -> None:
    first, second = _record(engine, world, 350.0, 90.0)
    with engine.begin() as conn:
        confirm_change(conn, change_id=first, round_id=world["round"], actor=INSPECTOR,
                       clock=_clock(), note="新增堆体")
        change = confirm_change(conn, change_id=second, round_id=world["round"],
                                actor=INSPECTOR, clock=_clock())
        tickets = conn.execute(sa.text("SELECT count(*) FROM tickets")).scalar_one()
    assert (change.state, change.round_id, tickets) == ("confirmed", world["round"], 1)


def test_confirming_is_refused_on_a_passed_round_or_without_a_note(
        engine: Engine, world: dict[str, int]) -> None:
    [change_id] = _record(engine, world, 350.0)
    with engine.begin() as conn, pytest.raises(MissingEvidence, match="needs a note"):
        confirm_change(conn, change_id=change_id, round_id=world["round"], actor=INSPECTOR,
                       clock=_clock(), note="")
    with engine.begin() as conn:
        lookbacks.review_round(conn, round_id=world["round"], actor=INSPECTOR, clock=_clock(),
                               outcome="passed", note="未见反弹")
    with engine.begin() as conn, pytest.raises(IllegalTransition,
                                               match="already decided 'passed'"):
        confirm_change(conn, change_id=change_id, round_id=world["round"], actor=INSPECTOR,
                       clock=_clock(), note="新增堆体")
    with engine.connect() as conn:
        assert get_change(conn, change_id).state == "unreviewed"


def test_the_map_flag_shows_while_polygons_wait_and_clears(engine: Engine,
                                                           world: dict[str, int]) -> None:
    def flags() -> tuple[str, ...]:
        with engine.connect() as conn:
            return site_statuses(conn, [world["site"]], IN_ROUND_1, tz=CN)[world["site"]].flags

    assert "possible_change" not in flags()
    first, second = _record(engine, world, 350.0, 90.0)
    assert "possible_change" in flags()
    with engine.begin() as conn:
        dismiss_change(conn, change_id=first, actor=INSPECTOR, clock=_clock(), reason="云影")
    assert "possible_change" in flags()
    with engine.begin() as conn:
        dismiss_change(conn, change_id=second, actor=INSPECTOR, clock=_clock(), reason="车辆")
    assert "possible_change" not in flags()


def test_precision_is_the_share_confirmed(engine: Engine, world: dict[str, int]) -> None:
    ids = _record(engine, world, 400.0, 300.0, 200.0, 100.0)
    with engine.connect() as conn:
        assert precision(conn).rate is None
    with engine.begin() as conn:
        confirm_change(conn, change_id=ids[0], round_id=world["round"], actor=INSPECTOR,
                       clock=_clock(), note="新增堆体")
        for change_id in ids[1:3]:
            dismiss_change(conn, change_id=change_id, actor=INSPECTOR, clock=_clock(),
                           reason="云影")
        found = precision(conn)
    assert (found.confirmed, found.dismissed, found.unreviewed) == (1, 2, 1)
    assert found.rate == pytest.approx(1 / 3)
    assert found.dismissed_share == pytest.approx(2 / 3)


def test_photos_handed_over_become_the_rounds_evidence(engine: Engine,
                                                       world: dict[str, int]) -> None:
    with engine.begin() as conn:
        linked = lookbacks.add_evidence(conn, round_id=world["round_2"],
                                        photo_ids=[world["before"]], actor=INSPECTOR,
                                        clock=_clock())
        again = lookbacks.add_evidence(conn, round_id=world["round_2"],
                                       photo_ids=[world["before"]], actor=INSPECTOR,
                                       clock=_clock())
        r = lookbacks.get_round(conn, world["round_2"])
        [entry] = audit.history(conn, "round", world["round_2"])[-1:]
    assert (linked, again, r.evidence_photo_ids) == ((world["before"],), (), (world["before"],))
    assert entry["data"] == {"photo_ids": [world["before"]], "how": "handed_over"}
    with engine.begin() as conn, pytest.raises(NotAllowed, match="may not review it"):
        lookbacks.add_evidence(conn, round_id=world["round_2"], photo_ids=[world["after"]],
                               actor=OTHER_INSPECTOR, clock=_clock())
