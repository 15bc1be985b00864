"""Reports on the demo scenario: the 2022 progress report carries the report's figures, a chart
and a map; a closure report has the sample's sections and the evidence photos; both follow
GB/T 9704 (A4, margins, fonts set for East Asian text, 22 pt title, 16 pt body, "— 1 —")."""

from __future__ import annotations

import re
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.shared import Pt

from tests.scenario import Played
from tests.web.cli import json_lines, run
from tests.web.client import client_for, sign_in


def _report(played: Played, tmp_path: Path, *args: str) -> docx.document.Document:
    out = tmp_path / "report.docx"
    result = run(played.env["url"], "report", *args, "--out", str(out), "--json",
                 LOOKBACK_DATA_DIR=played.env["data"], LOOKBACK_NOW=played.env["now"])
    assert result.exit_code == 0, result.output
    assert json_lines(result.stdout)[0]["bytes"] > 10_000
    return docx.Document(str(out))


def _east_asian(run_) -> str | None:  # noqa: ANN001
    fonts = run_._element.rPr.rFonts
    return fonts.get(qn("w:eastAsia"))


def _check_layout(doc: docx.document.Document) -> None:
    section = doc.sections[0]

    def mm(length: int) -> float:  # EMU, as Word's twips convert to them
        return round(length / 36000, 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210.0, 297.0)
    assert (mm(section.top_margin), mm(section.left_margin)) == (37.0, 28.0)
    assert mm(section.page_width - section.left_margin - section.right_margin) == 156.0
    assert mm(section.page_height - section.top_margin - section.bottom_margin) == 225.0
    title = doc.paragraphs[0].runs[0]
    assert title.font.size == Pt(22) and _east_asian(title) == "方正小标宋简体"
    assert doc.paragraphs[0].alignment == 1  # centred
    level_one = next(p for p in doc.paragraphs if p.text.startswith("一、"))
    assert _east_asian(level_one.runs[0]) == "黑体" and level_one.runs[0].font.size == Pt(16)
    level_two = next(p for p in doc.paragraphs if p.text.startswith("（一）"))
    assert _east_asian(level_two.runs[0]) == "楷体_GB2312"
    body = next(p for p in doc.paragraphs if p.runs and _east_asian(p.runs[0]) == "仿宋_GB2312"
                and not p.runs[0].font.bold)
    assert body.runs[0].font.size == Pt(16)
    assert body.paragraph_format.first_line_indent == Pt(32)
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("— ") and footer.text.endswith(" —")
    assert "PAGE" in footer._element.xml and footer.runs[0].font.size == Pt(14)


def test_the_2022_progress_report(played: Played, tmp_path: Path) -> None:
    doc = _report(played, tmp_path, "progress", "--year", "2022")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "2022年生态环境保护督察整改工作进展情况" in doc.paragraphs[0].text
    assert "罚款842.5735万元" in text  # the figures: tests/web/test_progress_reports.py
    assert len(doc.inline_shapes) == 2  # the progress chart and the map
    _check_layout(doc)


def test_a_closure_report_has_the_samples_sections(played: Played, tmp_path: Path) -> None:
    doc = _report(played, tmp_path, "closure", "HTK-2018-TB-01")
    text = "\n".join(p.text for p in doc.paragraphs)
    for part in ("一、整改任务", "（一）反馈问题：", "（二）责任单位：", "（三）整改时限：",
                 "（四）整改目标：", "（五）整改措施：", "二、整改落实情况", "三、评估结论",
                 "符合销号条件", "公示期"):
        assert part in text, part
    assert len(doc.inline_shapes) >= 2  # acceptance photo(s) and the site map
    assert not re.search(r"\d{4}年0\d月|月0\d日", text)  # 2021年4月6日, not 2021年04月06日
    _check_layout(doc)


def test_a_closure_report_says_each_measure_once_in_what_was_done(played: Played,
                                                                   tmp_path: Path) -> None:
    """Under 整改措施落实情况 each measure is its heading, then the day it was done, with no
    echo of its text in the unit's note ("…：已完成")."""
    doc = _report(played, tmp_path, "closure", "DC2-2021-01")
    paragraphs = [p.text for p in doc.paragraphs]
    done = paragraphs[paragraphs.index("（二）整改措施落实情况"):paragraphs.index("三、评估结论")]
    measures = ("完成废气收集系统改造", "安装在线监控设备并联网", "开展泄漏检测与修复")
    for n, text in enumerate(measures, start=1):
        assert sum(p.count(text) for p in done) == 1, text
        follows = done[done.index(f"{n}.{text}") + 1]
        assert re.fullmatch(r"已于\d{4}年[1-9]\d?月[1-9]\d?日完成。", follows), follows


def test_reports_are_for_leaders_and_errors_are_named(played: Played, tmp_path: Path) -> None:
    leader = client_for(played.env["url"], now=played.env["now"], data_dir=played.env["data"])
    sign_in(leader, "leader")
    got = leader.get("/api/reports/progress", params={"year": 2022})
    assert got.status_code == 200 and got.content[:2] == b"PK"
    unit = client_for(played.env["url"], now=played.env["now"])
    sign_in(unit, "unit")
    assert unit.get("/api/reports/progress", params={"year": 2022}).status_code == 403
    missing = run(played.env["url"], "report", "closure", "NOPE", "--out",
                  str(tmp_path / "x.docx"), "--json")
    assert missing.exit_code == 1 and "NOPE" in json_lines(missing.stdout)[0]["error"]
    both = run(played.env["url"], "report", "progress", "--out", str(tmp_path / "y.docx"),
               "--json")
    assert "give --month YYYY-MM or --year YYYY" in json_lines(both.stdout)[0]["error"]
