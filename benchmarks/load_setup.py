"""What the load benchmark runs against: a fresh database on either backend, the file store
(a local folder or a SeaweedFS bucket), a `lookback serve` with N app processes and M
`lookback worker` processes, all started and stopped by the benchmark."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from benchmarks.live_server import LOOKBACK, server
from benchmarks.s3_server import store_settings
from geo.db import normalise_url
from web.settings import Settings


@dataclass(frozen=True)
class Setup:
    """One configuration to measure: app processes, job workers and extra settings."""

    label: str
    workers: int = 1  # `lookback serve --workers`
    job_workers: int = 0  # `lookback worker` processes beside the server
    env: dict[str, str] = field(default_factory=dict)


def check_supported(store: str, job_workers: int) -> None:
    """Stop with a clear message when this checkout lacks what the options ask for."""
    if store == "s3" and "store_url" not in Settings.model_fields:
        raise SystemExit("--store s3: this checkout's file store has no S3 support yet "
                         "(no LOOKBACK_STORE_URL setting)")
    if job_workers and find_spec("web.cli.worker") is None:
        raise SystemExit("--job-workers: this checkout has no `lookback worker` yet")


def code_of(revision: str, folder: Path) -> dict[str, str]:
    """The settings that run this repository's code as of `revision` (its tree extracted once
    under `folder`): PYTHONPATH put before the installed checkout."""
    tree = folder / f"code-{revision}"
    if not (tree / "web").is_dir():
        scratch(tree)
        repo = Path(__file__).resolve().parent.parent
        archive = subprocess.run(["git", "-C", str(repo), "archive", revision],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return {"PYTHONPATH": str(tree)}


def postgis_url() -> str:
    """The PostGIS database benchmarks may use (LOOKBACK_BENCH_POSTGIS_URL, else the tests')."""
    url = os.environ.get("LOOKBACK_BENCH_POSTGIS_URL") or os.environ.get(
        "LOOKBACK_TEST_DATABASE_URL")
    if not url:
        raise SystemExit("--backend postgis needs LOOKBACK_BENCH_POSTGIS_URL (a database "
                         "with the postgis extension)")
    return url


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str]:
    """An empty database: a SQLite file in `folder`, or a new schema in PostGIS (dropped
    afterwards)."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'lookback.db'}"
        return
    base = normalise_url(postgis_url())
    schema = f"bench_load_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield make_url(base).update_query_dict(
            {"options": f"-csearch_path={schema},public"}).render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def settings_env(url: str, folder: Path, s3_endpoint: str | None) -> dict[str, str]:
    """The settings of one measured set-up: its database, its store, no upload size limit.
    An object store starts empty, as the database does: a prefix of its own each time (in
    the same prefix, a later round found every photo stored already and uploaded none)."""
    env = {"LOOKBACK_DATABASE_URL": url, "LOOKBACK_DATA_DIR": str(folder / "data"),
           "LOOKBACK_MAX_UPLOAD_BYTES": str(8 * 1024**3), "LOOKBACK_NOW": "real"}
    if s3_endpoint:
        env |= store_settings(s3_endpoint, f"{folder.name}-{uuid.uuid4().hex[:12]}")
    return env


def load_demo(env: dict[str, str]) -> None:
    """The demo district's layers and accounts (`lookback demo --no-scenario`)."""
    subprocess.run([str(LOOKBACK), "demo", "--no-scenario", "--json"], check=True,
                   env={**os.environ, **env}, stdout=subprocess.DEVNULL)


@contextmanager
def running(setup: Setup, env: dict[str, str]) -> Iterator[tuple[str, int]]:
    """The server and the job workers of a set-up; the server's URL and process id."""
    with ExitStack() as stack:
        for _ in range(setup.job_workers):
            worker = subprocess.Popen([str(LOOKBACK), "worker"], env={**os.environ, **env},
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            stack.callback(worker.wait, 30)
            stack.callback(worker.terminate)
        yield stack.enter_context(server(env, workers=setup.workers))


def scratch(folder: Path) -> Path:
    """An empty folder (emptied if it was there)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder
