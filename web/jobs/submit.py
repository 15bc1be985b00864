"""Starting a job: record it in the jobs table, then hand it to the runner (procrastinate on
PostgreSQL; the local pool needs no telling, it polls the table). A plain blocking function:
from an async route, call it in a thread."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from web.jobs import kinds, records
from web.jobs.schema import jobs
from web.settings import Settings


def submit(engine: Engine, settings: Settings, *, kind: str, title: str,
           params: dict[str, Any], user_id: int | None,
           dedupe_key: str | None = None) -> int:
    """Queue a job of `kind` (registered in web/jobs/kinds.py) with its JSON `params`, shown
    to people as `title`; its id. With a `dedupe_key` already used, the existing job's id."""
    kinds.load_modules(settings.job_modules)
    kind_of = kinds.get(kind)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        if dedupe_key is not None and (known := conn.execute(
                sa.select(jobs.c.id).where(jobs.c.dedupe_key == dedupe_key)).scalar()):
            return known
        job_id = records.insert(conn, kind=kind, title=title, params=params, user_id=user_id,
                                max_attempts=kind_of.max_attempts, now=now,
                                dedupe_key=dedupe_key)
    if settings.uses_procrastinate:
        from web.jobs import queue  # procrastinate only where it is used

        queue.defer(settings, job_id)
    return job_id


def retry(engine: Engine, settings: Settings, job_id: int) -> bool:
    """Queue a failed job again (from the tasks page); whether it had failed."""
    with engine.begin() as conn:
        again = records.requeue_failed(conn, job_id, now=datetime.now(UTC))
    if again and settings.uses_procrastinate:
        from web.jobs import queue

        queue.defer(settings, job_id)
    return again
