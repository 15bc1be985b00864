"""The one clock all scheduling reads, so tests and the demo can set the time, and the
district's time zone it reads dates in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

# The one default zone: LOOKBACK_TIMEZONE's default, the demo district's zone, and the zone of
# a clock a test builds without naming one. Everything else reads the zone of its clock.
DEFAULT_TIMEZONE = "Asia/Shanghai"
DEFAULT_TZ = ZoneInfo(DEFAULT_TIMEZONE)


class Clock(Protocol):
    """Something that tells the time (always timezone-aware) and the district's zone, in which
    dates (deadlines, notice periods, windows) are dates."""

    tz: ZoneInfo

    def now(self) -> datetime:
        """The current time."""
        ...

    def today(self) -> date:
        """The current date in the district."""
        ...


@dataclass
class SystemClock:
    """The real time, in UTC."""

    tz: ZoneInfo = field(default=DEFAULT_TZ)

    def now(self) -> datetime:
        """The current time."""
        return datetime.now(UTC)

    def today(self) -> date:
        """The current date in the district."""
        return local_date(self.now(), self.tz)


@dataclass
class FixedClock:
    """A clock that stands still until moved: for tests, scripted scenarios and demos."""

    current: datetime
    tz: ZoneInfo = field(default=DEFAULT_TZ)

    def now(self) -> datetime:
        """The time it was set to, in UTC whatever zone it was given in (SQLite keeps no
        offset: a local time written as it is would read back hours off)."""
        return to_utc(aware(self.current))

    def today(self) -> date:
        """The date in the district at the time it was set to."""
        return local_date(self.current, self.tz)

    def advance(self, **delta: float) -> datetime:
        """Move forward by timedelta(**delta); the new time."""
        self.current += timedelta(**delta)
        return self.current

    def set(self, when: datetime) -> None:
        """Jump to a time."""
        self.current = when


def local_date(when: datetime, tz: ZoneInfo) -> date:
    """The calendar date in zone `tz` at an instant (naive values are read as UTC)."""
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    return aware.astimezone(tz).date()


def day_start(day: date, tz: ZoneInfo) -> datetime:
    """The first instant of a date in zone `tz`."""
    return datetime.combine(day, time.min, tz)


def aware(at: datetime | None) -> datetime | None:
    """A time read from the database made timezone-aware (SQLite gives naive UTC back)."""
    if at is None or at.tzinfo is not None:
        return at
    return at.replace(tzinfo=UTC)


def to_utc(at: datetime) -> datetime:
    """An aware time in UTC, the form every time is written and compared in (SQLite keeps
    no offset and compares times as text)."""
    return at.astimezone(UTC)
