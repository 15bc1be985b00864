"""The paragraphs saved on the report page in the reports of the demo scenario, opened with
python-docx: June 2022's in the June report's subsections, the year's in the year 2022
report (and not June's); `--texts FILE.json` in place of saved ones for one report, refused
naming the part when a part is unknown."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
import sqlalchemy as sa

from inspections.actors import Actor
from inspections.clock import FixedClock
from inspections.report_texts import ReportPeriod, save_texts
from inspections.schema import report_texts
from tests.scenario import Played
from tests.web.cli import json_lines, run
from web.database import engine_for
from web.settings import Settings

WRITER = Actor("陈文书", "admin")
JUNE = {"intro": "【六月导语】今年以来，我区坚持问题导向。",
        "organisation": "【六月组织】区委常委会专题研究督察整改工作。",
        "follow_up": "【六月跟踪】对重点问题实行挂图作战。",
        "feedback": "【六月反馈】剩余问题均明确了责任领导。\r\n\r\n【六月反馈二】每月调度一次。",
        "petitions": "【六月信访】交办信访件已全部办结。",
        "problems": "【六月问题】个别镇（街道）整改进度偏慢。",
        "plan": "【六月计划】紧盯剩余问题，确保按期销号。"}
YEAR = {"intro": "【全年导语】2022年，我区扎实推进督察整改。",
        "supervision": "【全年监管】全年开展专项执法行动。",
        "plan": "【全年计划】持续巩固整改成效。"}


@pytest.fixture
def saved(played: Played) -> Iterator[Played]:
    """June 2022's and the year 2022's paragraphs saved in the scenario's database, removed
    afterwards (the scenario is shared: other tests read its reports without them)."""
    engine = engine_for(Settings(database_url=played.env["url"]))
    clock = FixedClock(datetime(2022, 12, 20, 2, 0, tzinfo=UTC))
    with engine.begin() as conn:
        save_texts(conn, actor=WRITER, clock=clock, period=ReportPeriod(2022, 6), texts=JUNE)
        save_texts(conn, actor=WRITER, clock=clock, period=ReportPeriod(2022), texts=YEAR)
    try:
        yield played
    finally:
        with engine.begin() as conn:
            conn.execute(sa.delete(report_texts))


def _report(played: Played, tmp_path: Path, *args: str) -> list[str]:
    out = tmp_path / "progress.docx"
    result = run(played.env["url"], "report", "progress", *args, "--out", str(out), "--json",
                 LOOKBACK_DATA_DIR=played.env["data"], LOOKBACK_NOW=played.env["now"])
    assert result.exit_code == 0, result.output
    return [p.text for p in docx.Document(str(out)).paragraphs]


def _at(paragraphs: list[str], start: str) -> int:
    """Where the first paragraph starting with `start` is; "（?）" stands for any number
    (a subsection's number depends on which subsections the period has)."""
    pattern = re.compile(re.escape(start).replace(re.escape("（?）"), "（[一二三四五六七八九]）"))
    return next(i for i, p in enumerate(paragraphs) if pattern.match(p))


def _after(paragraphs: list[str], start: str) -> str:
    """The paragraph after the first one starting with `start`."""
    return paragraphs[_at(paragraphs, start) + 1]


def _between(paragraphs: list[str], first: str, last: str) -> list[str]:
    """The paragraphs with text from `first` up to `last` (figures have none)."""
    return [p for p in paragraphs[_at(paragraphs, first):_at(paragraphs, last)] if p]


def test_the_june_report_carries_junes_paragraphs_in_their_subsections(
        saved: Played, tmp_path: Path) -> None:
    paragraphs = _report(saved, tmp_path, "--month", "2022-06")
    assert paragraphs[:2] == ["2022年6月生态环境保护督察整改工作进展情况", JUNE["intro"]]
    head = _at(paragraphs, "（?）加强组织领导。")  # run on, or after the figures when there are
    assert (paragraphs[head].endswith("加强组织领导。" + JUNE["organisation"])
            or paragraphs[head + 1] == JUNE["organisation"])
    assert _after(paragraphs, "（?）强化跟踪问效。") == JUNE["follow_up"]  # after its figures
    feedback = _between(paragraphs, "（一）反馈问题整改落实情况", "（二）交办信访件落实情况")
    assert feedback[-2:] == ["【六月反馈】剩余问题均明确了责任领导。",  # a paragraph a line,
                             "【六月反馈二】每月调度一次。"]  # after the problems still open
    assert _after(paragraphs, "（二）交办信访件落实情况").startswith("2020年9月3日")
    petitions = _between(paragraphs, "（二）交办信访件落实情况", "三、存在问题及下一步工作计划")
    assert petitions[-1] == JUNE["petitions"]
    assert _after(paragraphs, "（一）存在问题。") == JUNE["problems"]
    assert f"（二）下一步工作计划。{JUNE['plan']}" in paragraphs
    text = "\n".join(paragraphs)
    for written in JUNE.values():
        for paragraph in written.split("\r\n\r\n"):
            assert text.count(paragraph) == 1, paragraph
    assert "【全年" not in text


def test_the_year_report_carries_the_years_paragraphs(saved: Played, tmp_path: Path) -> None:
    paragraphs = _report(saved, tmp_path, "--year", "2022")
    assert paragraphs[:2] == ["2022年生态环境保护督察整改工作进展情况", YEAR["intro"]]
    assert _after(paragraphs, "（?）加大监管力度。") == YEAR["supervision"]
    assert f"（二）下一步工作计划。{YEAR['plan']}" in paragraphs
    text = "\n".join(paragraphs)
    assert "【六月" not in text


def test_a_texts_file_takes_the_place_of_saved_paragraphs(saved: Played,
                                                          tmp_path: Path) -> None:
    given = tmp_path / "texts.json"
    given.write_text(json.dumps({"plan": "【文件计划】", "organisation": ""}, ensure_ascii=False),
                     encoding="utf-8")
    paragraphs = _report(saved, tmp_path, "--month", "2022-06", "--texts", str(given))
    assert "（二）下一步工作计划。【文件计划】" in paragraphs
    text = "\n".join(paragraphs)
    assert JUNE["plan"] not in text and JUNE["organisation"] not in text  # emptied here
    assert JUNE["follow_up"] in text  # the saved ones the file does not name stay


@pytest.mark.parametrize(("content", "error"), [
    ('{"meetings": "42次"}', "no part named 'meetings'"),
    ('["plan"]', "give a JSON object of part to paragraph"),
    ("{plan", "cannot read it as JSON"),
])
def test_a_bad_texts_file_is_refused_naming_the_problem(played: Played, tmp_path: Path,
                                                        content: str, error: str) -> None:
    given = tmp_path / "texts.json"
    given.write_text(content, encoding="utf-8")
    result = run(played.env["url"], "report", "progress", "--month", "2022-06", "--texts",
                 str(given), "--out", str(tmp_path / "x.docx"), "--json",
                 LOOKBACK_DATA_DIR=played.env["data"], LOOKBACK_NOW=played.env["now"])
    assert result.exit_code == 1
    assert error in json_lines(result.stdout)[0]["error"]
    assert not (tmp_path / "x.docx").exists()
