"""Jobs on both backends with the worker in a real separate process (`python -m web.cli
worker`: the local pool's loop on SQLite, procrastinate on PostGIS): a job runs with its
progress; a job that raises is retried with backoff, then fails with an error a person reads;
a failed job queued again runs again; a worker killed with SIGKILL leaves its job to another
once the lease lapses. The module shares one database and one worker per backend."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from geo.db import create_engine
from geo.migrate import upgrade
from tests.conftest import ALL_VERSIONS
from tests.web.jobs_worker import Worker, job_settings, row_of, wait_until
from web.jobs import retry, submit
from web.jobs.texts import error_text
from web.settings import Settings


@pytest.fixture(scope="module")
def world(module_database_url: str, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[tuple[Engine, Settings, Worker]]:
    """The database, the settings to submit with, and a running worker."""
    engine = create_engine(module_database_url)
    upgrade(engine, ALL_VERSIONS)
    folder = tmp_path_factory.mktemp("jobs")
    settings = job_settings(module_database_url, folder / "data")
    worker = Worker(settings, folder / "worker.log")
    worker.start()
    yield engine, settings, worker
    worker.stop()
    engine.dispose()


def _finished(row) -> bool:  # noqa: ANN001
    return row["state"] in ("succeeded", "failed")


def test_a_job_runs_with_its_progress(world) -> None:  # noqa: ANN001
    engine, settings, worker = world
    job = submit(engine, settings, kind="test_count", title="数到三", params={"n": 3},
                 user_id=None)
    row = wait_until(engine, job, _finished, worker.log)
    assert (row["state"], row["result"], row["attempts"]) == ("succeeded", {"n": 3}, 1)
    assert (row["progress_done"], row["progress_total"], row["progress_label"]) == (
        3, 3, "第 3 步")
    assert row["error_code"] is None and row["finished_at"] >= row["started_at"]


def test_a_failing_job_is_retried_with_backoff_then_fails_readably(world) -> None:  # noqa: ANN001
    engine, settings, worker = world
    job = submit(engine, settings, kind="test_fails", title="导出 D 盘", params={"disk": "D:"},
                 user_id=None)
    retrying = wait_until(engine, job, lambda r: r["state"] == "retrying", worker.log)
    assert retrying["attempts"] == 1 and retrying["run_after"] > retrying["started_at"]
    row = wait_until(engine, job, _finished, worker.log)
    assert (row["state"], row["attempts"], row["error_code"]) == ("failed", 3, "unexpected")
    said = error_text(row["error_code"], row["error_values"], "zh")
    assert said == ("「导出 D 盘」处理出错（OSError: D:: no space left on device），已尝试 3 次。"
                    "可点“重试”；仍不成功请联系管理员查看日志。")
    assert "Traceback" not in said and "Traceback" in worker.log.read_text()
    # Backoff: the second try waited at least 0.2 s, the third at least 0.4 s more.
    assert row["finished_at"] - row["created_at"] >= timedelta(seconds=0.6)


def test_a_failed_job_queued_again_runs_again(world) -> None:  # noqa: ANN001
    engine, settings, worker = world
    job = submit(engine, settings, kind="test_fails", title="再来", params={"disk": "E:"},
                 user_id=None)
    wait_until(engine, job, _finished, worker.log)
    assert retry(engine, settings, job) and not retry(engine, settings, job)
    assert row_of(engine, job)["attempts"] == 0
    row = wait_until(engine, job, lambda r: r["state"] == "failed" and r["attempts"] == 3,
                     worker.log)
    assert row["error_code"] == "unexpected"


def test_a_killed_workers_job_is_taken_by_the_next_worker(world, tmp_path: Path  # noqa: ANN001
                                                          ) -> None:
    engine, settings, worker = world
    gate = tmp_path / "go"
    job = submit(engine, settings, kind="test_wait", title="等待", params={"path": str(gate)},
                 user_id=None)
    first = wait_until(engine, job, lambda r: r["progress_label"] == "等待", worker.log)
    worker.kill()  # mid-job: no clean-up at all
    assert row_of(engine, job)["state"] == "running"
    gate.touch()
    worker.start()  # a new worker: it takes the job once the dead one's lease lapses
    row = wait_until(engine, job, _finished, worker.log)
    assert (row["state"], row["result"], row["attempts"]) == ("succeeded", {"attempt": 2}, 2)
    assert row["worker"] != first["worker"]
