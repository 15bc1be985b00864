"""`lookback serve` killed with -9 while its upload workers and its job pool live: the fork
server, the workers and multiprocessing's helper all exit too (nothing outlives the server);
stopped with SIGTERM while a job runs: it stops at once and queues the job again."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from geo.db import create_engine
from tests.imagery.images import jpeg
from tests.web.cli import run
from tests.web.client import CSRF_META
from tests.web.jobs_worker import FAST, REPO, job_settings, row_of, wait_until
from tests.web.serving import alive, descendants
from web.jobs import submit

LOOKBACK = Path(sys.executable).parent / "lookback"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _upload_one(base: str, photo: Path) -> int:
    with httpx.Client(base_url=base, timeout=60) as client:
        token = CSRF_META.search(client.get("/login").text).group(1)
        client.post("/login", data={"name": "officer", "password": "officer-demo-2022",
                                    "csrf_token": token, "next": "/"})
        token = CSRF_META.search(client.get("/login").text).group(1)
        with photo.open("rb") as f:
            return client.post("/api/photos", headers={"X-CSRF-Token": token},
                               files={"file": (photo.name, f, "image/jpeg")}).status_code


def _report_by_job(base: str) -> dict:
    """Ask for a report (a job the server's own pool runs); the job once it has finished."""
    with httpx.Client(base_url=base, timeout=60) as client:
        token = CSRF_META.search(client.get("/login").text).group(1)
        client.post("/login", data={"name": "leader", "password": "leader-demo-2022",
                                    "csrf_token": token, "next": "/"})
        token = CSRF_META.search(client.get("/login").text).group(1)
        assert client.post("/tasks/reports", data={"csrf_token": token, "report": "progress",
                                                   "year": "2022"}).status_code == 303
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            [job] = client.get("/api/jobs").json()
            if job["state"] in ("succeeded", "failed"):
                return job
            time.sleep(0.2)
    raise AssertionError(f"the report job did not finish: {job}")


def _wait_for(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if httpx.get(f"{base}/login", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")


def test_nothing_outlives_a_killed_server(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'lookback.db'}"
    env = {"LOOKBACK_DATABASE_URL": url, "LOOKBACK_DATA_DIR": str(tmp_path / "store")}
    assert run(url, "demo", "--no-scenario", "--json", **env).exit_code == 0
    port = _port()
    server = subprocess.Popen([str(LOOKBACK), "serve", "--port", str(port)],
                              env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    helpers: set[int] = set()
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base, server)
        assert _upload_one(base, jpeg(tmp_path / "a.jpg", seed=951)) == 200
        job = _report_by_job(base)  # `lookback serve` runs jobs in a pool of its own
        assert (job["state"], job["result_file"]) == ("succeeded", "progress-2022.docx")
        helpers = descendants(server.pid)
        assert len(helpers) >= 2  # the fork server and a worker, at least
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait()
    deadline = time.monotonic() + 10
    while alive(helpers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = alive(helpers)
    for pid in left:  # do not leave them running if the assertion fails
        os.kill(pid, signal.SIGKILL)
    assert left == set()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_stopped_server_gives_its_running_job_back(tmp_path: Path, workers: int) -> None:
    """SIGTERM while a job runs (one that would never end): the server stops without waiting
    for it, and the job is queued again, its attempt not counted, with no process left."""
    url = f"sqlite:///{tmp_path / 'lookback.db'}"
    settings = job_settings(url, tmp_path / "store")
    env = {**os.environ, "PYTHONPATH": str(REPO), "LOOKBACK_DATABASE_URL": url,
           "LOOKBACK_DATA_DIR": str(settings.data_dir),
           **{f"LOOKBACK_{k.upper()}": str(v) for k, v in FAST.items()}}
    assert run(url, "init").exit_code == 0
    port, log = _port(), tmp_path / "serve.log"
    with log.open("ab") as out:
        server = subprocess.Popen([sys.executable, "-m", "web.cli", "serve", "--port",
                                   str(port), "--workers", str(workers)],
                                  cwd=REPO, env=env, stdout=out, stderr=out)
    engine = create_engine(url)
    try:
        _wait_for(f"http://127.0.0.1:{port}", server)
        job = submit(engine, settings, kind="test_wait", title="等待",
                     params={"path": str(tmp_path / "never")}, user_id=None)
        wait_until(engine, job, lambda row: row["state"] == "running", log)
        helpers = descendants(server.pid)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        row = row_of(engine, job)
        assert (row["state"], row["attempts"], row["worker"]) == ("queued", 0, None)
        deadline = time.monotonic() + 10
        while alive(helpers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert alive(helpers) == set()
    finally:
        if server.poll() is None:
            server.kill()
        engine.dispose()
