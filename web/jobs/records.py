"""The job records: insert, claim (atomically, so any number of processes may poll), report
progress and renew the lease, finish, retry later, fail; and read them back.

A claim gives the claimant a token (stored in `worker`); every later write of the attempt is
made only while the row still holds that token and is running, so a worker whose lease
lapsed (and whose job another worker took) can no longer overwrite it. Times are real time
(UTC), never the app's possibly frozen clock: leases and backoff must pass."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from web.jobs.schema import FAILED, QUEUED, RETRYING, RUNNING, SUCCEEDED, WAITING, jobs

LABEL_LENGTH = 200


def insert(conn: sa.Connection, *, kind: str, title: str, params: dict[str, Any],
           user_id: int | None, max_attempts: int, now: datetime,
           dedupe_key: str | None = None) -> int:
    """A new queued job; its id."""
    return conn.execute(sa.insert(jobs).values(
        kind=kind, title=title[:200], params=params, user_id=user_id, state=QUEUED,
        max_attempts=max_attempts, created_at=now, updated_at=now, run_after=now,
        dedupe_key=dedupe_key).returning(jobs.c.id)).scalar_one()


def _claimable(now: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(sa.and_(jobs.c.state.in_(WAITING), jobs.c.run_after <= now),
                  sa.and_(jobs.c.state == RUNNING, jobs.c.lease_until < now))


def _take(conn: sa.Connection, where: sa.ColumnElement[bool], *, now: datetime,
          lease: float, token: str) -> int | None:
    return conn.execute(sa.update(jobs).where(where, _claimable(now)).values(
        state=RUNNING, attempts=jobs.c.attempts + 1, worker=token, updated_at=now,
        started_at=now, lease_until=now + timedelta(seconds=lease), error_code=None,
        error_values=None).returning(jobs.c.id)).scalar()


def any_due(conn: sa.Connection, *, now: datetime) -> bool:
    """Whether some job could be claimed now (a read: no write lock taken)."""
    return conn.execute(sa.select(jobs.c.id).where(_claimable(now)).limit(1)).first() \
        is not None


def claim_next(conn: sa.Connection, *, now: datetime, lease: float, token: str) -> int | None:
    """Take the oldest job that is due (or whose worker's lease lapsed); its id, or None.
    One statement: on PostgreSQL the row is picked with SKIP LOCKED, on SQLite the writing
    transaction (BEGIN IMMEDIATE) already runs alone."""
    pick = (sa.select(jobs.c.id).where(_claimable(now))
            .order_by(jobs.c.run_after, jobs.c.id).limit(1))
    if conn.dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    return _take(conn, jobs.c.id == pick.scalar_subquery(), now=now, lease=lease, token=token)


def claim(conn: sa.Connection, job_id: int, *, now: datetime, lease: float,
          token: str) -> bool:
    """Take this job if it is due (or its worker's lease lapsed)."""
    return _take(conn, jobs.c.id == job_id, now=now, lease=lease, token=token) is not None


def _mine(job_id: int, token: str) -> sa.ColumnElement[bool]:
    return sa.and_(jobs.c.id == job_id, jobs.c.worker == token, jobs.c.state == RUNNING)


def renew(conn: sa.Connection, job_id: int, token: str, *, now: datetime,
          lease: float) -> bool:
    """Extend the lease of a job this attempt still holds; whether it does."""
    return conn.execute(sa.update(jobs).where(_mine(job_id, token)).values(
        lease_until=now + timedelta(seconds=lease))).rowcount == 1


def set_progress(conn: sa.Connection, job_id: int, token: str, *, done: int,
                 total: int | None, label: str | None, now: datetime, lease: float) -> bool:
    """Record how far the attempt has got (and renew its lease); whether it still holds it."""
    return conn.execute(sa.update(jobs).where(_mine(job_id, token)).values(
        progress_done=done, progress_total=total,
        progress_label=None if label is None else label[:LABEL_LENGTH], updated_at=now,
        lease_until=now + timedelta(seconds=lease))).rowcount == 1


def succeed(conn: sa.Connection, job_id: int, token: str, *, result: dict[str, Any] | None,
            now: datetime) -> bool:
    """The attempt finished its work."""
    return conn.execute(sa.update(jobs).where(_mine(job_id, token)).values(
        state=SUCCEEDED, result=result, finished_at=now, updated_at=now, lease_until=None,
        progress_done=sa.func.coalesce(jobs.c.progress_total, jobs.c.progress_done),
    )).rowcount == 1


def retry_later(conn: sa.Connection, job_id: int, token: str, *, at: datetime, code: str,
                values: dict[str, Any], now: datetime) -> bool:
    """The attempt failed; try again at `at` (the error is kept to show meanwhile)."""
    return conn.execute(sa.update(jobs).where(_mine(job_id, token)).values(
        state=RETRYING, run_after=at, error_code=code, error_values=values, updated_at=now,
        lease_until=None)).rowcount == 1


def fail(conn: sa.Connection, job_id: int, token: str, *, code: str,
         values: dict[str, Any], now: datetime) -> bool:
    """The job failed for good, with what went wrong."""
    return conn.execute(sa.update(jobs).where(_mine(job_id, token)).values(
        state=FAILED, error_code=code, error_values=values, finished_at=now, updated_at=now,
        lease_until=None)).rowcount == 1


def give_back(conn: sa.Connection, job_id: int, token: str, *, now: datetime) -> bool:
    """Queue again a job this attempt holds, its attempt not counted (the runner stopped:
    the job did not fail); whether it still held it."""
    return conn.execute(sa.update(jobs).where(_mine(job_id, token)).values(
        state=QUEUED, attempts=jobs.c.attempts - 1, run_after=now, updated_at=now,
        worker=None, lease_until=None)).rowcount == 1


def requeue_failed(conn: sa.Connection, job_id: int, *, now: datetime) -> bool:
    """Queue a failed job again, with its attempts counted afresh; whether it had failed."""
    return conn.execute(sa.update(jobs).where(jobs.c.id == job_id, jobs.c.state == FAILED)
                        .values(state=QUEUED, attempts=0, run_after=now, updated_at=now,
                                finished_at=None, progress_done=0, progress_label=None,
                                worker=None)).rowcount == 1


def release_lapsed(conn: sa.Connection, *, now: datetime) -> list[int]:
    """Queue again the running jobs whose worker's lease lapsed (a crashed worker); their
    ids (for a runner that must be told, as procrastinate must)."""
    return list(conn.execute(sa.update(jobs).where(
        jobs.c.state == RUNNING, jobs.c.lease_until < now).values(
        state=QUEUED, run_after=now, updated_at=now, worker=None).returning(jobs.c.id)
    ).scalars())


def get(conn: sa.Connection, job_id: int) -> sa.RowMapping | None:
    """One job's row, or None."""
    return conn.execute(sa.select(jobs).where(jobs.c.id == job_id)).mappings().first()


def listed(conn: sa.Connection, where: sa.ColumnElement[bool], *,
           limit: int = 100) -> Sequence[sa.RowMapping]:
    """Jobs matching `where`, newest first."""
    return conn.execute(sa.select(jobs).where(where).order_by(jobs.c.id.desc())
                        .limit(limit)).mappings().all()


def count(conn: sa.Connection, where: sa.ColumnElement[bool]) -> int:
    """How many jobs match `where`."""
    return conn.execute(sa.select(sa.func.count()).select_from(jobs).where(where)).scalar_one()


__all__ = ["FAILED", "QUEUED", "RETRYING", "RUNNING", "SUCCEEDED"]
