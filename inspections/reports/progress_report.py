"""The progress report (每月报 / 年度报告) of a month or a year, in the sections of the source
report, every figure computed from the records (inspections.stats)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from docx.document import Document as DocumentType

from geo.layers import GRID_CELLS, SITES
from inspections import progress
from inspections.cases import Case, get_cases
from inspections.reports import gbt9704 as fmt
from inspections.reports.figures import progress_chart, site_map
from inspections.schema import case_sites, cases
from inspections.site_flags import site_statuses
from inspections.stats import stats


def _period(year: int, month: int | None) -> str:
    return f"{year}年{month}月" if month else f"{year}年"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _work(doc: DocumentType, f: dict[str, Any], when: str) -> None:
    fmt.heading(doc, 1, 1, "主要工作开展情况")
    t, e, c, lb = f["tickets"], f["enforcement"], f["complaints"], f["lookbacks"]
    fmt.heading(doc, 2, 1, "跟踪督办")
    fmt.body(doc, f"{when}共下发督办交办单{t['issued']}个，已反馈{t['responded']}个，"
                  f"逾期未反馈{t['overdue']}个；重点问题抄送问题领办的区分管领导。")
    fmt.heading(doc, 2, 2, "整改“回头看”")
    fmt.body(doc, f"委托第三方专业机构采取无人机飞行、现场踏勘等方式开展“回头看”，"
                  f"{when}开窗的轮次中通过{lb['passed']}轮，发现问题反弹{lb['recurred']}轮，"
                  f"待查{lb['scheduled']}轮，逾期{lb['overdue']}轮。")
    fmt.heading(doc, 2, 3, "执法监管")
    fmt.body(doc, f"作出行政处罚决定{e['penalty_decisions']}件，罚款{e['fines_yuan']:,.0f}元，"
                  f"移送公安{e['police_referrals']}件，查封扣押、限产停产"
                  f"{e['seizures_or_limits']}件。")
    change = c["yoy_change_pct"]
    trend = "" if change is None else (f"，同比下降{-change:.2f}%" if change < 0
                                       else f"，同比上升{change:.2f}%")
    fmt.body(doc, f"受理环境信访举报{c['received']}件{trend}。")


def _cases(doc: DocumentType, f: dict[str, Any]) -> None:
    fb, pe = f["feedback"], f["petitions"]
    fmt.heading(doc, 1, 2, "督察反馈问题和交办信访件整改情况")
    fmt.heading(doc, 2, 1, "反馈问题整改情况")
    fmt.body(doc, f"{fb['inspection'] or '督察'}反馈问题中涉及我区的有{fb['total']}项，其中已完成"
                  f"整改并销号{fb['closed']}项，其余{fb['in_progress']}项正在整改中"
                  f"（逾期{fb['overdue']}项）。")
    fmt.heading(doc, 2, 2, "交办信访件落实情况")
    fmt.body(doc, f"督察组向我区移交了{pe['batches']}批次共{pe['total']}件信访件，已完成整改并"
                  f"验收销号{pe['closed']}件，销号率{_pct(pe['closure_rate'])}。")
    fmt.picture(doc, progress_chart({
        "反馈问题": {"总数": fb["total"], "已销号": fb["closed"], "整改中": fb["in_progress"]},
        "信访件": {"总数": pe["total"], "已销号": pe["closed"]},
        "回头看": {"通过": f["lookbacks"]["passed"], "反弹": f["lookbacks"]["recurred"],
                 "逾期": f["lookbacks"]["overdue"]}}))


def _open_cases(conn: sa.Connection, inspection: str | None) -> list[Case]:
    stmt = sa.select(cases.c.id).where(cases.c.source == "inspection_feedback",
                                       cases.c.state != "closed")
    if inspection is not None:
        stmt = stmt.where(cases.c.inspection == inspection)
    return get_cases(conn, list(conn.execute(stmt).scalars()))


def _points(conn: sa.Connection, site_ids: list[int]) -> list[tuple[float, float]]:
    if not site_ids:
        return []
    rows = conn.execute(sa.select(SITES.table.c.geom).where(SITES.table.c.id.in_(site_ids)))
    return [(g.representative_point().x, g.representative_point().y) for g in rows.scalars()]


def _map(conn: sa.Connection, now: datetime, tz: ZoneInfo) -> bytes:
    site_ids = list(conn.execute(sa.select(case_sites.c.site_id).distinct()).scalars())
    statuses = site_statuses(conn, site_ids, now, tz=tz)
    recurred = [s for s, st in statuses.items() if "recurred" in st.flags]
    open_ = list(conn.execute(sa.select(case_sites.c.site_id).join(
        cases, cases.c.id == case_sites.c.case_id).where(cases.c.state != "closed")).scalars())
    outlines = list(conn.execute(sa.select(GRID_CELLS.table.c.geom)).scalars())
    return site_map(outlines, [("未销号问题点位", "#e85d04", _points(conn, open_)),
                               ("回头看发现反弹", "#c1121f", _points(conn, recurred))],
                    "未销号及反弹问题分布")


def _remaining(doc: DocumentType, conn: sa.Connection, f: dict[str, Any],
               now: datetime, tz: ZoneInfo) -> None:
    fmt.heading(doc, 1, 3, "尚未销号问题整改进度")
    still = _open_cases(conn, f["feedback"]["inspection"])
    if not still:
        fmt.body(doc, "反馈问题均已完成整改并销号。")
    for n, case in enumerate(still, start=1):
        p = progress.progress(case, now, tz=tz)
        done = sum(1 for m in case.measures if m.done_at is not None)
        pace = "整改已逾期" if p.overdue else "滞后于序时进度" if p.behind_schedule \
            else "按序时进度推进"
        fmt.heading(doc, 3, n, case.title)
        fmt.body(doc, f"责任单位：{case.responsible_unit}；整改时限：{case.deadline:%Y年%m月%d日}；"
                      f"整改措施完成{done}/{len(case.measures)}项，{pace}。")
    fmt.picture(doc, _map(conn, now, tz))


def progress_report(conn: sa.Connection, *, year: int, month: int | None = None,
                    now: datetime, tz: ZoneInfo) -> DocumentType:
    """The report of a year (or one month, in the district's zone `tz`) as it stands at
    `now`, as a python-docx Document."""
    figures = stats(conn, year=year, month=month, tz=tz)
    when = _period(year, month)
    doc = fmt.new_document()
    fmt.title(doc, f"{when}生态环境保护督察整改工作进展情况")
    _work(doc, figures, when)
    _cases(doc, figures)
    _remaining(doc, conn, figures, now, tz)
    return doc
