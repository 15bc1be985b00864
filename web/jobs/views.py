"""Jobs as the tasks page, its JSON and the frame's panel show them, within what the user
may see (web/jobs/access.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from web.accounts.schema import users
from web.accounts.users import User
from web.i18n import t
from web.i18n.catalog import MESSAGES
from web.jobs import records
from web.jobs.access import job_condition, may_see
from web.jobs.context import result_dir
from web.jobs.errors import JobNotFound
from web.jobs.schema import ACTIVE, jobs
from web.jobs.texts import error_text, step_text
from web.settings import Settings

LISTED = 100  # the newest jobs the page lists


@dataclass(frozen=True)
class JobView:
    """One job as a person reads it."""

    id: int
    kind: str
    kind_label: str
    title: str
    state: str
    percent: int | None
    done: int
    total: int | None
    step: str
    attempts: int
    error: str
    created_at: datetime
    run_after: datetime
    by: str | None
    result_file: str | None
    expired: bool = False  # its result file was removed after the days it is kept

    def as_json(self) -> dict[str, Any]:
        """For the API (times in ISO 8601)."""
        return {"id": self.id, "kind": self.kind, "title": self.title, "state": self.state,
                "percent": self.percent, "done": self.done, "total": self.total,
                "step": self.step, "attempts": self.attempts, "error": self.error or None,
                "created_at": self.created_at.isoformat(), "by": self.by,
                "result_file": self.result_file, "expired": self.expired}


def _view(row: sa.RowMapping, by: str | None, lang: str) -> JobView:
    total = row["progress_total"]
    percent = min(100, round(100 * row["progress_done"] / total)) if total else None
    result = row["result"] or {}
    key = f"jobs.kind.{row['kind']}"
    return JobView(row["id"], row["kind"], t(key, lang) if key in MESSAGES else row["kind"],
                   row["title"], row["state"], percent,
                   row["progress_done"], total, step_text(row["progress_label"], lang),
                   row["attempts"], error_text(row["error_code"], row["error_values"], lang),
                   row["created_at"], row["run_after"], by,
                   result.get("file") if row["state"] == "succeeded" and not result.get(
                       "expired") else None, bool(result.get("expired")))


def visible_jobs(engine: Engine, user: User, lang: str) -> list[JobView]:
    """The newest jobs the user may see."""
    with engine.connect() as conn:
        rows = records.listed(conn, job_condition(user), limit=LISTED)
        names = dict(conn.execute(sa.select(users.c.id, users.c.name).where(
            users.c.id.in_({r["user_id"] for r in rows if r["user_id"]}))).all())
    return [_view(r, names.get(r["user_id"]), lang) for r in rows]


def active_count(engine: Engine, user: User) -> int:
    """How many of the user's own jobs are not finished (the panel's number)."""
    with engine.connect() as conn:
        return records.count(conn, sa.and_(jobs.c.user_id == user.id,
                                           jobs.c.state.in_(ACTIVE)))


def visible_job(engine: Engine, user: User, job_id: int) -> sa.RowMapping:
    """A job the user may see; JobNotFound otherwise."""
    with engine.connect() as conn:
        row = records.get(conn, job_id)
    if row is None or not may_see(user, row):
        raise JobNotFound(job_id)
    return row


def result_file(settings: Settings, engine: Engine, user: User, job_id: int) -> Path:
    """The result file of a finished job the user may see; JobNotFound otherwise."""
    row = visible_job(engine, user, job_id)
    name = (row["result"] or {}).get("file") if row["state"] == "succeeded" else None
    path = result_dir(settings, job_id) / Path(str(name)).name if name else None
    if path is None or not path.is_file():
        raise JobNotFound(job_id)
    return path
