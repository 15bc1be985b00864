"""Builders for rectification-task tests: the source's task of 45 sites (41 township landfills
and 4 waste-to-energy plants), one case each, walked along the loop cheaply (the same few
photos serve every case)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from shapely.geometry import Point, box

from geo.layers import SITES, Feature, upsert
from inspections import workflow
from inspections.contact import Contact
from inspections.rectification_tasks import create_task
from tests.inspections.builders import LEADER, UNIT, advance_to, new_case

TITLE = "农村生活垃圾污染问题"
INSPECTION = "2018年“回头看”"
SERIAL = "12"
PROBLEM = "乡镇级垃圾填埋场整治不到位，垃圾渗滤液污染问题普遍存在。"
LANDFILL_MEASURES = ("完成防渗改造", "建设渗滤液收集处理设施")
PLANT_MEASURES = ("建成绿能环保发电项目并投运",)
KINDS = {"landfill": LANDFILL_MEASURES, "waste_to_energy_plant": PLANT_MEASURES}


def make_sites(conn: sa.Connection) -> list[tuple[int, str]]:
    """41 landfills (small squares) and 4 plants (points) in a row; (id, kind) by code."""
    features = [Feature(f"LF{i:02d}", f"第{i}号镇级垃圾填埋场",
                        box(121.30 + i * 0.005, 28.70, 121.303 + i * 0.005, 28.703),
                        kind="landfill") for i in range(1, 42)]
    features += [Feature(f"WE{i}", f"第{i}号绿能环保发电项目",
                         Point(121.35 + i * 0.01, 28.65), kind="waste_to_energy_plant")
                 for i in range(1, 5)]
    upsert(conn, SITES, features, now=datetime(2018, 1, 1, tzinfo=UTC))
    t = SITES.table
    return [(r.id, r.kind) for r in conn.execute(
        sa.select(t.c.id, t.c.kind).where(t.c.kind.in_(list(KINDS))).order_by(t.c.code))]


def reference(n: int) -> str:
    """The n-th case's reference (1-based): HTK-2018-12-01 ... HTK-2018-12-45."""
    return f"HTK-2018-12-{n:02d}"


def open_cases(conn: sa.Connection, clk, sites: list[tuple[int, str]], *,  # noqa: ANN001
               photos: dict[str, list[int]], state: str = "rectified",
               lagging: dict[int, str] | None = None,
               measures_done: bool = False) -> list[int]:
    """A case per site, walked to `state` (the n-th, 1-based, to lagging[n] instead); with
    `measures_done`, every measure is completed with the rectification photos first."""
    ids = []
    for n, (site_id, kind) in enumerate(sites, start=1):
        case_id = new_case(conn, clk, reference=reference(n), title=f"{TITLE}（点位{n}）",
                           description=PROBLEM, measures=list(KINDS[kind]),
                           site_ids=[site_id], inspection=INSPECTION,
                           deadline=datetime(2020, 12, 31).date(),
                           target="按期完成镇级垃圾填埋场整改")
        target = (lagging or {}).get(n, state)
        if measures_done and target != "open":
            advance_to(conn, clk, case_id, "rectifying", rectification=photos["rectification"],
                       acceptance=photos["acceptance"])
            for position in range(1, len(KINDS[kind]) + 1):
                workflow.complete_measure(conn, case_id=case_id, actor=UNIT, clock=clk,
                                          position=position, photo_ids=photos["rectification"],
                                          note="已完成")
        advance_to(conn, clk, case_id, target, rectification=photos["rectification"],
                   acceptance=photos["acceptance"])
        ids.append(case_id)
    return ids


CONTACT = Contact("区督察整改办 王明", "0576-88001234", "zgb@example.gov.cn")


def task_of(conn: sa.Connection, clk, case_ids: list[int]) -> int:  # noqa: ANN001
    """The source's task over these cases, made by a leader, with its own contact."""
    return create_task(conn, actor=LEADER, clock=clk, title=TITLE, inspection=INSPECTION,
                       serial=SERIAL, contact=CONTACT, case_ids=case_ids)
