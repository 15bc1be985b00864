"""Builders for inspections tests: actors, real ingested photos, cases and cases walked along
the closed loop. Other test modules import these; keep the signatures stable."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from imagery.ingest import IngestContext, IngestRequest, ingest
from imagery.store import FileStore
from inspections import workflow
from inspections.actors import SYSTEM, Actor
from inspections.assessment import PDF, Document
from inspections.cases import create_case, get_case
from inspections.clock import DEFAULT_TZ, FixedClock
from tests.imagery.images import exif_bytes, jpeg

T0 = datetime(2022, 3, 1, 9, 0, tzinfo=UTC)
UNIT_NAME = "区生态环境分局"

INSPECTOR = Actor("wang.jian", "inspector", agency="浙江某环境检测有限公司")
ACCEPTOR = Actor("liu.jianguo", "acceptor")  # 验收工作小组
ASSESSOR = Actor("wu.haiyan", "assessor")  # 评估工作小组
LEADER = Actor("li.ming", "leader")
ADMIN = Actor("admin", "admin")
UNIT = Actor("chen.hua", "unit", unit=UNIT_NAME)
OTHER_UNIT = Actor("zhao.lei", "unit", unit="东山镇人民政府")
GRID_OFFICER = Actor("zhou.ping", "grid_officer")
ACTORS = {"inspector": INSPECTOR, "leader": LEADER, "admin": ADMIN, "unit": UNIT,
          "grid_officer": GRID_OFFICER, "system": SYSTEM, "acceptor": ACCEPTOR,
          "assessor": ASSESSOR}
CONCLUSION = "经评估，该项整改任务措施已落实，达到整改目标要求，符合销号条件。"
REPORT = Document("ab" * 32, "销号评估报告.pdf", PDF, 2048)  # rows only: no file behind it

_seeds = itertools.count(1000)  # every photo different, so none is a duplicate of another


def clock(at: datetime = T0) -> FixedClock:
    """A stopped clock at `at` (default 2022-03-01 09:00 UTC)."""
    return FixedClock(at)


def photo_ids(engine: Engine, tmp_path: Path, n: int, *, lon: float = 121.405,
              lat: float = 28.7005) -> list[int]:
    """Ingest n small, different, geotagged field JPEGs through imagery.ingest; their ids."""
    folder = tmp_path / f"photos_{next(_seeds)}"
    folder.mkdir(parents=True)
    paths = [jpeg(folder / f"p{i}.jpg", seed=next(_seeds), size=(96, 64),
                  exif=exif_bytes(lon=lon, lat=lat)) for i in range(n)]
    ctx = IngestContext(engine=engine, store=FileStore(tmp_path / "store"), now=T0, workers=1,
                        local_tz=DEFAULT_TZ)
    results = list(ingest(ctx, [IngestRequest(p) for p in paths]))
    assert [r.status for r in results] == ["stored"] * n, [r.reason for r in results]
    return [r.id for r in results]


def case_values(**overrides: Any) -> dict[str, Any]:
    """The keyword arguments of a plain feedback-problem case, with overrides applied."""
    return {"source": "inspection_feedback", "reference": "DC-2022-01",
            "title": "镇级垃圾填埋场渗滤液未收集",
            "description": "东山镇前岙垃圾填埋场无防渗、渗滤液未收集处理。",
            "responsible_unit": UNIT_NAME, "deadline": date(2022, 12, 31),
            "target": "填埋场完成封场和渗滤液收集处理",
            "measures": ["建设渗滤液收集池", "完成封场覆土"]} | overrides


def new_case(conn: sa.Connection, clock: FixedClock, *, actor: Actor = INSPECTOR,
             **overrides: Any) -> int:
    """Create a case with sensible defaults (see case_values); its id."""
    return create_case(conn, actor=actor, clock=clock, **case_values(**overrides))


PATH = ("open", "rectifying", "rectified", "accepted", "assessed", "publicised", "closed")


def advance_to(conn: sa.Connection, clock: FixedClock, case_id: int, state: str, *,
               rectification: list[int], acceptance: list[int]) -> None:
    """Walk a case from where it is along the legal path to `state`. Publicising sets a notice
    period of today to today + 6 days; reaching "closed" moves the clock 7 days on, past it."""
    steps = {
        "rectifying": lambda: workflow.start_rectification(
            conn, case_id=case_id, actor=UNIT, clock=clock),
        "rectified": lambda: workflow.claim_rectified(
            conn, case_id=case_id, actor=UNIT, clock=clock, photo_ids=rectification),
        "accepted": lambda: workflow.accept(
            conn, case_id=case_id, actor=ACCEPTOR, clock=clock, photo_ids=acceptance),
        "assessed": lambda: workflow.assess(
            conn, case_id=case_id, actor=ASSESSOR, clock=clock, conclusion=CONCLUSION,
            documents=[REPORT]),
        "publicised": lambda: workflow.publicise(
            conn, case_id=case_id, actor=LEADER, clock=clock, notice_start=clock.now().date(),
            notice_end=clock.now().date() + timedelta(days=6)),
        "closed": lambda: (clock.advance(days=7),
                           workflow.close(conn, case_id=case_id, actor=LEADER, clock=clock)),
    }
    current = get_case(conn, case_id).state
    for target in PATH[PATH.index(current) + 1:PATH.index(state) + 1]:
        steps[target]()
