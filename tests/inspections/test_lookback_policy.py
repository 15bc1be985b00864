"""The look-back policy's dates: pure, with dates a person can check on a calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from inspections.errors import InvalidInput
from inspections.lookback_policy import LookbackPolicy, add_months
from tests.inspections.lookback_builders import CLOSED_AT

CN = ZoneInfo("Asia/Shanghai")


def cn(text: str) -> datetime:
    """A China-time instant from "YYYY-MM-DD HH:MM:SS"."""
    return datetime.fromisoformat(text).replace(tzinfo=CN)


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2022, 1, 31), 1, date(2022, 2, 28)),  # clipped to February's end
    (date(2024, 1, 31), 1, date(2024, 2, 29)),  # a leap year
    (date(2022, 11, 30), 3, date(2023, 2, 28)),  # across the year end
    (date(2022, 5, 15), 12, date(2023, 5, 15)),
])
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_default_policy_rounds_at_1_3_6_12_months() -> None:
    plan = LookbackPolicy().plan(datetime(2022, 1, 31, 10, 0, tzinfo=CN), "petition", CN)
    assert [(p.number, p.day) for p in plan] == [
        (1, date(2022, 2, 28)), (2, date(2022, 4, 30)), (3, date(2022, 7, 31)),
        (4, date(2023, 1, 31))]
    # Each window: 00:00 on the round's day to the end of the day 30 days later.
    assert (plan[0].window_start, plan[0].window_end) == (cn("2022-02-28 00:00:00"),
                                                          cn("2022-03-30 23:59:59"))
    assert plan[3].window_end == cn("2023-03-02 23:59:59")


def test_closure_day_is_read_in_china_time() -> None:
    # 17:00 UTC on 31 January is 01:00 on 1 February in China.
    plan = LookbackPolicy().plan(datetime(2022, 1, 31, 17, 0, tzinfo=UTC), "petition", CN)
    assert plan[0].day == date(2022, 3, 1)


def test_policy_per_source() -> None:
    policy = LookbackPolicy(by_source={"petition": [(2, 10), (4, 0)]})
    petition = policy.plan(CLOSED_AT, "petition", CN)
    assert [(p.day, p.window_end) for p in petition] == [
        (date(2022, 5, 15), cn("2022-05-25 23:59:59")),
        (date(2022, 7, 15), cn("2022-07-15 23:59:59"))]
    assert len(policy.plan(CLOSED_AT, "inspection_feedback", CN)) == 4  # the default


@pytest.mark.parametrize(("rounds", "problem"), [
    ([], "at least one round"),
    ([(0, 30)], "months after closure of 1 or more"),
    ([(1, -1)], "a window of 0 days or more"),
    ([(3, 30), (1, 30)], "must increase"),
])
def test_policy_refuses_bad_rounds(rounds: list, problem: str) -> None:
    with pytest.raises(InvalidInput, match=problem):
        LookbackPolicy(by_source={"patrol": rounds})


def test_policy_refuses_a_naive_closure_time() -> None:
    with pytest.raises(InvalidInput, match="needs a time zone"):
        LookbackPolicy().plan(datetime(2022, 3, 15, 10, 0), "patrol", CN)
