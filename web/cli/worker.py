"""`lookback worker`: run jobs (web/jobs) until stopped: a procrastinate worker on
PostgreSQL, the local worker pool's loop on SQLite (as `lookback serve` runs it)."""

from __future__ import annotations

import os
import signal
import sys
import threading
from typing import Annotated

import typer


def worker(
    concurrency: Annotated[int | None, typer.Option(
        help="Jobs at once (default LOOKBACK_JOB_WORKERS).", min=1)] = None,
) -> None:
    """Run background jobs (reports, orthophotos, the daily tick at 01:00) until stopped;
    start any number, on any machine that reaches the database."""
    if getattr(sys.modules["__main__"].__spec__, "name", None) is None:
        # As `lookback serve`: run as `python -m web.cli`, so worker processes started by
        # the fork server need not import the console script's main module.
        os.execv(sys.executable, [sys.executable, "-m", "web.cli", "worker",
                                  *sys.argv[2:]])
    from imagery.workers import lower_priority
    from web.database import engine_for, init_database
    from web.jobs.local import NICENESS
    from web.settings import Settings

    settings = Settings()
    if concurrency is not None:
        settings = settings.model_copy(update={"job_workers": concurrency})
    init_database(engine_for(settings))
    if settings.uses_procrastinate:
        from web.jobs.queue import run_worker

        # The jobs run in this process's threads: a worker beside app servers yields to
        # them, as their pools do.
        lower_priority(NICENESS)
        run_worker(settings)
        return
    # The local runner's job processes lower themselves (its pool's initializer); its own
    # loop, which renews their leases, keeps the normal priority.
    from web.jobs.local import LocalRunner

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    LocalRunner(settings).run(stop)
