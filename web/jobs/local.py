"""Runner A, the embedded default: a loop that claims due jobs from the table and runs each
in a process of its own pool (CPU work never in the server's process, let alone its event
loop). `lookback serve` runs it in a thread beside the server; `lookback worker` runs it
alone. Any number of such loops, in any number of processes, may share one database: a
claim is one atomic UPDATE, and a crashed worker's job is taken again once its lease lapses."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime

from imagery.workers import init_worker
from web import forkserver
from web.database import engine_for
from web.jobs import records
from web.jobs.attempt import run_claimed
from web.jobs.daily import submit_due_tick
from web.settings import Settings

log = logging.getLogger("lookback.jobs")
# Jobs run below the server (its answers stay quick) and below the analysis of uploads a
# person waits for (web/services/ingest_pool.py, niceness 5): background work takes what the
# machine has left (at 10 an orthophoto's conversion still took a quarter of a core from
# the uploads' analysis), and all of it when nothing else runs.
NICENESS = 19
TASKS_PER_WORKER = 50  # then a fresh process
STOP_SECONDS = 30  # the runner's time to notice it must stop and give its jobs back


def claim_token() -> str:
    """A token naming this host and process, unique per claim."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


class LocalRunner:
    """Claims jobs and runs them in `settings.job_workers` worker processes."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = engine_for(settings)
        self.workers = settings.job_workers
        self.pool: ProcessPoolExecutor | None = None
        self.running: dict[Future, tuple[int, str]] = {}  # each job's id and claim token
        self.renewed = 0.0  # when the running jobs' leases were last renewed (monotonic)

    def _pool(self) -> ProcessPoolExecutor:
        if self.pool is None:
            self.pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=forkserver.context(), initializer=init_worker,
                initargs=(NICENESS, os.getpid()), max_tasks_per_child=TASKS_PER_WORKER)
            # Start the processes before a job is claimed: its lease should not lapse
            # while the fork server starts.
            for future in [self.pool.submit(os.getpid) for _ in range(self.workers)]:
                future.result()
        return self.pool

    def _claim(self) -> tuple[int, str] | None:
        token = claim_token()
        with self.engine.begin() as conn:
            job_id = records.claim_next(conn, now=datetime.now(UTC), token=token,
                                        lease=self.settings.job_lease_seconds)
        return None if job_id is None else (job_id, token)

    def _due(self) -> bool:
        with self.engine.connect() as conn:
            return records.any_due(conn, now=datetime.now(UTC))

    def fill(self) -> None:
        """Claim jobs while a worker is free, and start them (the pool is started when the
        first job is due: a server with nothing to do starts no processes)."""
        if len(self.running) >= self.workers or not self._due():
            return
        self._pool()
        while len(self.running) < self.workers and (claimed := self._claim()) is not None:
            job_id, token = claimed
            future = self._pool().submit(run_claimed, self.settings, job_id, token,
                                         heartbeat=False)
            self.running[future] = (job_id, token)

    def renew(self) -> None:
        """Extend the leases of the jobs this runner's processes run, every third of a lease.
        The runner vouches for them: a job's process runs at niceness 19 and, on a busy
        machine, may wait longer than a lease for its turn, but it lives until its future
        ends (a dead one breaks the pool and its job is collected: its lease then lapses)."""
        lease = self.settings.job_lease_seconds
        if not self.running or time.monotonic() - self.renewed < lease / 3:
            return
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            for job_id, token in self.running.values():
                records.renew(conn, job_id, token, now=now, lease=lease)
        self.renewed = time.monotonic()

    def _collect(self, done: set[Future]) -> None:
        for future in done:
            job_id, _ = self.running.pop(future)
            try:
                log.info("job %s: %s", job_id, future.result().state)
            except BrokenProcessPool:  # a worker died: its job's lease will lapse
                log.error("job %s: its worker process died", job_id)
                self._discard_pool()
            except Exception:
                log.exception("job %s: the runner could not run it", job_id)

    def _discard_pool(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None

    def close(self) -> None:
        """Stop the jobs still running (their processes ended, not waited for: a conversion
        can take minutes) and put them back in the queue, their attempt not counted, for
        the next runner to take at once."""
        if self.pool is not None:
            _end_workers(self.pool)
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            for job_id, token in self.running.values():
                records.give_back(conn, job_id, token, now=now)
        self.running.clear()
        self._discard_pool()

    def step(self, stop: threading.Event, timeout: float) -> None:
        """Claim what can run, then wait up to `timeout` for something to finish."""
        submit_due_tick(self.engine, self.settings)
        self.fill()
        self.renew()
        if self.running:
            done, _ = wait(self.running, timeout=min(timeout, self.settings.job_lease_seconds / 3),
                           return_when=FIRST_COMPLETED)
            self._collect(done)
        else:
            stop.wait(timeout)

    def run(self, stop: threading.Event) -> None:
        """Poll until `stop` is set (every job_poll_seconds while idle)."""
        poll = self.settings.job_poll_seconds
        try:
            while not stop.is_set():
                try:
                    self.step(stop, poll)
                except Exception:  # the database away for a moment: keep polling
                    log.exception("jobs: the runner's poll failed")
                    stop.wait(poll)
        finally:
            self.close()


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """End the pool's processes now (Python 3.14's terminate_workers; before it, each one)."""
    terminate = getattr(pool, "terminate_workers", None)
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


def start_in_thread(settings: Settings) -> Callable[[], None]:
    """Run a LocalRunner in a daemon thread of this process; call what it returns to stop
    it (its running jobs are stopped and queued again)."""
    stop = threading.Event()
    thread = threading.Thread(target=LocalRunner(settings).run, args=(stop,),
                              name="job-runner", daemon=True)
    thread.start()

    def stopped() -> None:
        stop.set()
        thread.join(STOP_SECONDS)

    return stopped
