"""On-schedule progress, with hand numbers: a case opened 2022-01-01 00:00 (China time, where
dates are kept) with a deadline of 2022-01-04 has four days (the deadline day counts in full,
up to 2022-01-05 00:00)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from inspections.cases import Case, Measure, get_case
from inspections.clock import DEFAULT_TZ
from inspections.progress import progress
from tests.inspections.builders import clock, new_case

CHINA = timezone(timedelta(hours=8))
OPENED = datetime(2022, 1, 1, tzinfo=CHINA)
DONE = datetime(2022, 1, 2, tzinfo=CHINA)


def _case(state: str = "rectifying", done: int = 0, total: int = 4) -> Case:
    measures = tuple(Measure(i, i, f"措施{i}", DONE if i <= done else None, None)
                     for i in range(1, total + 1))
    return Case(id=1, reference="DC-2022-01", source="inspection_feedback", batch=None,
                inspection=None,
                title="t", description="d", responsible_unit="区生态环境分局", leader=None,
                deadline=date(2022, 1, 4), target="g", key_case=False, state=state,
                is_recurrence=False, lon=None, lat=None, notice_start=None, notice_end=None,
                opened_at=OPENED, closed_at=None, lookback_agency=None, site_ids=(),
                measures=measures)


def _at(days: float) -> datetime:
    return OPENED + timedelta(days=days)


def test_two_of_four_at_three_quarters_of_the_time_is_behind() -> None:
    p = progress(_case(done=2), _at(3), tz=DEFAULT_TZ)  # 2022-01-04 00:00: 3 of 4 days gone
    assert (p.measures_done, p.measures_total) == (2, 4)
    assert (p.done_share, p.time_share) == (0.5, 0.75)
    assert p.behind_schedule  # 0.5 < 0.75 - 0.1
    assert not p.overdue  # the deadline day itself is not overdue


def test_within_the_slack_is_on_schedule() -> None:
    p = progress(_case(done=3), _at(3.2), tz=DEFAULT_TZ)  # 0.75 done, 0.8 of the time: 0.05 behind
    assert (p.done_share, p.time_share) == (0.75, 0.8)
    assert not p.behind_schedule


def test_ahead_of_time() -> None:
    p = progress(_case(done=4), _at(1), tz=DEFAULT_TZ)
    assert (p.done_share, p.time_share, p.behind_schedule) == (1.0, 0.25, False)


@pytest.mark.parametrize(("days", "share"), [(-2, 0.0), (0, 0.0), (2, 0.5), (4, 1.0),
                                              (30, 1.0)])
def test_time_share_is_clipped(days: float, share: float) -> None:
    assert progress(_case(), _at(days), tz=DEFAULT_TZ).time_share == share


@pytest.mark.parametrize(("state", "overdue"), [
    ("open", True), ("rectifying", True), ("rectified", True),
    ("accepted", False), ("publicised", False), ("closed", False)])
def test_overdue_after_the_deadline_day_while_unfinished(state: str, overdue: bool) -> None:
    assert progress(_case(state), _at(4), tz=DEFAULT_TZ).overdue is overdue  # 2022-01-05 00:00
    assert progress(_case(state), _at(3.99), tz=DEFAULT_TZ).overdue is False  # still 2022-01-04


@pytest.mark.parametrize(("state", "behind"), [
    ("open", True), ("rectifying", True), ("rectified", False), ("accepted", False),
    ("publicised", False), ("closed", False)])
def test_behind_only_while_the_work_is_under_way(state: str, behind: bool) -> None:
    assert progress(_case(state, done=0), _at(2), tz=DEFAULT_TZ).behind_schedule is behind


@pytest.mark.parametrize(("state", "share"), [
    ("open", 0.0), ("rectifying", 0.0), ("rectified", 1.0), ("accepted", 1.0),
    ("publicised", 1.0), ("closed", 1.0)])
def test_a_case_without_measures(state: str, share: float) -> None:
    p = progress(_case(state, total=0), _at(2), tz=DEFAULT_TZ)
    assert (p.measures_done, p.measures_total, p.done_share) == (0, 0, share)


def test_a_deadline_before_opening_has_no_time_left() -> None:
    case = replace(_case(), deadline=date(2021, 12, 30))
    p = progress(case, _at(0), tz=DEFAULT_TZ)
    assert (p.time_share, p.behind_schedule, p.overdue) == (1.0, True, True)


def test_progress_of_a_stored_case(engine) -> None:  # noqa: ANN001
    # Opened 2022-03-01 09:00 UTC, deadline 2022-12-31, which ends at midnight in China
    # (16:00 UTC): 306 days less 9 + 8 hours to run.
    with engine.begin() as conn:
        case = get_case(conn, new_case(conn, clock()))
    p = progress(case, datetime(2022, 7, 1, 9, 0, tzinfo=UTC), tz=DEFAULT_TZ)
    assert (p.measures_done, p.measures_total, p.done_share) == (0, 2, 0.0)
    assert p.time_share == pytest.approx(122 / (306 - 17 / 24))
    assert p.behind_schedule  # open, nothing done, 40 % of the time gone
