"""The clock the application runs on: the real time, or a frozen one from the settings."""

from __future__ import annotations

from datetime import UTC

from inspections.clock import Clock, FixedClock, SystemClock
from web.settings import Settings


def clock_for(settings: Settings) -> Clock:
    """SystemClock, unless LOOKBACK_NOW freezes the time (naive values are read as UTC)."""
    if settings.now is None:
        return SystemClock()
    now = settings.now if settings.now.tzinfo else settings.now.replace(tzinfo=UTC)
    return FixedClock(now)
