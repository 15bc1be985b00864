"""The one clock all scheduling reads, so tests and the demo can set the time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    """Something that tells the time (always timezone-aware)."""

    def now(self) -> datetime:
        """The current time."""
        ...


class SystemClock:
    """The real time, in UTC."""

    def now(self) -> datetime:
        """The current time."""
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock that stands still until moved: for tests and scripted scenarios."""

    current: datetime

    def now(self) -> datetime:
        """The time it was set to."""
        return self.current

    def advance(self, **delta: float) -> datetime:
        """Move forward by timedelta(**delta); the new time."""
        self.current += timedelta(**delta)
        return self.current

    def set(self, when: datetime) -> None:
        """Jump to a time."""
        self.current = when


# The district's time zone: dates (deadlines, notice periods, windows) are dates there.
LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def local_date(when: datetime) -> date:
    """The calendar date in the district at an instant (naive values are read as UTC)."""
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    return aware.astimezone(LOCAL_TZ).date()


def aware(at: datetime | None) -> datetime | None:
    """A time read from the database made timezone-aware (SQLite gives naive UTC back)."""
    if at is None or at.tzinfo is not None:
        return at
    return at.replace(tzinfo=UTC)


def to_utc(at: datetime) -> datetime:
    """An aware time in UTC, the form every time is written and compared in (SQLite keeps
    no offset and compares times as text)."""
    return at.astimezone(UTC)
