"""Runner B, for PostgreSQL: procrastinate on the same database carries the execution (any
number of `lookback worker` processes, on any machine, LISTEN for new jobs); the jobs table
stays what people see. One procrastinate task runs a job by id (claiming its row first, as
the local runner does); a periodic task submits the daily tick at 01:00 local time; a loop
beside the worker queues again the jobs whose worker died (their lease lapsed)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import procrastinate
from sqlalchemy.engine import make_url

from web.database import engine_for
from web.jobs import records
from web.jobs.attempt import run_claimed
from web.jobs.daily import TICK_KIND, clock_is_frozen, tick_key, tick_title, utc_cron
from web.jobs.local import claim_token
from web.jobs.pg_schema import ensure_procrastinate_schema
from web.settings import Settings

log = logging.getLogger("lookback.jobs")
RUN_TASK = "lookback.run_job"
TICK_TASK = "lookback.daily_tick"
TICK_PERIODIC_ID = "daily_tick"
QUEUE = "lookback"
_deferrers: dict[str, procrastinate.App] = {}
_lock = threading.Lock()


def conninfo(database_url: str) -> str:
    """The database URL as libpq reads it (no SQLAlchemy driver name)."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(
        hide_password=False)


def _deferrer(settings: Settings) -> procrastinate.App:
    """This process's synchronous procrastinate app on the database (opened once)."""
    url = conninfo(settings.database_url)
    with _lock:
        app = _deferrers.get(url)
        if app is None:
            ensure_procrastinate_schema(engine_for(settings))
            connector = procrastinate.SyncPsycopgConnector(conninfo=url, min_size=1,
                                                           max_size=2)
            app = _deferrers[url] = procrastinate.App(connector=connector).open()
        return app


def defer(settings: Settings, job_id: int, delay: float = 0.0) -> None:
    """Have a worker run job `job_id` (after `delay` seconds)."""
    options = {"schedule_in": {"seconds": delay}} if delay else {}
    _deferrer(settings).configure_task(RUN_TASK, queue=QUEUE, **options).defer(job_id=job_id)


def _claim_and_run(settings: Settings, job_id: int) -> float | None:
    """Claim the job and run it here; the delay before its retry, if it is to be retried."""
    token = claim_token()
    with engine_for(settings).begin() as conn:
        if not records.claim(conn, job_id, now=datetime.now(UTC), token=token,
                             lease=settings.job_lease_seconds):
            return None  # done, running elsewhere, or not due yet
    outcome = run_claimed(settings, job_id, token)
    log.info("job %s: %s", job_id, outcome.state)
    return outcome.delay if outcome.state == "retrying" else None


def _submit_tick(settings: Settings, day: date) -> None:
    from web.jobs.submit import submit

    if clock_is_frozen(engine_for(settings), settings):
        return
    submit(engine_for(settings), settings, kind=TICK_KIND, title=tick_title(day), params={},
           user_id=None, dedupe_key=tick_key(day))


def build_app(settings: Settings) -> procrastinate.App:
    """The worker's procrastinate app: the task that runs jobs and the daily tick."""
    tz = ZoneInfo(settings.timezone)
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(
        conninfo=conninfo(settings.database_url), min_size=1, max_size=4))

    @app.task(name=RUN_TASK, queue=QUEUE)
    async def run_job(job_id: int) -> None:
        delay = await asyncio.to_thread(_claim_and_run, settings, job_id)
        if delay is not None:
            await app.configure_task(RUN_TASK, queue=QUEUE, schedule_in={
                "seconds": delay}).defer_async(job_id=job_id)

    @app.periodic(cron=utc_cron(tz, datetime.now(tz).date()), periodic_id=TICK_PERIODIC_ID)
    @app.task(name=TICK_TASK, queue=QUEUE)
    async def daily_tick(timestamp: int) -> None:
        day = datetime.fromtimestamp(timestamp, tz).date()
        await asyncio.to_thread(_submit_tick, settings, day)

    return app


async def _recover(app: procrastinate.App, settings: Settings) -> None:
    """Every half lease: queue again the jobs whose worker's lease lapsed (a dead worker)."""
    engine = engine_for(settings)

    def lapsed() -> list[int]:
        with engine.begin() as conn:
            return records.release_lapsed(conn, now=datetime.now(UTC))

    while True:
        for job_id in await asyncio.to_thread(lapsed):
            log.warning("job %s: its worker stopped; queued again", job_id)
            await app.configure_task(RUN_TASK, queue=QUEUE).defer_async(job_id=job_id)
        await _close_orphans(app, settings)
        await asyncio.sleep(settings.job_lease_seconds / 2)


async def _close_orphans(app: procrastinate.App, settings: Settings) -> None:
    """Mark failed the procrastinate jobs a dead worker left "doing" (the jobs table's own
    row was queued again above), so procrastinate's tables tell the truth too."""
    stalled = await app.job_manager.get_stalled_jobs(
        queue=QUEUE, seconds_since_heartbeat=settings.job_lease_seconds)
    for orphan in stalled:
        await app.job_manager.finish_job(orphan, status=procrastinate.jobs.Status.FAILED,
                                         delete_job=False)


async def _work(settings: Settings, concurrency: int) -> None:
    await asyncio.to_thread(ensure_procrastinate_schema, engine_for(settings))
    app = build_app(settings)
    async with app.open_async():
        recovery = asyncio.create_task(_recover(app, settings))
        try:
            await app.run_worker_async(
                queues=[QUEUE], concurrency=concurrency,
                fetch_job_polling_interval=settings.job_poll_seconds,
                update_heartbeat_interval=settings.job_lease_seconds / 3,
                stalled_worker_timeout=settings.job_lease_seconds)
        finally:
            recovery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await recovery


def run_worker(settings: Settings, concurrency: int | None = None) -> None:
    """Run a procrastinate worker until it is stopped (SIGINT, SIGTERM)."""
    asyncio.run(_work(settings, concurrency or settings.job_workers))

