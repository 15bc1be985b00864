"""The demo scenario, played once per backend by `lookback demo`: the source report's 2022
figures come back out of `lookback stats`, computed from the events."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from geo.db import create_engine
from imagery.schema import photos
from imagery.store import FileStore
from inspections.demo.scenario import load
from inspections.demo.world import ScenarioError
from inspections.schema import cases, tickets
from tests.scenario import Played
from tests.web.cli import json_lines, run


def test_the_scenario_is_loaded_after_the_layers(played: Played) -> None:
    *layers, accounts, last = played.output
    assert [a["name"] for a in accounts["demo_accounts"]] == [
        "officer", "inspector", "unit", "leader", "admin", "acceptor", "assessor"]
    assert [Path(r["source"]).name for r in layers] == [
        "grid_cells.gpkg", "enterprises.zip", "landfills.geojson", "plants.kml"]
    summary = last["scenario"]
    assert summary["now"] == "2022-12-20T10:00:00+08:00"
    # 41 landfills + 12 feedback problems + 54 petitions + 14 patrol findings.
    assert summary["cases"] == 121
    assert summary["tickets"] == 244
    assert summary["complaints"] == 575 + 470
    assert summary["photos"] > 400


def test_stats_2022_reproduce_the_report(played: Played) -> None:
    [figures] = played.cli("stats", "--year", "2022")
    assert figures["feedback"] == {"inspection": "第二轮中央生态环境保护督察",
                                   "first_opened": "2021-02-04", "total": 12, "rectified": 9,
                                   "closed": 9, "rectification_rate": 0.75,
                                   "closure_rate": 0.75, "in_progress": 3, "overdue": 0,
                                   "behind_schedule": 0}
    assert figures["petitions"] == {"inspection": "第二轮中央生态环境保护督察",
                                    "first_opened": "2020-09-03", "last_opened": "2020-09-30",
                                    "total": 54, "batches": 24, "rectified": 54, "closed": 54,
                                    "rectification_rate": 1.0, "closure_rate": 1.0}
    assert figures["tickets"]["issued"] == 244
    assert figures["complaints"] == {"received": 470, "previous_year": 575,
                                     "yoy_change_pct": -18.26}
    assert figures["enforcement"] == {"penalty_decisions": 60, "fines_yuan": 8425735.0,
                                      "police_referrals": 9, "seizures_or_limits": 16,
                                      "detentions": 1, "detained_persons": 2,
                                      "criminal_cases": 1, "criminal_persons": 1}
    lookbacks = figures["lookbacks"]
    assert lookbacks["recurred"] == 1
    assert lookbacks["passed"] > 50
    assert lookbacks["overdue"] == 2  # the two petition re-checks the agency missed
    assert figures["patrol_cases"]["opened"] == 14


def test_the_landfills_of_the_2018_look_back_are_counted_on_their_own(played: Played) -> None:
    [figures] = played.cli("stats", "--year", "2020", "--inspection",
                           "2018年中央环境保护督察“回头看”")
    assert {k: figures["feedback"][k] for k in ("inspection", "total", "closed",
                                                 "in_progress", "overdue")} == {
        "inspection": "2018年中央环境保护督察“回头看”", "total": 41, "closed": 41,
        "in_progress": 0, "overdue": 0}
    [end_of_2019] = played.cli("stats", "--year", "2019")
    assert end_of_2019["feedback"]["closed"] == 18  # the listed ones, accepted in 2019


def test_the_three_open_problems_are_on_schedule(played: Played) -> None:
    found = played.cli("cases", "list", "--source", "inspection_feedback", "--state",
                       "rectifying")
    second_round = [c for c in found if c["reference"].startswith("DC2-")]
    assert len(second_round) == 3
    assert not any(c["progress"]["behind_schedule"] or c["progress"]["overdue"]
                   for c in second_round)


def test_a_recurrence_was_found_from_drone_evidence(played: Played) -> None:
    [recurred] = played.cli("lookbacks", "list", "--state", "recurred")
    engine = create_engine(played.env["url"])
    with engine.connect() as conn:
        kinds = set(conn.execute(sa.select(photos.c.kind).where(
            photos.c.id.in_(recurred["evidence_photo_ids"]))).scalars())
        case = conn.execute(sa.select(cases).where(cases.c.id == recurred["case_id"])
                            ).mappings().one()
        ticket = conn.execute(sa.select(tickets).where(tickets.c.round_id == recurred["id"])
                              ).mappings().one()
    engine.dispose()
    assert kinds == {"drone", "orthophoto"}  # the flight's photo and the handed-over COG
    assert (case["state"], case["is_recurrence"]) == ("rectifying", True)
    assert ticket["case_id"] == case["id"]
    assert ticket["state"] == "verified"


def test_the_map_has_rounds_due_and_awaiting_review(played: Played) -> None:
    states = {r["state"] for r in played.cli("lookbacks", "list")}
    assert {"due", "awaiting_review", "passed", "recurred", "overdue", "scheduled"} <= states


def test_the_audit_chain_of_the_scenario_is_intact(played: Played) -> None:
    [verified] = played.cli("audit", "verify")
    assert verified["ok"] is True
    assert verified["entries"] > 3000


def test_playing_it_twice_is_refused_and_changes_nothing(played: Played) -> None:
    result = run(played.env["url"], "demo", "--json", LOOKBACK_DATA_DIR=played.env["data"])
    assert result.exit_code == 1
    *_, error = json_lines(result.stdout)
    assert "already holds 121 cases" in error["error"]
    [summary] = played.cli("stats", "--year", "2022")
    assert summary["tickets"]["issued"] == 244


def test_the_scenario_needs_the_demo_layers(engine, tmp_path: Path) -> None:  # noqa: ANN001
    with pytest.raises(ScenarioError, match="needs the demo district's layers"):
        load(engine, FileStore(tmp_path / "store"))
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(cases)).scalar_one() == 0


def test_the_groups_accept_and_assess_and_cases_wait_at_each_step(played: Played) -> None:
    """Every case closed in the scenario was accepted by the acceptance group and assessed
    by the assessment group; at the end one patrol case waits at each of their steps."""
    waiting = {state: [c["reference"] for c in played.cli("cases", "list", "--state", state)]
               for state in ("rectified", "accepted", "assessed")}
    assert waiting == {"rectified": ["XC-2022-0012"], "accepted": ["XC-2022-0013"],
                       "assessed": ["XC-2022-0014"]}
    engine = create_engine(played.env["url"])
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT a.actor, a.role, a.action FROM audit_log a "
            "WHERE a.action IN ('case.accept', 'case.assess')")).all()
        closed = conn.execute(sa.text("SELECT count(*) FROM cases WHERE state = 'closed'")
                              ).scalar()
        assessed = conn.execute(sa.text(
            "SELECT count(DISTINCT c.id) FROM cases c JOIN case_assessments a "
            "ON a.case_id = c.id WHERE c.state = 'closed'")).scalar()
        documents = conn.execute(sa.text("SELECT DISTINCT media_type FROM "
                                         "assessment_documents")).scalars().all()
    engine.dispose()
    assert {(r.role, r.action) for r in rows} == {("acceptor", "case.accept"),
                                                  ("assessor", "case.assess")}
    assert closed > 100 and assessed == closed
    assert documents == ["application/vnd.openxmlformats-officedocument.wordprocessingml"
                         ".document"]
