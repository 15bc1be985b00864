"""The progress report's written paragraphs: saved per period and part and audited, read back,
offered as the next period's draft while it has nothing saved, refused for an unknown part,
text too long, a period that is none, or a role that may not write them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from inspections import audit
from inspections.actors import Actor
from inspections.clock import FixedClock
from inspections.errors import InvalidInput, NotAllowed, ReportTextError
from inspections.report_texts import (
    MAX_TEXT,
    ReportPeriod,
    check_texts,
    may_read,
    may_write,
    period_texts,
    problems,
    report_period,
    save_texts,
    saved_texts,
)
from inspections.schema import report_texts

ADMIN = Actor("陈文书", "admin")
LEADER = Actor("李区长", "leader")
CLOCK = FixedClock(datetime(2022, 7, 5, 2, 0, tzinfo=UTC))  # 10:00 on 5 July in the district
JUNE, JULY = ReportPeriod(2022, 6), ReportPeriod(2022, 7)


def _save(engine: Engine, period: ReportPeriod, texts: dict[str, object],
          actor: Actor = ADMIN, clock: FixedClock = CLOCK) -> list[str]:
    with engine.begin() as conn:
        return save_texts(conn, actor=actor, clock=clock, period=period, texts=texts)


def test_paragraphs_are_kept_per_period_and_part_and_audited(engine: Engine) -> None:
    changed = _save(engine, JUNE, {"organisation": "  区委常委会专题研究督察整改工作。\r\n",
                                   "plan": "做好剩余问题整改销号工作。", "intro": ""})
    assert changed == ["organisation", "plan"]
    with engine.connect() as conn:
        assert saved_texts(conn, JUNE) == {"organisation": "区委常委会专题研究督察整改工作。",
                                           "plan": "做好剩余问题整改销号工作。"}
        shown = period_texts(conn, JUNE)
        [entry] = audit.history(conn, "report_texts", 202206)
    assert not shown.is_draft and shown.updated_by == "陈文书"
    assert shown.updated_at is not None and shown.updated_at.astimezone(UTC) == CLOCK.now()
    assert (entry["action"], entry["actor"], entry["data"]["kind"], entry["data"]["month"]) == (
        "report_texts.save", "陈文书", "month", 6)
    assert entry["data"]["texts"]["plan"] == "做好剩余问题整改销号工作。"


def test_saving_again_changes_only_what_changed(engine: Engine) -> None:
    _save(engine, JUNE, {"organisation": "甲", "plan": "乙"})
    later = FixedClock(datetime(2022, 7, 6, 2, 0, tzinfo=UTC))
    assert _save(engine, JUNE, {"organisation": "甲", "plan": "丙"}, LEADER, later) == ["plan"]
    assert _save(engine, JUNE, {"organisation": "甲", "plan": "丙"}, LEADER, later) == []
    assert _save(engine, JUNE, {"organisation": ""}, LEADER, later) == ["organisation"]
    with engine.connect() as conn:
        assert saved_texts(conn, JUNE) == {"plan": "丙"}
        rows = conn.execute(sa.select(sa.func.count()).select_from(report_texts)).scalar()
        entries = audit.history(conn, "report_texts", 202206)
        shown = period_texts(conn, JUNE)
    assert rows == 2  # one row per period and part, however often saved
    assert [e["data"]["texts"] for e in entries] == [
        {"organisation": "甲", "plan": "乙"}, {"plan": "丙"}, {"organisation": ""}]
    assert (shown.updated_by, shown.texts) == ("李区长", {"plan": "丙"})


def test_a_year_is_kept_apart_from_its_months(engine: Engine) -> None:
    year = ReportPeriod(2022)
    _save(engine, year, {"intro": "全年导语"})
    _save(engine, year, {"intro": "全年导语（修改）"})
    _save(engine, JUNE, {"intro": "六月导语"})
    with engine.connect() as conn:
        assert saved_texts(conn, year) == {"intro": "全年导语（修改）"}
        assert saved_texts(conn, JUNE) == {"intro": "六月导语"}
        assert saved_texts(conn, ReportPeriod(2022, 12)) == {}
        assert conn.execute(sa.select(sa.func.count()).select_from(report_texts)
                            .where(report_texts.c.kind == "year")).scalar() == 1


def test_a_period_with_nothing_saved_shows_the_latest_earlier_one_as_a_draft(
        engine: Engine) -> None:
    _save(engine, ReportPeriod(2022, 4), {"plan": "四月计划"})
    _save(engine, ReportPeriod(2022, 5), {"plan": "五月计划", "problems": "五月问题"})
    _save(engine, ReportPeriod(2022, 9), {"plan": "九月计划"})
    _save(engine, ReportPeriod(2021), {"intro": "2021年导语"})
    with engine.connect() as conn:
        july = period_texts(conn, JULY)
        april = period_texts(conn, ReportPeriod(2022, 4))
        january = period_texts(conn, ReportPeriod(2023, 1))
        first = period_texts(conn, ReportPeriod(2022, 3))
        year = period_texts(conn, ReportPeriod(2022))
        assert saved_texts(conn, JULY) == {}  # the report of July carries no draft
    assert (july.draft_from, july.texts) == (ReportPeriod(2022, 5),
                                             {"problems": "五月问题", "plan": "五月计划"})
    assert july.is_draft and july.updated_at is None
    assert not april.is_draft and april.texts == {"plan": "四月计划"}
    assert january.draft_from == ReportPeriod(2022, 9)  # across the year's end
    assert (first.is_draft, first.texts) == (False, {})
    assert (year.draft_from, year.texts) == (ReportPeriod(2021), {"intro": "2021年导语"})


def test_a_period_saved_empty_is_no_longer_a_draft_nor_a_draft_source(engine: Engine) -> None:
    _save(engine, ReportPeriod(2022, 5), {"plan": "五月计划"})
    _save(engine, JUNE, {"plan": ""})
    with engine.connect() as conn:
        june, july = period_texts(conn, JUNE), period_texts(conn, JULY)
    assert (june.is_draft, june.texts) == (False, {})
    assert july.draft_from == ReportPeriod(2022, 5)


@pytest.mark.parametrize(("texts", "part", "problem"), [
    ({"meetings": "42次"}, "meetings", "unknown_part"),
    ({"plan": 42}, "plan", "not_text"),
    ({"plan": "计划\x00"}, "plan", "control_chars"),
    ({"organisation": "字" * (MAX_TEXT + 1)}, "organisation", "too_long"),
])
def test_a_paragraph_that_cannot_be_kept_is_refused_naming_its_part(
        engine: Engine, texts: dict, part: str, problem: str) -> None:
    with pytest.raises(ReportTextError) as refused:
        _save(engine, JUNE, {"intro": "导语"} | texts)
    assert (refused.value.part, refused.value.problem) == (part, problem)
    assert part in str(refused.value)
    with engine.connect() as conn:  # nothing kept, nothing audited
        assert saved_texts(conn, JUNE) == {}
        assert audit.history(conn, "report_texts", 202206) == []


def test_the_length_limit_counts_the_kept_text() -> None:
    assert check_texts({"plan": " " + "字" * MAX_TEXT + "\r\n"}) == {"plan": "字" * MAX_TEXT}
    [too_long] = problems({"plan": "字" * (MAX_TEXT + 5)})
    assert (too_long.limit, too_long.length) == (MAX_TEXT, MAX_TEXT + 5)
    assert "三、（二）下一步工作计划" in str(too_long)
    found = problems({"zzz": "", "plan": "字" * (MAX_TEXT + 1), "intro": 1})
    assert [p.part for p in found] == ["intro", "plan", "zzz"]  # the report's order


@pytest.mark.parametrize(("year", "month", "message"), [
    (1999, None, "year 1999 is not a year from 2000 to 2100"),
    (2022, 13, "month 13 is not a month from 1 to 12"),
    (2022, 0, "month 0 is not a month"),
    ("2022", None, "year '2022' is not a year"),
    (True, None, "year True is not a year"),
])
def test_a_period_that_is_none_is_refused(year: object, month: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        report_period(year, month)


def test_only_leaders_and_administrators_write_and_read_them(engine: Engine) -> None:
    assert [r for r in ("grid_officer", "inspector", "unit", "leader", "admin", "acceptor",
                        "assessor") if may_write(r)] == ["leader", "admin"]
    assert not may_read("unit") and may_read("leader")
    with pytest.raises(NotAllowed, match="role 'unit' may not save them"):
        _save(engine, JUNE, {"plan": "计划"}, Actor("东山镇", "unit", unit="东山镇"))
    with engine.connect() as conn:
        assert saved_texts(conn, JUNE) == {}
