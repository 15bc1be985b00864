"""The closure assessment report (销号评估报告) of a rectification task, or of one case as a
task of one, in the structure of the sample at the end of the source document: the title
with the inspection and serial number, 一、整改任务 (the problem, its sites, units, deadline,
target, the measures once), 二、整改落实情况 (each measure once with the evidence of all its
sites, one map of them all), 三、评估结论 (the assessment, the notice period and the contact),
then the sign-off (issuing body and date)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from docx.document import Document as DocumentType

from geo.layers import SITES
from imagery.schema import photos
from imagery.store import Store
from imagery.thumbs import thumbnail
from inspections import palette
from inspections.assessment import current
from inspections.cases import Case, Measure
from inspections.clock import local_date
from inspections.contact import Contact, merged
from inspections.errors import InvalidInput
from inspections.reports import closure_subject
from inspections.reports import gbt9704 as fmt
from inspections.reports import wording as w
from inspections.reports.district import district
from inspections.reports.figures import Points, site_map
from inspections.schema import case_photos

CLOSED_STATES = ("accepted", "assessed", "publicised", "closed")
MAX_PHOTOS = 4  # per measure and for the acceptance
MAX_MAP_PHOTOS = 500  # evidence points on the map
MAX_SITE_NAMES = 60  # named in 一、整改任务; more are counted
ECHOES = ("", "已完成", "完成", "已落实", "已完成。", "完成。")  # notes that only say "done"
DEFAULT_CONTACT = Contact("区生态环境保护督察整改工作协调小组办公室")
DEFAULT_ISSUER = "中共台州市椒江区委 台州市椒江区人民政府"


def unique(texts: Iterable[str | None]) -> list[str]:
    """The texts stripped, empty ones and repeats dropped, in the order first met."""
    return list(dict.fromkeys(t.strip() for t in texts if t and t.strip()))


def _sentence(text: str) -> str:
    return text if text.endswith(("。", "！", "？", "；")) else f"{text}。"


# --- photos --------------------------------------------------------------------------------

def _spread(rows: Sequence[sa.RowMapping], limit: int) -> list[sa.RowMapping]:
    """At most `limit` photos, one per case first (so every site may show), by photo id."""
    seen: set[int] = set()
    first, rest = [], []
    for row in rows:
        if row["id"] in seen:
            continue
        seen.add(row["id"])
        (rest if row["case_id"] in {r["case_id"] for r in first} else first).append(row)
    return sorted((first + rest)[:limit], key=lambda r: r["id"])


def _photos(conn: sa.Connection, case_ids: Sequence[int], limit: int = MAX_PHOTOS,
            **where: object) -> list[sa.RowMapping]:
    conditions = [case_photos.c[k].in_(v) if isinstance(v, list) else case_photos.c[k] == v
                  for k, v in where.items()]
    stmt = (sa.select(photos, case_photos.c.case_id)
            .join(case_photos, case_photos.c.photo_id == photos.c.id)
            .where(case_photos.c.case_id.in_(list(case_ids)), *conditions)
            .order_by(case_photos.c.case_id, photos.c.id).limit(limit * 50))
    return _spread(list(conn.execute(stmt).mappings()), limit)


def _thumbnails(doc: DocumentType, store: Store, rows: list[sa.RowMapping]) -> None:
    for row in rows:
        data = thumbnail(store, row["sha256"], 256, kind=row["kind"])
        fmt.picture(doc, data, width_mm=60)


# --- 一、整改任务 ------------------------------------------------------------------------------

def _site_rows(conn: sa.Connection, found: Sequence[Case]) -> list[sa.Row]:
    ids = sorted({s for c in found for s in c.site_ids})
    if not ids:
        return []
    t = SITES.table
    return list(conn.execute(sa.select(t.c.code, t.c.name, t.c.geom).where(t.c.id.in_(ids))
                             .order_by(t.c.code)).all())


def sites_sentence(names: Sequence[str]) -> str:
    """涉及点位共45处：甲、乙…… (the first MAX_SITE_NAMES named, the rest counted)."""
    shown = "、".join(names[:MAX_SITE_NAMES])
    more = f"等{len(names)}处" if len(names) > MAX_SITE_NAMES else ""
    return f"涉及点位共{len(names)}处：{shown}{more}。"


def all_measures(found: Sequence[Case]) -> list[str]:
    """Every measure text of the cases once, in the order first met."""
    return unique(m.text for c in found for m in c.measures)


def _task(doc: DocumentType, conn: sa.Connection, found: Sequence[Case]) -> None:
    fmt.heading(doc, 1, 1, "整改任务")
    problem = "；".join(unique(c.description or c.title for c in found))
    fmt.heading(doc, 2, 1, "反馈问题：", then=_sentence(problem) if len(found) > 1 else problem)
    names = [r.name or r.code for r in _site_rows(conn, found)]
    if len(found) > 1 and names:
        fmt.body(doc, sites_sentence(names))
    deadline = max(c.deadline for c in found)
    for n, (label, text) in enumerate((("责任单位", "、".join(unique(c.responsible_unit
                                                                     for c in found))),
                                       ("整改时限", f"{w.day(deadline)}前"),
                                       ("整改目标", "；".join(unique(c.target for c in found)))),
                                      start=2):
        fmt.heading(doc, 2, n, f"{label}：", then=text)
    fmt.heading(doc, 2, 5, "整改措施：")
    for n, text in enumerate(all_measures(found), start=1):
        fmt.body(doc, f"{n}.{text}。")


# --- 二、整改落实情况 --------------------------------------------------------------------------

def measure_note(measure: Measure) -> str:
    """What the unit wrote on ticking the measure off, less any echo of the measure's own
    text ("建设封闭喷涂车间：已完成" says nothing the heading and date do not)."""
    note = (measure.note or "").strip()
    if note.startswith(measure.text):
        note = note[len(measure.text):].lstrip("：:，,。. ")
    return "" if note in ECHOES else note if note.endswith(("。", "！", "？")) else (
        f"{note}。" if note else "")


def _when_done(items: Sequence[tuple[Case, Measure]], tz: ZoneInfo) -> str:
    """已于2022年3月1日完成 (one case), 45处点位均已于…至…完成, or how many are not yet."""
    days = sorted(local_date(m.done_at, tz) for _, m in items if m.done_at)
    if len(items) == 1:
        return f"已于{w.day(days[0])}完成" if days else "尚未完成"
    if len(days) < len(items):
        waiting = "、".join(c.reference for c, m in items if not m.done_at)
        return f"{len(items)}处点位中已完成{len(days)}处，尚未完成：{waiting}"
    span = w.day(days[0]) if days[0] == days[-1] else f"{w.day(days[0])}至{w.day(days[-1])}"
    return f"{len(items)}处点位均已于{span}完成"


def _goal(found: Sequence[Case]) -> str:
    reached = sum(1 for c in found if c.state in CLOSED_STATES)
    target = "；".join(unique(c.target for c in found))
    if reached == len(found):
        return _sentence(target) + "经现场验收，已完成整改目标。"
    if len(found) == 1:
        return _sentence(target) + "整改尚在进行中。"
    return (_sentence(target) + f"{len(found)}处点位中已有{reached}处通过现场验收，"
            f"其余{len(found) - reached}处整改尚在进行中。")


def _site_figure(conn: sa.Connection, found: Sequence[Case], title: str) -> bytes:
    rows = [r.geom for r in _site_rows(conn, found)]
    outlines = [g for g in rows if g is not None and g.geom_type != "Point"]
    points = [(g.x, g.y) for g in rows if g is not None and g.geom_type == "Point"]
    points += [(c.lon, c.lat) for c in found
               if not c.site_ids and c.lon is not None and c.lat is not None]
    evidence = _photos(conn, [c.id for c in found], MAX_MAP_PHOTOS,
                       purpose=["acceptance", "rectification"])
    shots = [(r["geom"].x, r["geom"].y) for r in evidence if r["geom"] is not None]
    footprints = [r["footprint"] for r in evidence if r["footprint"] is not None]
    return site_map(district(conn), [Points("点位", palette.SITE, points),
                                     Points("证据照片", palette.PHOTO, shots)],
                    title, outlines=outlines, footprints=footprints, zoom=True)


def _done(doc: DocumentType, conn: sa.Connection, store: Store, found: Sequence[Case],
          tz: ZoneInfo, map_title: str) -> None:
    fmt.heading(doc, 1, 2, "整改落实情况")
    fmt.heading(doc, 2, 1, "整改目标完成情况")
    fmt.body(doc, _goal(found))
    fmt.heading(doc, 2, 2, "整改措施落实情况")
    ids = [c.id for c in found]
    for n, text in enumerate(all_measures(found), start=1):
        items = [(c, m) for c in found for m in c.measures if m.text.strip() == text]
        notes = "".join(unique(measure_note(m) for _, m in items))
        fmt.heading(doc, 3, n, text)
        fmt.body(doc, f"{_when_done(items, tz)}。{notes}")
        _thumbnails(doc, store, _photos(conn, ids, measure_id=[m.id for _, m in items]))
    acceptance = _photos(conn, ids, purpose="acceptance")
    if acceptance:
        fmt.body(doc, "现场验收照片：")
        _thumbnails(doc, store, acceptance)
    fmt.picture(doc, _site_figure(conn, found, map_title), width_mm=120)


# --- 三、评估结论 ------------------------------------------------------------------------------

def _assessment_text(conn: sa.Connection, found: Sequence[Case]) -> str:
    """The assessment group's words (never inferred from the state), once for the task."""
    words = unique(a.conclusion for a in (current(conn, c.id, c.state) for c in found) if a)
    missing = [c for c in found if current(conn, c.id, c.state) is None]
    if not missing:
        return "".join(_sentence(t) for t in words)
    legacy = all(c.state in ("publicised", "closed") for c in missing)
    if not words:
        return ("该案件公示于销号评估纳入闭环流程之前，系统中无评估记录。" if legacy
                else "该项整改任务尚未经评估工作小组评估。")
    return ("".join(_sentence(t) for t in words)
            + f"另有{len(missing)}处点位尚未经评估工作小组评估："
            + "、".join(c.reference for c in missing) + "。")


def contact_sentence(contact: Contact) -> str:
    """联系人：X；联系电话：Y；电子邮箱：Z。 (what is known of it)."""
    parts = [f"{label}：{value}" for label, value in (("联系人", contact.person),
                                                    ("联系电话", contact.phone),
                                                    ("电子邮箱", contact.email)) if value]
    return "；".join(parts) + "。" if parts else ""


def notice_sentence(found: Sequence[Case]) -> str:
    """如对该问题整改公示情况有异议，请在公示期…至…内迳向联系人反映。 ("" before a notice)."""
    starts = [c.notice_start for c in found if c.notice_start and c.notice_end]
    ends = [c.notice_end for c in found if c.notice_start and c.notice_end]
    if not starts:
        return ""
    return (f"如对该问题整改公示情况有异议，请在公示期{w.day(min(starts))}至"
            f"{w.day(max(ends))}内迳向联系人反映。")


def _conclusion(doc: DocumentType, conn: sa.Connection, found: Sequence[Case],
                contact: Contact) -> None:
    fmt.heading(doc, 1, 3, "评估结论")
    fmt.body(doc, _assessment_text(conn, found))
    notice = notice_sentence(found) + contact_sentence(contact)
    if notice:
        fmt.body(doc, notice)


# --- the report ----------------------------------------------------------------------------

def closure_report(conn: sa.Connection, store: Store, *, tz: ZoneInfo,
                   reference: str | None = None, task_id: int | None = None,
                   contact: Contact | None = None, defaults: Contact | None = None,
                   issuer: str = DEFAULT_ISSUER, today: date | None = None) -> DocumentType:
    """The closure assessment report of a task (`task_id`) or of a case (`reference`), its
    dates those of the district's zone `tz`, as a python-docx Document. The contact: the
    `defaults` (the installation's), under the task's, under the case's, under `contact`
    (the caller's argument). Signed by `issuer` on `today` (None: the day in `tz` now)."""
    if (reference is None) == (task_id is None):
        raise InvalidInput("closure report: give a case reference or a task, not both")
    subject = (closure_subject.of_task(conn, task_id) if task_id is not None
               else closure_subject.of_case(conn, str(reference)))
    found = subject.cases
    doc = fmt.new_document()
    fmt.title(doc, subject.heading())
    if (under := subject.subheading()) is not None:
        fmt.subtitle(doc, under)
    _task(doc, conn, found)
    map_title = (f"{found[0].reference} 点位及整改证据" if len(found) == 1
                 else f"{subject.title} {len(found)}处点位及整改证据")
    _done(doc, conn, store, found, tz, map_title)
    _conclusion(doc, conn, found, merged(DEFAULT_CONTACT, defaults, subject.contact, contact))
    day = today or datetime.now(tz).date()  # the day it is written, unless the caller says
    fmt.sign_off(doc, issuer, w.day(day))
    return doc
