"""Result files (reports) of jobs finished long ago, removed by the daily tick: a file is
kept `LOOKBACK_JOB_RESULT_DAYS` days after its job finished, then its folder goes and the
job says so (the tasks page shows 已清理 instead of a link to nothing)."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from inspections.clock import to_utc
from web.jobs.context import result_dir
from web.jobs.schema import jobs
from web.settings import Settings

CHUNK = 500  # job ids asked about per query


def _folders(settings: Settings) -> list[int]:
    """The ids of the jobs that have a result folder."""
    root = settings.data_dir / "jobs"
    return sorted(int(p.name) for p in root.iterdir() if p.is_dir() and p.name.isdigit()) \
        if root.is_dir() else []


def purge_results(engine: Engine, settings: Settings, now: datetime) -> list[int]:
    """Remove the result folders of jobs that finished more than the kept days before `now`,
    and mark their results expired; the ids of the jobs whose files went."""
    cutoff = to_utc(now - timedelta(days=settings.job_result_days))
    held = _folders(settings)
    gone: list[int] = []
    for start in range(0, len(held), CHUNK):
        with engine.connect() as conn:
            old = conn.execute(sa.select(jobs.c.id, jobs.c.result).where(
                jobs.c.id.in_(held[start:start + CHUNK]), jobs.c.finished_at < cutoff)).all()
        for job_id, result in old:
            shutil.rmtree(result_dir(settings, job_id), ignore_errors=True)
            with engine.begin() as conn:
                conn.execute(sa.update(jobs).where(jobs.c.id == job_id)
                             .values(result={**(result or {}), "expired": True}))
            gone.append(job_id)
    return gone
