"""The local runner (`lookback worker` on SQLite, as in `lookback serve`) renews the leases of
the jobs its processes run. A job's process runs at niceness 19 and on a busy machine may wait
longer than a lease for its turn (here it is stopped outright with SIGSTOP): it keeps its job
all the same, and finishes it on its first attempt."""

from __future__ import annotations

import os
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

from geo.db import create_engine
from tests.web.cli import run
from tests.web.jobs_worker import Worker, job_settings, row_of, wait_until
from tests.web.serving import descendants
from web.jobs import records, submit


def test_a_job_process_without_a_turn_keeps_its_lease(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'lookback.db'}"
    assert run(url, "init").exit_code == 0
    settings = job_settings(url, tmp_path / "data")
    worker = Worker(settings, tmp_path / "worker.log")
    worker.start()
    engine = create_engine(url)
    try:
        gate = tmp_path / "go"
        job = submit(engine, settings, kind="test_wait", title="等待",
                     params={"path": str(gate)}, user_id=None)
        first = wait_until(engine, job, lambda r: r["progress_label"] == "等待", worker.log)
        assert worker.process is not None
        frozen = int(Path(f"{gate}.pid").read_text())  # the job's process, and it alone (a
        assert frozen in descendants(worker.process.pid)  # job of the runner's own, such as
        os.kill(frozen, signal.SIGSTOP)  # the daily tick, may hold the database's lock)
        try:
            time.sleep(3 * settings.job_lease_seconds)
            with engine.begin() as conn:  # what another runner's claim would release
                assert records.release_lapsed(conn, now=datetime.now(UTC)) == []
            row = row_of(engine, job)
            assert (row["state"], row["worker"]) == ("running", first["worker"])
        finally:
            os.kill(frozen, signal.SIGCONT)
        gate.touch()
        row = wait_until(engine, job, lambda r: r["state"] == "succeeded", worker.log)
        assert (row["result"], row["attempts"]) == ({"attempt": 1}, 1)
    finally:
        worker.stop()
        engine.dispose()
