"""Jobs on both backends with the worker in a real separate process (`python -m web.cli
worker`: the local pool's loop on SQLite, procrastinate on PostGIS): a job runs with its
progress; a job that raises is retried with backoff, then fails with an error a person reads;
a failed job queued again runs again; a worker killed with SIGKILL leaves its job to another
once the lease lapses. The module shares one database and one worker per backend."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy.engine import Engine

from geo.db import create_engine
from geo.migrate import upgrade
from imagery.schema import photos
from imagery.store import FileStore
from inspections.schema import received_files
from tests.conftest import ALL_VERSIONS
from tests.imagery.images import jpeg
from tests.imagery.rasters import write_geotiff
from tests.web.cli import run
from tests.web.client import CSRF_META, headers, sign_in
from tests.web.jobs_worker import Worker, job_settings, row_of, wait_until
from web.accounts.users import User, add_user, find_user
from web.app import create_app
from web.jobs import retry, submit
from web.jobs.daily import submit_due_tick
from web.jobs.ingest_job import inbox, submit_ingest
from web.jobs.pg_schema import ensure_procrastinate_schema
from web.jobs.received_job import submit_received
from web.jobs.texts import error_text
from web.services.received import Finished, record_finished
from web.services.uploads import Upload
from web.settings import Settings


@pytest.fixture(scope="module")
def world(module_database_url: str, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[tuple[Engine, Settings, Workers]]:
    """The database, the settings to submit with, and two running workers (started
    together; the crash test kills one)."""
    engine = create_engine(module_database_url)
    upgrade(engine, ALL_VERSIONS)
    folder = tmp_path_factory.mktemp("jobs")
    settings = job_settings(module_database_url, folder / "data")
    workers = Workers([Worker(settings, folder / "worker.log") for _ in range(2)])
    for worker in workers:
        worker.start()
    yield engine, settings, workers
    for worker in workers:
        worker.stop()
    engine.dispose()


class Workers(list):
    """The module's worker processes, with their shared log."""

    @property
    def log(self) -> Path:
        """The log both write to."""
        return self[0].log

    def holding(self, token: str) -> Worker:
        """The worker whose process made this claim (tokens are host:pid:...)."""
        pid = int(token.split(":")[1])
        return next(w for w in self if w.process is not None and w.process.pid == pid)


def _finished(row) -> bool:  # noqa: ANN001
    return row["state"] in ("succeeded", "failed")


def test_a_job_runs_with_its_progress(world) -> None:  # noqa: ANN001
    engine, settings, worker = world
    job = submit(engine, settings, kind="test_count", title="数到三", params={"n": 3},
                 user_id=None)
    row = wait_until(engine, job, _finished, worker.log)
    assert (row["state"], row["result"], row["attempts"]) == (
        "succeeded", {"n": 3, "niceness": 19}, 1)  # below the app's upload analysis (5)
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
    first = wait_until(engine, job, _finished, worker.log)
    assert retry(engine, settings, job)  # queued again, its attempts counted afresh
    assert row_of(engine, job)["state"] != "failed" or row_of(engine, job)["finished_at"] > \
        first["finished_at"]
    row = wait_until(engine, job, lambda r: r["state"] == "failed"
                     and r["finished_at"] > first["finished_at"], worker.log)
    assert (row["error_code"], row["attempts"]) == ("unexpected", 3)
    assert not retry(engine, settings, first["id"] + 1000)  # no such failed job


def test_a_killed_workers_job_is_taken_by_the_next_worker(world, tmp_path: Path  # noqa: ANN001
                                                          ) -> None:
    engine, settings, worker = world
    gate = tmp_path / "go"
    job = submit(engine, settings, kind="test_wait", title="等待", params={"path": str(gate)},
                 user_id=None)
    first = wait_until(engine, job, lambda r: r["progress_label"] == "等待", worker.log)
    worker.holding(first["worker"]).kill()  # mid-job: no clean-up at all
    assert row_of(engine, job)["state"] == "running"
    gate.touch()  # the other worker takes the job once the dead one's lease lapses
    row = wait_until(engine, job, _finished, worker.log)
    assert (row["state"], row["result"], row["attempts"]) == ("succeeded", {"attempt": 2}, 2)
    assert row["worker"] != first["worker"]
    if engine.dialect.name == "postgresql":  # procrastinate's own record of it is closed
        doing = "SELECT count(*) FROM procrastinate_jobs WHERE status = 'doing'"
        deadline = time.monotonic() + 20
        with engine.connect() as conn:
            while conn.exec_driver_sql(doing).scalar() and time.monotonic() < deadline:
                conn.rollback()
                time.sleep(0.1)
            assert conn.exec_driver_sql(doing).scalar() == 0



def test_an_orthophoto_is_ingested_by_a_job_and_a_bad_file_fails_at_once(  # noqa: ANN001
        world, tmp_path: Path) -> None:
    engine, settings, worker = world
    inspector = _user(engine, "inspector", "inspector")
    client = _client(settings, "inspector")
    with write_geotiff(tmp_path / "ortho.tif").open("rb") as ortho:
        sent = client.post("/api/photos", headers=headers(client),
                           files={"file": ("正射.tif", ortho, "image/tiff")})
    assert sent.status_code == 202, sent.text
    job = sent.json()["job_id"]
    assert sent.json() == {"status": "queued", "job_id": job, "file": "正射.tif"}
    row = wait_until(engine, job, _finished, worker.log, seconds=60)
    assert (row["state"], row["result"]["kind"], row["title"]) == (
        "succeeded", "orthophoto", "正射.tif")
    stored = FileStore(settings.data_dir)
    with engine.connect() as conn:
        sha = conn.execute(sa.select(photos.c.sha256).where(
            photos.c.id == row["result"]["photo_id"])).scalar_one()
    assert stored.path(sha, "cog.tif").is_file()
    assert list(inbox(settings).iterdir()) == []
    bad = tmp_path / "坏.tif"
    bad.write_bytes(b"not a tiff at all")
    job = submit_ingest(engine, settings, inspector, Upload("坏.tif", bad))
    row = wait_until(engine, job, _finished, worker.log)
    assert (row["state"], row["attempts"], row["error_code"]) == ("failed", 1, "rejected_file")
    assert error_text(row["error_code"], row["error_values"], "zh").startswith(
        "「坏.tif」未能入库：文件内容不是 JPEG、PNG、TIFF 或 HEIC/HEIF 图片")
    assert list(inbox(settings).iterdir()) == []


def test_a_file_received_by_resumable_upload_is_ingested_by_a_job(  # noqa: ANN001
        world, tmp_path: Path) -> None:
    engine, settings, worker = world
    inspector = _user(engine, "inspector", "inspector")
    item = Finished("tus-0001", jpeg(tmp_path / "tus-0001", seed=1301), inspector.id,
                    {"filename": "无人机 0001.jpg"})
    record_finished(engine, item, inspector)
    job = submit_received(engine, settings, item)
    row = wait_until(engine, job, _finished, worker.log, seconds=60)
    assert (row["state"], row["title"], row["result"]["status"]) == (
        "succeeded", "无人机 0001.jpg", "stored")
    with engine.connect() as conn:
        received = conn.execute(sa.select(received_files).where(
            received_files.c.uid == "tus-0001")).mappings().one()
    assert (received["state"], received["photo_id"]) == ("stored", row["result"]["photo_id"])
    assert not item.path.exists()

# --- the tasks page ------------------------------------------------------------------------

def _account(engine: Engine, name: str, role: str) -> int:
    return _user(engine, name, role).id


def _user(engine: Engine, name: str, role: str) -> User:
    with engine.begin() as conn:
        found = find_user(conn, name)
        if found is None:
            return add_user(conn, name=name, password=f"{name}-demo-2022", role=role,
                            now=datetime.now(UTC), agency="第三方" if role == "inspector"
                            else None)
        return found[0]


def _client(settings: Settings, name: str) -> TestClient:
    client = TestClient(create_app(settings), follow_redirects=False)
    assert sign_in(client, name).status_code == 303
    return client


def test_the_tasks_page_retries_a_failed_job_and_hands_over_a_report(world) -> None:  # noqa: ANN001
    engine, settings, worker = world
    leader = _account(engine, "leader", "leader")
    _account(engine, "inspector", "inspector")
    failed = submit(engine, settings, kind="test_fails", title="导出 F 盘",
                    params={"disk": "F:"}, user_id=leader)
    wait_until(engine, failed, _finished, worker.log)
    client = _client(settings, "leader")
    page = client.get("/tasks")
    assert "「导出 F 盘」处理出错（OSError: F:: no space left on device）" in page.text
    assert f'action="/tasks/{failed}/retry"' in page.text and "失败" in page.text
    assert client.post(f"/tasks/{failed}/retry").status_code == 403  # no CSRF token
    token = CSRF_META.search(page.text).group(1)
    assert client.post(f"/tasks/{failed}/retry", data={"csrf_token": token}).status_code == 303
    wait_until(engine, failed, lambda r: r["state"] == "failed" and r["attempts"] == 3,
               worker.log)  # tried three more times
    # A report as a job: started from the dashboard's form, downloaded from the page.
    got = client.post("/tasks/reports", data={"csrf_token": token, "report": "progress",
                                              "year": "2022"})
    assert (got.status_code, got.headers["location"]) == (303, "/tasks")
    report = max(j["id"] for j in client.get("/api/jobs").json())
    row = wait_until(engine, report, _finished, worker.log, seconds=60)
    assert row["result"] is not None, str(dict(row))
    assert (row["state"], row["result"]["file"]) == ("succeeded", "progress-2022.docx")
    download = client.get(f"/tasks/{report}/result")
    assert download.status_code == 200 and download.content[:2] == b"PK"
    assert f'href="/tasks/{report}/result"' in client.get("/tasks").text
    # A closure report of no such case fails at once, saying so; a bad request is refused.
    client.post("/tasks/reports", data={"csrf_token": token, "report": "closure",
                                        "reference": "ZG-2099-999"})
    missing = max(j["id"] for j in client.get("/api/jobs").json())
    row = wait_until(engine, missing, _finished, worker.log, seconds=60)
    assert (row["state"], row["attempts"], row["error_code"]) == ("failed", 1, "rejected")
    assert error_text(row["error_code"], row["error_values"], "zh").startswith(
        "「销号评估报告 ZG-2099-999」未能完成：")
    refused = client.post("/tasks/reports", data={"csrf_token": token, "report": "progress",
                                                  "year": "1999"})
    assert refused.status_code == 422 and "give progress with a year" in refused.text
    # Another user sees none of it: not the jobs, not the file, no retry.
    other = _client(settings, "inspector")
    assert {j["id"] for j in other.get("/api/jobs").json()} & {failed, report} == set()
    assert "导出 F 盘" not in other.get("/tasks").text
    assert other.get(f"/tasks/{report}/result").status_code == 404
    assert other.post(f"/tasks/{failed}/retry",
                      data={"csrf_token": CSRF_META.search(other.get("/tasks").text).group(1)}
                      ).status_code == 404
    assert other.post("/tasks/reports", data={"csrf_token": CSRF_META.search(
        other.get("/tasks").text).group(1), "report": "progress", "year": "2022"}
                      ).status_code == 403
    assert client.get("/api/jobs/active").json() == {"count": 0}
    states = {j["id"]: j["state"] for j in client.get("/api/jobs").json()}
    assert (states[report], states[missing]) == ("succeeded", "failed")
    queued = submit(engine, settings, kind="test_count", title="数到一", params={"n": 1},
                    user_id=leader)
    assert client.post(f"/tasks/{queued}/retry", data={"csrf_token": token}
                       ).status_code == 409  # only a failed job is tried again


def test_the_daily_tick_is_a_periodic_task_at_one_in_the_morning_local_time() -> None:
    from croniter import croniter

    from web.jobs.queue import TICK_PERIODIC_ID, TICK_TASK, build_app

    settings = Settings(database_url="postgresql://nobody@127.0.0.1/none",
                        timezone="Asia/Shanghai")
    [periodic] = build_app(settings).periodic_registry.periodic_tasks.values()
    assert (periodic.task.name, periodic.periodic_id) == (TICK_TASK, TICK_PERIODIC_ID)
    shanghai = ZoneInfo("Asia/Shanghai")
    after = datetime(2026, 6, 30, 15, 0, tzinfo=shanghai).timestamp()
    runs = croniter(periodic.cron, after).get_next(float)  # procrastinate reads cron in UTC
    assert datetime.fromtimestamp(runs, shanghai) == datetime(2026, 7, 1, 1, 0,
                                                              tzinfo=shanghai)


def test_the_local_runner_submits_the_days_tick_once_after_one(world) -> None:  # noqa: ANN001
    engine, settings, worker = world
    shanghai = ZoneInfo("Asia/Shanghai")
    before = datetime(2030, 1, 2 + ("postgresql" in settings.database_url), 0, 59,
                      tzinfo=shanghai)
    assert submit_due_tick(engine, settings, before) is None
    job = submit_due_tick(engine, settings, before + timedelta(minutes=1))
    assert job is not None and submit_due_tick(engine, settings, before + timedelta(hours=5)) \
        is None
    row = row_of(engine, job)
    assert (row["kind"], row["dedupe_key"], row["user_id"]) == (
        "daily_tick", f"daily_tick:{before.date().isoformat()}", None)


def test_procrastinate_is_refused_on_sqlite_by_name() -> None:
    with pytest.raises(ValidationError, match="procrastinate needs PostgreSQL"):
        Settings(database_url="sqlite:///x.db", job_runner="procrastinate")
    assert not Settings(database_url="sqlite:///x.db").uses_procrastinate
    assert Settings(database_url="postgresql://h/db").uses_procrastinate
    assert not Settings(database_url="postgresql://h/db", job_runner="local").uses_procrastinate


def test_init_gives_postgresql_procrastinates_schema_once(database_url: str) -> None:
    assert run(database_url, "init", "--json").exit_code == 0
    engine = create_engine(database_url)
    with engine.connect() as conn:
        present = engine.dialect.name == "sqlite" or conn.exec_driver_sql(
            "SELECT to_regclass('procrastinate_jobs')").scalar() is not None
    assert present and not ensure_procrastinate_schema(engine)  # there already: kept
    assert run(database_url, "init", "--json").exit_code == 0  # again: nothing to do
    engine.dispose()
