"""The closure assessment report (销号评估报告) of one case, in the structure of the sample
at the end of the source document: the task, what was done for each measure with its
evidence photos and a map of the site, the conclusion, the notice period and the contact."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import sqlalchemy as sa
from docx.document import Document as DocumentType

from geo.layers import SITES
from imagery.schema import photos
from imagery.store import Store
from imagery.thumbs import thumbnail
from inspections import palette
from inspections.assessment import current
from inspections.cases import Case, Measure, find_case
from inspections.clock import local_date
from inspections.reports import gbt9704 as fmt
from inspections.reports import wording as w
from inspections.reports.district import district
from inspections.reports.figures import Points, site_map
from inspections.schema import case_photos

CLOSED_STATES = ("accepted", "assessed", "publicised", "closed")
MAX_PHOTOS = 4  # per measure and for the acceptance
ECHOES = ("", "已完成", "完成", "已落实", "已完成。", "完成。")  # notes that only say "done"


def _photos(conn: sa.Connection, case: Case, **where: object) -> list[sa.RowMapping]:
    stmt = (sa.select(photos).join(case_photos, case_photos.c.photo_id == photos.c.id)
            .where(case_photos.c.case_id == case.id,
                   *(case_photos.c[k] == v for k, v in where.items()))
            .order_by(photos.c.id).limit(MAX_PHOTOS))
    return list(conn.execute(stmt).mappings())


def _thumbnails(doc: DocumentType, store: Store, rows: list[sa.RowMapping]) -> None:
    for row in rows:
        data = thumbnail(store, row["sha256"], 256, kind=row["kind"])
        fmt.picture(doc, data, width_mm=60)


def _task(doc: DocumentType, case: Case) -> None:
    fmt.heading(doc, 1, 1, "整改任务")
    for n, (label, text) in enumerate((("反馈问题", case.description or case.title),
                                       ("责任单位", case.responsible_unit),
                                       ("整改时限", f"{w.day(case.deadline)}前"),
                                       ("整改目标", case.target)), start=1):
        fmt.heading(doc, 2, n, f"{label}：", then=text)
    fmt.heading(doc, 2, 5, "整改措施：")
    for n, measure in enumerate(case.measures, start=1):
        fmt.body(doc, f"{n}.{measure.text}。")


def _site_figure(conn: sa.Connection, case: Case, evidence: list[sa.RowMapping]) -> bytes:
    rows = conn.execute(sa.select(SITES.table.c.geom)
                        .where(SITES.table.c.id.in_(case.site_ids))).scalars().all()
    outlines = [g for g in rows if g.geom_type != "Point"]
    points = [(g.x, g.y) for g in rows if g.geom_type == "Point"]
    shots = [(r["geom"].x, r["geom"].y) for r in evidence if r["geom"] is not None]
    footprints = [r["footprint"] for r in evidence if r["footprint"] is not None]
    if not points and not outlines and case.lon is not None and case.lat is not None:
        points = [(case.lon, case.lat)]
    return site_map(district(conn), [Points("点位", palette.SITE, points),
                                     Points("证据照片", palette.PHOTO, shots)],
                    f"{case.reference} 点位及整改证据", outlines=outlines, footprints=footprints,
                    zoom=True)


def measure_note(measure: Measure) -> str:
    """What the unit wrote on ticking the measure off, less any echo of the measure's own
    text ("建设封闭喷涂车间：已完成" says nothing the heading and date do not)."""
    note = (measure.note or "").strip()
    if note.startswith(measure.text):
        note = note[len(measure.text):].lstrip("：:，,。. ")
    return "" if note in ECHOES else note if note.endswith(("。", "！", "？")) else (
        f"{note}。" if note else "")


def _done(doc: DocumentType, conn: sa.Connection, store: Store, case: Case,
          tz: ZoneInfo) -> None:
    fmt.heading(doc, 1, 2, "整改落实情况")
    fmt.heading(doc, 2, 1, "整改目标完成情况")
    reached = case.state in CLOSED_STATES
    fmt.body(doc, f"{case.target}。" + ("经现场验收，已完成整改目标。" if reached
                                       else "整改尚在进行中。"))
    fmt.heading(doc, 2, 2, "整改措施落实情况")
    for n, measure in enumerate(case.measures, start=1):
        when = (f"已于{w.day(local_date(measure.done_at, tz))}完成" if measure.done_at
                else "尚未完成")
        fmt.heading(doc, 3, n, measure.text)
        fmt.body(doc, f"{when}。{measure_note(measure)}")
        _thumbnails(doc, store, _photos(conn, case, measure_id=measure.id))
    acceptance = _photos(conn, case, purpose="acceptance")
    rectification = _photos(conn, case, purpose="rectification")
    if acceptance:
        fmt.body(doc, "现场验收照片：")
        _thumbnails(doc, store, acceptance)
    fmt.picture(doc, _site_figure(conn, case, acceptance + rectification), width_mm=120)


def _conclusion(doc: DocumentType, conn: sa.Connection, case: Case, contact: str) -> None:
    fmt.heading(doc, 1, 3, "评估结论")
    assessment = current(conn, case.id, case.state)  # the group's words, never inferred
    if assessment is not None:
        fmt.body(doc, assessment.conclusion)
    elif case.state in ("publicised", "closed"):
        fmt.body(doc, "该案件公示于销号评估纳入闭环流程之前，系统中无评估记录。")
    else:
        fmt.body(doc, "该项整改任务尚未经评估工作小组评估。")
    if case.notice_start and case.notice_end:
        fmt.body(doc, f"如对该问题整改公示情况有异议，请在公示期{w.day(case.notice_start)}至"
                      f"{w.day(case.notice_end)}内迳向联系人反映。联系人：{contact}。")


def closure_report(conn: sa.Connection, store: Store, *, reference: str, tz: ZoneInfo,
                   contact: str = "区生态环境保护督察整改工作协调小组办公室") -> DocumentType:
    """The closure assessment report of a case (its dates those of the district's zone
    `tz`), as a python-docx Document."""
    case = find_case(conn, reference)
    doc = fmt.new_document()
    fmt.title(doc, f"{case.title}整改任务销号评估报告")
    _task(doc, case)
    _done(doc, conn, store, case, tz)
    _conclusion(doc, conn, case, contact)
    return doc
