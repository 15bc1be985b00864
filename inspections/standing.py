"""Where each feedback problem or petition stood at the end of a period (截至期末的整改进展):
closed, rectified, overdue, behind schedule or on schedule. The statistics count these and
the progress report lists the same cases with the same words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from inspections import progress
from inspections.as_of import cases_at
from inspections.cases import Case, get_cases
from inspections.clock import local_date

NOT_RECTIFIED = ("open", "rectifying")  # every later state means the fix was claimed


@dataclass(frozen=True)
class Standing:
    """A case as it stood at a moment, and how the figures judge it then."""

    case: Case  # as it stood: its state, deadline and measures done then
    closed: bool
    rectified: bool  # the fix claimed (整改完成), whether or not accepted or closed yet
    overdue: bool  # not closed and its deadline passed before the last day
    behind_schedule: bool  # not overdue, but its measures trail the time used (序时进度)

    @property
    def pace(self) -> str:
        """One word for the list: closed, overdue, behind_schedule or on_schedule."""
        if self.closed:
            return "closed"
        return "overdue" if self.overdue else (
            "behind_schedule" if self.behind_schedule else "on_schedule")


def _judge(case: Case, when: datetime, tz: ZoneInfo) -> Standing:
    closed = case.state == "closed"
    overdue = not closed and case.deadline < local_date(when, tz)
    behind = not overdue and progress.progress(case, when, tz=tz).behind_schedule
    return Standing(case=case, closed=closed, rectified=case.state not in NOT_RECTIFIED,
                    overdue=overdue, behind_schedule=behind)


def standings(conn: sa.Connection, case_ids: Sequence[int], when: datetime,
              tz: ZoneInfo) -> list[Standing]:
    """The cases with these ids as they stood at `when` (the days those of zone `tz`),
    by id."""
    return [_judge(c, when, tz) for c in cases_at(conn, get_cases(conn, case_ids), when)]
