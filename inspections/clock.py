"""The one clock all scheduling reads, so tests and the demo can set the time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol


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
