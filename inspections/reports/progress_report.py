"""The progress report (每月报 / 年度报告) of a month or a year, in the three parts of the
source report: 一、主要做法, 二、进展情况 and 三、存在问题及下一步工作计划. Every figure is
`lookback stats` for the same period, states as they stood at its end; each subsection may
carry a written paragraph (`texts`, by the keys in PARTS) after its figures."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from docx.document import Document as DocumentType

from inspections import palette
from inspections.cases import get_cases
from inspections.errors import InvalidInput
from inspections.reports import gbt9704 as fmt
from inspections.reports import wording as w
from inspections.reports.district import case_points, district
from inspections.reports.figures import Bar, Points, progress_chart, site_map
from inspections.reports.parts import PARTS
from inspections.standing import Standing
from inspections.stats import Period, inspection_standings, period_of, rounds_in, stats

Figures = dict[str, Any]
Sentence = Callable[[Figures, str], str | None]

PACE_WORDS = {"on_schedule": "按序时进度推进", "behind_schedule": "滞后于序时进度",
              "overdue": "已逾期"}


# --- 一、主要做法 ------------------------------------------------------------------------------

def _follow_up(f: Figures, when: str) -> str:
    t, lb = f["tickets"], f["lookbacks"]
    return (f"对检查中发现的问题及时下发督办交办单，重点问题抄送问题领办的区分管领导，{when}共下发"
            f"督办交办单{w.count(t['issued'], w.COPIES)}，已答复{w.count(t['responded'], w.COPIES)}"
            f"，逾期未答复{w.count(t['overdue'], w.COPIES)}。委托第三方专业机构，采取无人机飞行、"
            f"现场踏勘等方式对已完成整改的问题开展“回头看”，{when}开展的"
            f"“回头看”中复核通过{w.count(lb['passed'], w.ROUNDS)}，发现问题反弹"
            f"{w.count(lb['recurred'], w.ROUNDS)}，待开展{w.count(lb['scheduled'], w.ROUNDS)}，"
            f"逾期{w.count(lb['overdue'], w.ROUNDS)}。")


def enforcement_sentence(e: Figures, when: str) -> str:
    """The enforcement figures as the source writes them: 作出行政处罚决定60件，罚款842.5735万元，
    移送公安9起，行政拘留2人，刑事拘留1人，查封扣押、限产停产16起."""
    return (f"{when}，生态环境部门共作出行政处罚决定{w.count(e['penalty_decisions'], w.PIECES)}，"
            f"罚款{w.money(e['fines_yuan'])}，移送公安{w.count(e['police_referrals'], w.INCIDENTS)}"
            f"，行政拘留{w.count(e['detained_persons'], w.PERSONS)}，刑事拘留"
            f"{w.count(e['criminal_persons'], w.PERSONS)}，查封扣押、限产停产"
            f"{w.count(e['seizures_or_limits'], w.INCIDENTS)}。")


def _complaints(c: Figures) -> str:
    change = c["yoy_change_pct"]
    trend = "" if change is None or change == 0 else (
        f"，同比下降{-change:.2f}%" if change < 0 else f"，同比上升{change:.2f}%")
    return f"受理各类环境信访件{w.count(c['received'], w.PIECES)}{trend}。"


def _supervision(f: Figures, when: str) -> str:
    p = f["patrol_cases"]
    return (f"实行生态环境保护网格化监管，{when}网格员巡查发现问题立案"
            f"{w.count(p['opened'], w.INCIDENTS)}，已销号{w.count(p['closed'], w.INCIDENTS)}，"
            f"正在整改{w.count(p['in_progress'], w.INCIDENTS)}。"
            + enforcement_sentence(f["enforcement"], when) + _complaints(f["complaints"]))


def _closed_loop(f: Figures, when: str) -> str:
    loop = f["closure_loop"]
    return (f"按照“整改一个、验收一个、公示一个、销号一个”的要求，{when}完成整改验收"
            f"{w.count(loop['accepted'], w.COPIES)}、销号{w.count(loop['closed'], w.COPIES)}。")


def _publicity(f: Figures, when: str) -> str:
    return (f"落实督察反馈问题整改销号公示工作，坚持“一台一网一报”三方公示，{when}公示整改问题"
            f"{w.count(f['closure_loop']['publicised'], w.COPIES)}，主动接受公众监督。")


def _no_figures(f: Figures, when: str) -> None:
    return None  # the part is written by hand only


def organisation_sentence(f: Figures, when: str) -> str | None:
    """The organisation figures: meetings, leaders' written instructions and leader-led site
    checks held in the period, counted from their records (inspections.organisation); None
    when none was recorded (or the figures have no such section), and the part carries only
    its written paragraph."""
    o = f.get("organisation")
    if not o or not any(o[k] for k in ("meetings", "instructions", "leader_checks")):
        return None
    return (f"{when}，区委、区政府先后{w.count(o['meetings'], w.TIMES)}召开会议研究生态环境保护"
            f"督察整改相关事项，区委书记、区长作出批示{w.count(o['instructions'], w.TIMES)}，"
            f"区级领导先后{w.count(o['leader_checks'], w.TIMES)}带队奔赴现场解决重难点问题。")


PRACTICES: tuple[tuple[str, str, Sentence], ...] = (
    ("organisation", "加强组织领导", organisation_sentence),
    ("responsibility", "压实整改责任", _no_figures),
    ("follow_up", "强化跟踪问效", _follow_up),
    ("supervision", "加大监管力度", _supervision),
    ("closed_loop", "实行闭环管理", _closed_loop),
    ("publicity", "坚持信息公开", _publicity),
)


def _lines(text: str | None) -> list[str]:
    """A written text's paragraphs: one per line, empty lines left out."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _written(doc: DocumentType, text: str | None) -> None:
    """A written text as body paragraphs, one per line."""
    for line in _lines(text):
        fmt.body(doc, line)


def _subsections(doc: DocumentType, parts: list[tuple[str, str | None, str | None]]) -> None:
    """Level-2 headings, each run on by its figures (or else the written text's first
    paragraph) and then the written paragraphs; one with neither is left out (the numbers
    close up)."""
    number = 0
    for title, figures, text in parts:
        lines = _lines(text)
        if not figures and not lines:
            continue
        number += 1
        fmt.heading(doc, 2, number, f"{title}。", then=figures or lines.pop(0))
        for line in lines:
            fmt.body(doc, line)


def _practices(doc: DocumentType, f: Figures, when: str, texts: Mapping[str, str]) -> None:
    fmt.heading(doc, 1, 1, "主要做法")
    _subsections(doc, [(title, sentence(f, when), texts.get(key))
                       for key, title, sentence in PRACTICES])


# --- 二、进展情况 -----------------------------------------------------------------------------

def _day(iso: str | None) -> str | None:
    return w.day(date.fromisoformat(iso)) if iso else None


def _remaining(fb: Figures) -> str:
    rest = fb["in_progress"]
    if rest == 0:
        return "反馈问题均已完成整改并销号"
    on_schedule = rest - fb["overdue"] - fb["behind_schedule"]
    if on_schedule == rest:
        return f"其余{w.count(rest, w.ITEMS)}问题均按序时进度积极推进整改中"
    parts = [f"{PACE_WORDS[k]}{w.count(n, w.ITEMS)}" for k, n in (
        ("on_schedule", on_schedule), ("behind_schedule", fb["behind_schedule"]),
        ("overdue", fb["overdue"])) if n]
    return f"其余{w.count(rest, w.ITEMS)}问题正在整改中，其中{'，'.join(parts)}"


def _feedback_sentence(fb: Figures, end: str) -> str:
    if not fb["total"]:
        return f"截至{end}，尚无督察反馈问题。"
    handed = _day(fb["first_opened"])
    lead = f"{handed}，督察组反馈{fb['inspection'] or '督察'}报告，" if handed else ""
    return (f"{lead}其反馈问题中涉及我区的有{w.count(fb['total'], w.ITEMS)}，截至{end}，已完成"
            f"整改并销号{w.count(fb['closed'], w.ITEMS)}，{_remaining(fb)}；整改率"
            f"{w.rate(fb['rectification_rate'])}，销号率{w.rate(fb['closure_rate'])}。")


def _case_line(s: Standing, end: str) -> str:
    case = s.case
    done = sum(1 for m in case.measures if m.done_at is not None)
    pace = ("已完成整改，正在验收销号" if s.rectified and s.pace == "on_schedule"
            else PACE_WORDS[s.pace])
    return (f"责任单位：{case.responsible_unit}；整改时限：{w.day(case.deadline)}；截至{end}，"
            f"整改措施完成{done}/{len(case.measures)}项，{pace}。")


PACE_COLOURS = {"on_schedule": palette.IN_PROGRESS,
                "behind_schedule": palette.FLAG_COLOURS["behind_schedule"],
                "overdue": palette.FLAG_COLOURS["case_overdue"]}


def _map(conn: sa.Connection, still: list[Standing], period: Period, end: str) -> bytes:
    layers = [Points(f"反馈问题（{PACE_WORDS[pace]}）", colour,
                     case_points(conn, [s.case for s in still if s.pace == pace]))
              for pace, colour in PACE_COLOURS.items()]
    recurred = sorted({case_id for _, case_id, state in rounds_in(conn, period)
                       if state == "recurred"})
    layers.append(Points("“回头看”发现问题反弹", palette.FLAG_COLOURS["recurred"],
                         case_points(conn, get_cases(conn, recurred)), marker="^"))
    return site_map(district(conn), layers, f"截至{end}未销号反馈问题及问题反弹点位分布")


def _feedback(doc: DocumentType, conn: sa.Connection, f: Figures, period: Period,
              texts: Mapping[str, str]) -> None:
    fb, end = f["feedback"], w.day(period.as_of_day)
    fmt.heading(doc, 2, 1, "反馈问题整改落实情况")
    fmt.body(doc, _feedback_sentence(fb, end))
    _, found = inspection_standings(conn, "inspection_feedback", period, fb["inspection"])
    still = [s for s in found if not s.closed]
    for n, s in enumerate(still, start=1):
        fmt.heading(doc, 3, n, s.case.title)
        fmt.body(doc, _case_line(s, end))
    _written(doc, texts.get("feedback"))
    fmt.picture(doc, _map(conn, still, period, end))


def _petitions_sentence(pe: Figures, end: str) -> str:
    if not pe["total"]:
        return f"截至{end}，尚无交办信访件。"
    first, last = _day(pe["first_opened"]), _day(pe["last_opened"])
    lead = f"{first}至{last}，" if first and first != last else (f"{first}，" if first else "")
    handed = (f"{lead}督察组向我区移交了{w.count(pe['batches'], w.BATCHES)}共"
              f"{w.count(pe['total'], w.PIECES)}信访件")
    if pe["total"] and pe["closed"] == pe["total"]:
        return f"{handed}，均已完成整改并验收销号，整改率、销号率均为100%。"
    return (f"{handed}，截至{end}，已完成整改{w.count(pe['rectified'], w.PIECES)}，验收销号"
            f"{w.count(pe['closed'], w.PIECES)}，整改率{w.rate(pe['rectification_rate'])}，"
            f"销号率{w.rate(pe['closure_rate'])}。")


def _chart(f: Figures) -> bytes:
    fb, pe, lb = f["feedback"], f["petitions"], f["lookbacks"]
    flags = palette.FLAG_COLOURS
    return progress_chart({
        "反馈问题": [Bar("总数", fb["total"], palette.NO_FLAG),
                 Bar("已销号", fb["closed"], flags["passed"]),
                 Bar("整改中", fb["in_progress"], palette.IN_PROGRESS),
                 Bar("逾期", fb["overdue"], flags["case_overdue"])],
        "信访件": [Bar("总数", pe["total"], palette.NO_FLAG),
                Bar("已销号", pe["closed"], flags["passed"])],
        "回头看": [Bar("通过", lb["passed"], flags["passed"]),
                Bar("反弹", lb["recurred"], flags["recurred"]),
                Bar("逾期", lb["overdue"], flags["overdue"])]})


def _progress(doc: DocumentType, conn: sa.Connection, f: Figures, period: Period,
              texts: Mapping[str, str]) -> None:
    fmt.heading(doc, 1, 2, "进展情况")
    _feedback(doc, conn, f, period, texts)
    fmt.heading(doc, 2, 2, "交办信访件落实情况")
    fmt.body(doc, _petitions_sentence(f["petitions"], w.day(period.as_of_day)))
    _written(doc, texts.get("petitions"))
    fmt.picture(doc, _chart(f))


# --- 三、存在问题及下一步工作计划 ----------------------------------------------------------------

def _problems(f: Figures, end: str) -> str:
    fb, lb, t = f["feedback"], f["lookbacks"], f["tickets"]
    found = [(fb["overdue"], f"反馈问题逾期未完成整改{w.count(fb['overdue'], w.ITEMS)}"),
             (fb["behind_schedule"],
              f"反馈问题滞后于序时进度{w.count(fb['behind_schedule'], w.ITEMS)}"),
             (lb["recurred"], f"“回头看”发现问题反弹{w.count(lb['recurred'], w.ROUNDS)}"),
             (lb["overdue"], f"“回头看”逾期未开展{w.count(lb['overdue'], w.ROUNDS)}"),
             (t["overdue"], f"督办交办单逾期未答复{w.count(t['overdue'], w.COPIES)}")]
    named = [text for n, text in found if n]
    if not named:
        return f"截至{end}，反馈问题均按序时进度推进，未发现问题反弹和逾期未办事项。"
    return f"截至{end}，{'；'.join(named)}。"


def _plan(f: Figures) -> str:
    rest = f["feedback"]["in_progress"]
    remaining = (f"做好剩余{w.count(rest, w.ITEMS)}反馈问题整改销号工作，继续实行“每月报，随时盯”，"
                 "紧盯整改进展，确保按时完成整改销号；" if rest else "")
    return (f"{remaining}继续借助第三方机构技术力量，对已销号问题开展“回头看”，严防问题"
            "死灰复燃；对督查发现的问题以督办单形式严格督办，直至问题全面解决。")


def _next(doc: DocumentType, f: Figures, period: Period, texts: Mapping[str, str]) -> None:
    fmt.heading(doc, 1, 3, "存在问题及下一步工作计划")
    _subsections(doc, [("存在问题", _problems(f, w.day(period.as_of_day)), texts.get("problems")),
                       ("下一步工作计划", None if texts.get("plan") else _plan(f),
                        texts.get("plan"))])


def progress_report(conn: sa.Connection, *, year: int, month: int | None = None,
                    tz: ZoneInfo, now: datetime | None = None,
                    texts: Mapping[str, str] | None = None) -> DocumentType:
    """The report of a year (or one month, in the district's zone `tz`) with the records as
    they stood at the period's end (at `now`, the clock's time, in a period not over yet),
    as a python-docx Document: `lookback stats` for the same period, written out. `texts`:
    the written paragraphs, by the keys of PARTS (any may be missing)."""
    texts = {k: v.strip() for k, v in (texts or {}).items() if v and v.strip()}
    unknown = sorted(set(texts) - set(PARTS))
    if unknown:
        raise InvalidInput(f"progress report: no part named {', '.join(unknown)}; the parts "
                         f"are {', '.join(PARTS)}")
    period = period_of(year, month, tz=tz, now=now)
    figures = stats(conn, year=year, month=month, tz=tz, now=now)
    when = w.month(year, month)
    doc = fmt.new_document()
    fmt.title(doc, f"{when}生态环境保护督察整改工作进展情况")
    _written(doc, texts.get("intro"))
    _practices(doc, figures, when, texts)
    _progress(doc, conn, figures, period, texts)
    _next(doc, figures, period, texts)
    return doc
