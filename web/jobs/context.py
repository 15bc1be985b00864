"""What a job's function is given besides its params: the settings, the database, the
job's own folder for a result file, and the progress reporter (which also renews the lease)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from web.jobs import records
from web.settings import Settings

PROGRESS_EVERY = 0.5  # seconds between progress writes (the last one always goes)


class LostLease(Exception):
    """This attempt no longer holds its job (its lease lapsed and another worker took it)."""


def result_dir(settings: Settings, job_id: int) -> Path:
    """The folder of a job's result files."""
    return settings.data_dir / "jobs" / str(job_id)


@dataclass
class JobRun:
    """One attempt at one job, as its function sees it."""

    settings: Settings
    engine: Engine
    job_id: int
    token: str
    user_id: int | None
    attempt: int
    _last: float = field(default=0.0, repr=False)

    def progress(self, done: int, total: int | None = None, label: str | None = None, *,
                 force: bool = False) -> None:
        """Say how far the work has got: `done` of `total` steps, and what it is doing now
        (a short label a person reads). Written at most every PROGRESS_EVERY seconds."""
        now = time.monotonic()
        if not force and now - self._last < PROGRESS_EVERY and done != total:
            return
        self._last = now
        with self.engine.begin() as conn:
            held = records.set_progress(conn, self.job_id, self.token, done=done, total=total,
                                        label=label, now=datetime.now(UTC),
                                        lease=self.settings.job_lease_seconds)
        if not held:
            raise LostLease(f"job {self.job_id}: taken over by another worker")

    def result_path(self, name: str) -> Path:
        """Where to write a result file called `name` (its folder made)."""
        folder = result_dir(self.settings, self.job_id)
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name
