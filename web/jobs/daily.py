"""The daily tick as a job, at 01:00 in the district's zone: the local runner submits the
day's tick once that hour has come (one job a day, whichever process is first); on
PostgreSQL it is a procrastinate periodic task with the same schedule."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from inspections.clock import SystemClock
from web.settings import Settings

TICK_AT = time(1, 0)  # local time
TICK_KIND = "daily_tick"
_submitted: set[tuple[str, str]] = set()  # (database, day key) this process submitted


def tick_key(day: date) -> str:
    """The dedupe key of a day's tick."""
    return f"{TICK_KIND}:{day.isoformat()}"


def tick_title(day: date) -> str:
    """The tick job's title (as the tasks page shows it to admins)."""
    return f"每日定时处理 {day.isoformat()}"


def clock_is_frozen(engine: Engine, settings: Settings) -> bool:
    """Whether the application's clock stands still (LOOKBACK_NOW, a demo database): then
    no time passes for the tick to act on, and a demo stays as it was played."""
    from web.clock import clock_for

    return not isinstance(clock_for(settings, engine), SystemClock)


def due_day(now: datetime, tz: ZoneInfo) -> date | None:
    """The local day whose tick is due at `now` (None before 01:00 local)."""
    local = now.astimezone(tz)
    return local.date() if local.time() >= TICK_AT else None


def submit_due_tick(engine: Engine, settings: Settings, now: datetime | None = None) -> int | None:
    """Submit today's tick once 01:00 local has passed (the table's unique key keeps it to
    one a day across processes); its job id, or None when none is due or it was done."""
    from web.jobs.submit import submit

    day = due_day(now or datetime.now(UTC), ZoneInfo(settings.timezone))
    if day is None or (settings.database_url, tick_key(day)) in _submitted:
        return None
    if clock_is_frozen(engine, settings):
        _submitted.add((settings.database_url, tick_key(day)))
        return None
    try:
        job_id = submit(engine, settings, kind=TICK_KIND, title=tick_title(day), params={},
                        user_id=None, dedupe_key=tick_key(day))
    except sa.exc.IntegrityError:  # another process submitted it at the same moment
        job_id = None
    _submitted.add((settings.database_url, tick_key(day)))
    return job_id


def utc_cron(tz: ZoneInfo, today: date) -> str:
    """A cron line (in UTC, as procrastinate reads cron) for 01:00 local, at the zone's
    offset of `today` (the district's zone, Asia/Shanghai by default, has no summer time)."""
    local = datetime.combine(today, TICK_AT, tz)
    at = local.astimezone(UTC)
    return f"{at.minute} {at.hour} * * *"

