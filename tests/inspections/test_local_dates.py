"""Dates are the district's dates (Asia/Shanghai), whatever zone the clock reports in."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

from inspections import workflow
from inspections.cases import Case, get_case
from inspections.clock import DEFAULT_TZ, FixedClock, local_date
from inspections.progress import progress
from tests.inspections.builders import UNIT, new_case

CHINA = timezone(timedelta(hours=8))


def test_local_date_crosses_midnight_eight_hours_before_utc() -> None:
    assert local_date(datetime(2022, 4, 12, 15, 59, tzinfo=UTC), DEFAULT_TZ) == date(2022, 4, 12)
    assert local_date(datetime(2022, 4, 12, 16, 0, tzinfo=UTC), DEFAULT_TZ) == date(2022, 4, 13)
    assert local_date(datetime(2022, 4, 12, 16, 0), DEFAULT_TZ) == date(2022, 4, 13)  # naive: UTC
    assert local_date(datetime(2022, 4, 13, 0, 30, tzinfo=CHINA), DEFAULT_TZ) == date(2022, 4, 13)


def _case(deadline: date) -> Case:
    return Case(id=1, reference="DC-2022-01", source="inspection_feedback", batch=None,
                inspection=None,
                title="t", description="d", responsible_unit="u", leader=None,
                deadline=deadline, target="g", key_case=False, state="rectifying",
                is_recurrence=False, lon=None, lat=None, notice_start=None, notice_end=None,
                opened_at=datetime(2022, 1, 1, tzinfo=UTC), closed_at=None,
                lookback_agency=None, site_ids=(), measures=())


def test_overdue_from_the_first_minute_of_the_next_china_day() -> None:
    case = _case(date(2022, 6, 30))
    # 2022-06-30 23:59 in China is 15:59 UTC: still on time; a minute later it is July.
    assert not progress(case, datetime(2022, 6, 30, 15, 59, tzinfo=UTC), tz=DEFAULT_TZ).overdue
    assert progress(case, datetime(2022, 6, 30, 16, 0, tzinfo=UTC), tz=DEFAULT_TZ).overdue
    assert not progress(replace(case, state="closed"),
                        datetime(2022, 7, 30, tzinfo=UTC), tz=DEFAULT_TZ).overdue


def test_a_clock_set_in_china_time_stores_the_same_instant(engine) -> None:  # noqa: ANN001
    """A step timed by a clock set in the district's zone is stored and read back as the same
    instant on either backend (SQLite keeps no offset)."""
    at = datetime(2022, 12, 20, 10, 0, tzinfo=CHINA)
    clock = FixedClock(at)
    with engine.begin() as conn:
        case_id = new_case(conn, clock)
        workflow.start_rectification(conn, case_id=case_id, actor=UNIT, clock=clock)
        workflow.complete_measure(conn, case_id=case_id, actor=UNIT, clock=clock, position=1)
        stored = get_case(conn, case_id)
    assert clock.now() == at and clock.now().tzinfo == UTC
    assert stored.opened_at == at
    assert stored.measures[0].done_at == at
