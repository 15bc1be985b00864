"""When look-back rounds (回头看) fall after a closure, and how long each window stays open."""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from inspections.errors import InvalidInput

DEFAULT_ROUNDS: tuple[tuple[int, int], ...] = ((1, 30), (3, 30), (6, 30), (12, 30))
END_OF_DAY = time(23, 59, 59)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clipped to the month's end (2022-01-31 + 1 -> 2022-02-28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class PlannedRound:
    """One round to schedule: its number, the day it falls on, and its window (local time)."""

    number: int
    day: date
    window_start: datetime
    window_end: datetime


def _check(rounds: Sequence[tuple[int, int]], name: str) -> tuple[tuple[int, int], ...]:
    checked = tuple((int(m), int(w)) for m, w in rounds)
    if not checked:
        raise InvalidInput(f"look-back policy {name}: needs at least one round")
    for months, window in checked:
        if months < 1 or window < 0:
            raise InvalidInput(f"look-back policy {name}: round ({months}, {window}) needs "
                               "months after closure of 1 or more and a window of 0 days or more")
    if [m for m, _ in checked] != sorted({m for m, _ in checked}):
        raise InvalidInput(f"look-back policy {name}: months after closure must increase")
    return checked


@dataclass(frozen=True)
class LookbackPolicy:
    """Rounds as (months after closure, window days), by default and per case source."""

    default: tuple[tuple[int, int], ...] = DEFAULT_ROUNDS
    by_source: Mapping[str, Sequence[tuple[int, int]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "default", _check(self.default, "default"))
        object.__setattr__(self, "by_source", {source: _check(rounds, f"for {source!r}")
                                               for source, rounds in self.by_source.items()})

    def rounds_for(self, source: str) -> tuple[tuple[int, int], ...]:
        """The (months after, window days) pairs that apply to a case source."""
        return tuple(self.by_source.get(source, self.default))

    def plan(self, closed_at: datetime, source: str, tz: ZoneInfo) -> list[PlannedRound]:
        """The rounds of a case closed at `closed_at`: each window from 00:00 on its day to
        23:59:59 on the day `window days` later, in the district's zone `tz`."""
        if closed_at.tzinfo is None:
            raise InvalidInput(f"closure time {closed_at.isoformat()}: needs a time zone")
        closed_on = closed_at.astimezone(tz).date()
        planned = []
        for number, (months, window) in enumerate(self.rounds_for(source), start=1):
            day = add_months(closed_on, months)
            start = datetime.combine(day, time(0), tz)
            end = datetime.combine(day + timedelta(days=window), END_OF_DAY, tz)
            planned.append(PlannedRound(number, day, start, end))
        return planned


DEFAULT_POLICY = LookbackPolicy()
