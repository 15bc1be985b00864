"""The clock the application runs on, from the settings and the database: the district's
zone (LOOKBACK_TIMEZONE) and the time (LOOKBACK_NOW, else a demo database's own frozen time,
else the real time). Every entry point (pages, API, uploads, CLI) takes its clock here."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from inspections.clock import Clock, FixedClock, SystemClock
from web.database import engine_for
from web.database_settings import read_setting, write_setting
from web.settings import Settings

DEMO_NOW = "demo_now"  # the database setting holding a demo database's frozen time
REAL_TIME = "real"  # LOOKBACK_NOW=real: the real time, even on a demo database
_said: set[str] = set()


def demo_time(engine: Engine) -> datetime | None:
    """The time a demo database is frozen at, or None (not a demo database)."""
    with engine.connect() as conn:
        value = read_setting(conn, DEMO_NOW)
    return datetime.fromisoformat(value) if value else None


def remember_demo_time(engine: Engine, when: datetime) -> None:
    """Freeze this database's clock at `when` (aware) for every later command and server."""
    with engine.begin() as conn:
        write_setting(conn, DEMO_NOW, when.isoformat())


def _say_once(message: str) -> None:
    """A short note on stderr, once per process (commands build their clock more than once)."""
    if message not in _said:
        _said.add(message)
        print(message, file=sys.stderr, flush=True)


def clock_for(settings: Settings, engine: Engine | None = None) -> Clock:
    """The clock in the district's zone: frozen at LOOKBACK_NOW (naive values read as UTC);
    else, on a demo database, at the demo's time (said once on stderr); else the real time,
    which LOOKBACK_NOW=real asks for even on a demo database."""
    tz = ZoneInfo(settings.timezone)
    if settings.now == REAL_TIME:
        return SystemClock(tz)
    if isinstance(settings.now, datetime):
        now = settings.now if settings.now.tzinfo else settings.now.replace(tzinfo=UTC)
        return FixedClock(now, tz)
    frozen = demo_time(engine or engine_for(settings))
    if frozen is None:
        return SystemClock(tz)
    _say_once(f"demo database: the clock is frozen at {frozen.isoformat()} "
              f"(LOOKBACK_NOW=real for the real time)")
    return FixedClock(frozen, tz)
