"""The organisation figures (会议、批示、带队督查) in `stats` by period, and the progress report's
一、（一）加强组织领导 written from them (read back with python-docx): the figures equal stats
for the same period; a period with none recorded has the part only when a paragraph is
written for it.

Records, by the day they were held (China time): meetings 2022-05-31, 06-01, 06-30,
2022-12-31 and 2023-01-01; instructions 06-15 and 11-02; a leader-led check 07-01."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import docx
import pytest
from sqlalchemy.engine import Engine

from inspections.actors import Actor
from inspections.clock import DEFAULT_TZ, FixedClock
from inspections.organisation import record_organisation
from inspections.reports.progress_report import progress_report
from inspections.stats import stats
from tests.geo import sample

CLERK = Actor("区整改办", "admin")
CLOCK = FixedClock(datetime(2023, 3, 1, 2, 0, tzinfo=UTC))
HELD = (("meeting", date(2022, 5, 31)), ("meeting", date(2022, 6, 1)),
        ("meeting", date(2022, 6, 30)), ("meeting", date(2022, 12, 31)),
        ("meeting", date(2023, 1, 1)), ("instruction", date(2022, 6, 15)),
        ("instruction", date(2022, 11, 2)), ("leader_check", date(2022, 7, 1)))
SENTENCE = re.compile(r"区委、区政府先后(\d+)次召开会议研究生态环境保护督察整改相关事项，"
                      r"区委书记、区长作出批示(\d+)次，"
                      r"区级领导先后(\d+)次带队奔赴现场解决重难点问题。")


@pytest.fixture
def district(engine: Engine) -> Engine:
    """The sample grid cells and the records in the module docstring."""
    sample.load(engine)
    with engine.begin() as conn:
        for kind, day in HELD:
            record_organisation(conn, actor=CLERK, clock=CLOCK, kind=kind, held_on=day,
                                leader="区委书记", subject="研究部署督察整改工作")
    return engine


def _paragraphs(document: docx.document.Document) -> list[str]:
    """The report saved and opened again, as Word would: its paragraphs' text."""
    out = io.BytesIO()
    document.save(out)
    return [p.text for p in docx.Document(io.BytesIO(out.getvalue())).paragraphs]


@pytest.mark.parametrize(("month", "expected"), [
    (None, {"meetings": 4, "instructions": 2, "leader_checks": 1}),
    (6, {"meetings": 2, "instructions": 1, "leader_checks": 0}),
    (5, {"meetings": 1, "instructions": 0, "leader_checks": 0}),
    (12, {"meetings": 1, "instructions": 0, "leader_checks": 0}),
    (8, {"meetings": 0, "instructions": 0, "leader_checks": 0}),
])
def test_stats_count_each_kind_held_in_the_period(district: Engine, month: int | None,
                                                  expected: dict[str, int]) -> None:
    with district.connect() as conn:
        assert stats(conn, year=2022, month=month, tz=DEFAULT_TZ)["organisation"] == expected


@pytest.mark.parametrize("month", [None, 6])
def test_the_report_writes_the_figures_stats_gives(district: Engine, month: int | None) -> None:
    with district.connect() as conn:
        figures = stats(conn, year=2022, month=month, tz=DEFAULT_TZ)["organisation"]
        paragraphs = _paragraphs(progress_report(conn, year=2022, month=month, tz=DEFAULT_TZ))
    [line] = [p for p in paragraphs if p.startswith("（一）加强组织领导。")]
    when = "2022年6月" if month else "2022年"
    assert line.startswith(f"（一）加强组织领导。{when}，区委、区政府先后")
    found = SENTENCE.search(line)
    assert found is not None, line
    assert [int(n) for n in found.groups()] == [
        figures["meetings"], figures["instructions"], figures["leader_checks"]]
    assert paragraphs.index(line) < paragraphs.index(
        next(p for p in paragraphs if p.startswith("（二）")))


def test_the_written_paragraph_follows_the_figures(district: Engine) -> None:
    with district.connect() as conn:
        paragraphs = _paragraphs(progress_report(
            conn, year=2022, month=6, tz=DEFAULT_TZ,
            texts={"organisation": "成立由区委书记任组长的整改工作领导小组。"}))
    line = next(p for p in paragraphs if p.startswith("（一）加强组织领导。"))
    assert "先后2次召开会议" in line and "作出批示1次" in line and "先后0次带队" in line
    assert paragraphs[paragraphs.index(line) + 1] == "成立由区委书记任组长的整改工作领导小组。"


def test_a_period_with_no_records_has_the_part_only_when_written(district: Engine) -> None:
    with district.connect() as conn:
        plain = _paragraphs(progress_report(conn, year=2022, month=8, tz=DEFAULT_TZ))
        written = _paragraphs(progress_report(conn, year=2022, month=8, tz=DEFAULT_TZ,
                                              texts={"organisation": "召开专题会议。"}))
    assert not any("加强组织领导" in p for p in plain)
    assert "（一）加强组织领导。召开专题会议。" in written
    assert not any("先后0次召开会议" in p for p in written)
