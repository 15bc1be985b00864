"""A `lookback worker` in a real separate process against a test database, for the jobs
tests: started, killed with SIGKILL, started again; and waiting for a job's state."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from web.jobs.schema import jobs
from web.settings import Settings

REPO = Path(__file__).resolve().parents[2]
FAST = {"job_poll_seconds": 0.1, "job_lease_seconds": 1.5, "job_retry_seconds": 0.2,
        "job_modules": "tests.web.job_kinds", "job_workers": 2}


def job_settings(database_url: str, data_dir: Path) -> Settings:
    """Settings of the test's own process for submitting jobs."""
    return Settings(database_url=database_url, data_dir=data_dir, **FAST)


class Worker:
    """`python -m web.cli worker` on the settings' database, in its own process group."""

    def __init__(self, settings: Settings, log: Path) -> None:
        self.settings, self.log = settings, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the worker process."""
        env = {**os.environ, "PYTHONPATH": str(REPO), "LOOKBACK_TIMEZONE": "Asia/Shanghai",
               "LOOKBACK_DATABASE_URL": self.settings.database_url,
               "LOOKBACK_DATA_DIR": str(self.settings.data_dir),
               **{f"LOOKBACK_{k.upper()}": str(v) for k, v in FAST.items()}}
        with self.log.open("ab") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "web.cli", "worker"],
                                            cwd=REPO, env=env, stdout=out, stderr=out,
                                            start_new_session=True)

    def kill(self) -> None:
        """SIGKILL the worker and every process it started (a crash, no clean-up)."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Stop it as a service manager would (SIGTERM), killing it if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()


def row_of(engine: Engine, job_id: int) -> sa.RowMapping:
    """A job's row as it is now."""
    with engine.connect() as conn:
        return conn.execute(sa.select(jobs).where(jobs.c.id == job_id)).mappings().one()


def wait_until(engine: Engine, job_id: int, done: Callable[[sa.RowMapping], bool],
               log: Path, seconds: float = 30) -> sa.RowMapping:
    """The job's row once `done` holds for it (AssertionError with the worker's log if it
    never does within `seconds`)."""
    deadline = time.monotonic() + seconds
    while True:
        row = row_of(engine, job_id)
        if done(row):
            return row
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} stuck at {dict(row)}\n"
                                 f"{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.05)
