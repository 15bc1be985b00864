"""The progress reports of June 2022 and of the year 2022 on the demo scenario, opened with
python-docx: the source's three parts, every figure equal to `lookback stats` for the same
period, the June report listing exactly the feedback problems still open at the end of June
with June's progress (read back from the audit log here, independently), figures written as
the bureau writes them, sane embedded images, and written paragraphs where they belong."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from pathlib import Path

import docx
import pytest
import sqlalchemy as sa
from PIL import Image

from geo.db import create_engine
from inspections.clock import DEFAULT_TZ, aware, to_utc
from inspections.errors import InvalidInput
from inspections.reports import wording as w
from inspections.reports.progress_report import PARTS, progress_report
from inspections.schema import audit_log, cases, measures
from tests.scenario import Played
from tests.web.cli import json_lines, run

END_OF_JUNE = datetime(2022, 6, 30, 23, 59, 59, 999999, tzinfo=DEFAULT_TZ)


def _report(played: Played, tmp_path: Path, *period: str) -> docx.document.Document:
    out = tmp_path / "progress.docx"
    result = run(played.env["url"], "report", "progress", *period, "--out", str(out),
                 "--json", LOOKBACK_DATA_DIR=played.env["data"],
                 LOOKBACK_NOW=played.env["now"])
    assert result.exit_code == 0, result.output
    return docx.Document(str(out))


def _text(doc: docx.document.Document) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def _figures(stats: dict) -> list[tuple[str, str]]:
    """(pattern with one group, the value stats gives, written as the report writes it)."""
    t, lb, p = stats["tickets"], stats["lookbacks"], stats["patrol_cases"]
    e, c, loop = stats["enforcement"], stats["complaints"], stats["closure_loop"]
    fb, pe, o = stats["feedback"], stats["petitions"], stats["organisation"]
    found = [
        (r"共下发督办交办单(\d+)个", t["issued"]), (r"，已答复(\d+)个", t["responded"]),
        (r"逾期未答复(\d+)个", t["overdue"]),
        (r"复核通过(\d+)轮", lb["passed"]), (r"发现问题反弹(\d+)轮", lb["recurred"]),
        (r"待开展(\d+)轮", lb["scheduled"]), (r"待开展\d+轮，逾期(\d+)轮", lb["overdue"]),
        (r"巡查发现问题立案(\d+)起", p["opened"]), (r"立案\d+起，已销号(\d+)起", p["closed"]),
        (r"正在整改(\d+)起", p["in_progress"]),
        (r"行政处罚决定(\d+)件", e["penalty_decisions"]),
        (r"罚款([\d.]+万?元)", w.money(e["fines_yuan"])),
        (r"移送公安(\d+)起", e["police_referrals"]), (r"行政拘留(\d+)人", e["detained_persons"]),
        (r"刑事拘留(\d+)人", e["criminal_persons"]),
        (r"限产停产(\d+)起", e["seizures_or_limits"]),
        (r"受理各类环境信访件(\d+)件", c["received"]),
        (r"完成整改验收(\d+)个", loop["accepted"]), (r"验收\d+个、销号(\d+)个", loop["closed"]),
        (r"公示整改问题(\d+)个", loop["publicised"]),
        (r"涉及我区的有(\d+)项", fb["total"]), (r"已完成整改并销号(\d+)项", fb["closed"]),
        (r"其余(\d+)项问题", fb["in_progress"]),
        (r"；整改率([\d.]+%)，", w.rate(fb["rectification_rate"])),
        (r"；整改率[\d.]+%，销号率([\d.]+%)", w.rate(fb["closure_rate"])),
        (r"移交了(\d+)批次", pe["batches"]), (r"批次共(\d+)件信访件", pe["total"]),
        (r"区委、区政府先后(\d+)次召开会议", o["meetings"]),
        (r"区委书记、区长作出批示(\d+)次", o["instructions"]),
        (r"区级领导先后(\d+)次带队", o["leader_checks"]),
    ]
    found = [(pattern, str(value)) for pattern, value in found]
    if c["yoy_change_pct"] is not None and c["yoy_change_pct"] < 0:
        found.append((r"同比下降([\d.]+)%", f"{-c['yoy_change_pct']:.2f}"))
    return found


def _check_figures(text: str, stats: dict) -> None:
    for pattern, value in _figures(stats):
        got = re.findall(pattern, text)
        assert got and set(got) == {value}, (pattern, got, value)
    assert not re.search(r"\d{4}年0\d月|月0\d日", text)  # no zero-padded dates
    assert not re.search(r"\d,\d{3}", text)  # no 8,425,735元


def _check_parts(doc: docx.document.Document, organisation: bool = True) -> None:
    """The three parts and their subsections (加强组织领导 first when any meeting,
    instruction or leader-led check was recorded in the period)."""
    heads = [p.text for p in doc.paragraphs if re.match(r"^[一二三]、", p.text)]
    assert heads == ["一、主要做法", "二、进展情况", "三、存在问题及下一步工作计划"]
    text = _text(doc)
    practices = ["加强组织领导"] * organisation + ["强化跟踪问效", "加大监管力度", "实行闭环管理",
                                                  "坚持信息公开"]
    for part in (*(f"（{'一二三四五'[n]}）{title}。" for n, title in enumerate(practices)),
                 "（一）反馈问题整改落实情况", "（二）交办信访件落实情况",
                 "（一）存在问题。", "（二）下一步工作计划。"):
        assert part in text, part


def _pngs(doc: docx.document.Document) -> list[tuple[int, int]]:
    sizes = []
    for shape in doc.inline_shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        blob = doc.part.related_parts[blip.embed].blob
        image = Image.open(io.BytesIO(blob))
        assert image.format == "PNG"
        sizes.append(image.size)
    return sizes


def _sane(sizes: list[tuple[int, int]]) -> None:
    assert len(sizes) == 2  # the map and the chart
    for width, height in sizes:
        assert 500 <= width <= 2500 and 300 <= height <= 2500, (width, height)


def _open_at_end_of_june(played: Played) -> dict[str, tuple[date, int, int]]:
    """From the audit log, not from the report's code: the second round's feedback problems
    not closed by the end of June 2022, each with its deadline and measures done then."""
    engine = create_engine(played.env["url"])
    a = audit_log
    with engine.connect() as conn:
        rows = conn.execute(sa.select(cases.c.id, cases.c.title, cases.c.deadline).where(
            cases.c.source == "inspection_feedback", cases.c.reference.like("DC2-%"))).all()
        closed = set(conn.execute(sa.select(a.c.entity_id).where(
            a.c.action == "case.close", a.c.at <= to_utc(END_OF_JUNE))).scalars())
        done = conn.execute(sa.select(measures.c.case_id, a.c.at).join(
            a, sa.and_(a.c.entity == "measure", a.c.entity_id == measures.c.id,
                       a.c.action == "measure.complete"))).all()
        totals = dict(conn.execute(sa.select(measures.c.case_id, sa.func.count())
                                   .group_by(measures.c.case_id)).all())
    engine.dispose()
    by_june = {i: sum(1 for c, at in done if c == i and aware(at) <= END_OF_JUNE)
               for i, _, _ in rows}
    return {title: (deadline, by_june[i], totals[i]) for i, title, deadline in rows
            if i not in closed}


def test_the_june_2022_report_reads_the_end_of_june(played: Played, tmp_path: Path) -> None:
    doc = _report(played, tmp_path, "--month", "2022-06")
    [june] = played.cli("stats", "--year", "2022", "--month", "6")
    text = _text(doc)
    assert doc.paragraphs[0].text == "2022年6月生态环境保护督察整改工作进展情况"
    _check_parts(doc)
    _check_figures(text, june)
    assert "其反馈问题中涉及我区的有12项，截至2022年6月30日，已完成整改并销号7项，其余5项" in text
    still = _open_at_end_of_june(played)
    assert june["feedback"]["in_progress"] == len(still) == 5
    start = next(i for i, p in enumerate(doc.paragraphs) if p.text.startswith("（一）反馈问题"))
    end = next(i for i, p in enumerate(doc.paragraphs) if p.text.startswith("（二）交办信访件"))
    listed = [(p.text, doc.paragraphs[i + 1].text)
              for i, p in enumerate(doc.paragraphs[start:end], start=start)
              if re.match(r"^\d+\.", p.text)]
    assert sorted(re.sub(r"^\d+\.", "", head) for head, _ in listed) == sorted(still)
    for head, line in listed:
        deadline, done, total = still[re.sub(r"^\d+\.", "", head)]
        assert f"整改时限：{w.day(deadline)}；截至2022年6月30日，整改措施完成{done}/{total}项" \
            in line, line
        assert line.endswith("按序时进度推进。")
    _sane(_pngs(doc))


def test_the_year_2022_report(played: Played, tmp_path: Path) -> None:
    """Read on the scenario's last day (20 December): the year as it stands that day."""
    doc = _report(played, tmp_path, "--year", "2022")
    [year] = played.cli("stats", "--year", "2022")
    text = _text(doc)
    assert doc.paragraphs[0].text == "2022年生态环境保护督察整改工作进展情况"
    _check_parts(doc)
    _check_figures(text, year)
    for phrase in ("2021年2月4日，督察组反馈第二轮中央生态环境保护督察报告，其反馈问题中涉及我区的"
                   "有12项，截至2022年12月20日，已完成整改并销号9项，其余3项问题均按序时进度积极"
                   "推进整改中；整改率75%，销号率75%。",
                   "2020年9月3日至2020年9月30日，督察组向我区移交了24批次共54件信访件，均已完成整改"
                   "并验收销号，整改率、销号率均为100%。",
                   "共下发督办交办单244个",
                   "区委、区政府先后42次召开会议研究生态环境保护督察整改相关事项，区委书记、区长作出"
                   "批示34次，区级领导先后35次带队奔赴现场解决重难点问题",
                   "罚款842.5735万元，移送公安9起，行政拘留2人，刑事拘留1人，查封扣押、限产停产16起",
                   "同比下降18.26%"):
        assert phrase in text, phrase
    assert text.count("整改措施完成") == 3
    _sane(_pngs(doc))


def test_written_paragraphs_go_where_they_belong(played: Played) -> None:
    engine = create_engine(played.env["url"])
    texts = {key: f"【{key}的段落】" for key in PARTS}
    with engine.connect() as conn:
        doc = progress_report(conn, year=2022, month=6, tz=DEFAULT_TZ, texts=texts)
        plain = progress_report(conn, year=2022, month=6, tz=DEFAULT_TZ)
        with pytest.raises(InvalidInput, match="no part named meetings"):
            progress_report(conn, year=2022, month=6, tz=DEFAULT_TZ,
                            texts={"meetings": "42次"})
    engine.dispose()
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[1] == "【intro的段落】"
    assert "（二）压实整改责任。【responsibility的段落】" in paragraphs
    for heading, key in (("（一）加强组织领导。", "organisation"),
                         ("（三）强化跟踪问效。", "follow_up")):
        after = paragraphs[paragraphs.index(next(p for p in paragraphs
                                                 if p.startswith(heading))) + 1]
        assert after == f"【{key}的段落】"  # after the figures
    assert "（二）下一步工作计划。【plan的段落】" in paragraphs
    for key in PARTS:
        assert sum(p.count(f"【{key}的段落】") for p in paragraphs) == 1, key
    # without paragraphs, the parts with no figures of their own are left out
    assert not any("压实整改责任" in p.text for p in plain.paragraphs)
    assert any(p.text.startswith("（二）强化跟踪问效。") for p in plain.paragraphs)


def test_a_report_of_a_month_before_anything_happened(played: Played, tmp_path: Path) -> None:
    doc = _report(played, tmp_path, "--month", "2018-01")
    text = _text(doc)
    _check_parts(doc, organisation=False)  # nothing recorded: the part is left out
    assert "截至2018年1月31日，尚无督察反馈问题。" in text
    assert "截至2018年1月31日，尚无交办信访件。" in text
    assert "共下发督办交办单0个" in text and "罚款0元" in text and "行政拘留0人" in text
    assert "整改措施完成" not in text
    _sane(_pngs(doc))
    bad = run(played.env["url"], "report", "progress", "--month", "2022-13", "--out",
              str(tmp_path / "x.docx"), "--json")
    assert bad.exit_code == 1
    assert "the month must be 01 to 12" in json_lines(bad.stdout)[0]["error"]
