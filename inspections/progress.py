"""On-schedule progress (序时进度): measures done against the time elapsed to the deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from inspections.cases import Case
from inspections.clock import day_start, local_date

ACTIVE_STATES = ("open", "rectifying")
UNFINISHED_STATES = ("open", "rectifying", "rectified")
SLACK = 0.1  # how far the work may trail the calendar before it counts as behind


@dataclass(frozen=True)
class Progress:
    """Where a case stands against its deadline."""

    measures_done: int
    measures_total: int
    done_share: float
    time_share: float
    behind_schedule: bool
    overdue: bool


def _done_share(case: Case, done: int) -> float:
    if case.measures:
        return done / len(case.measures)
    return 0.0 if case.state in ACTIVE_STATES else 1.0


def _time_share(case: Case, now: datetime, tz: ZoneInfo) -> float:
    # The deadline day counts in full: the time runs out at midnight after it, in the district.
    end = day_start(case.deadline + timedelta(days=1), tz)
    total = (end - case.opened_at).total_seconds()
    if total <= 0:
        return 1.0
    return min(1.0, max(0.0, (now - case.opened_at).total_seconds() / total))


def progress(case: Case, now: datetime, *, tz: ZoneInfo) -> Progress:
    """The case's progress at `now` (timezone-aware), its days those of zone `tz`."""
    done = sum(1 for m in case.measures if m.done_at is not None)
    done_share = _done_share(case, done)
    time_share = _time_share(case, now, tz)
    return Progress(
        measures_done=done, measures_total=len(case.measures), done_share=done_share,
        time_share=time_share,
        behind_schedule=case.state in ACTIVE_STATES and done_share < time_share - SLACK,
        overdue=case.state in UNFINISHED_STATES and local_date(now, tz) > case.deadline)
