"""What the test processes of one run share (under pytest-xdist, every worker; without it, the
one process): a tag naming the run, a folder for files built once, a lock to build them
under. The controller picks the tag before the workers start (they inherit it through the
environment) and removes the folder, and the PostGIS schemas named by the tag, at the end."""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

RUN_TAG = "TESTS_RUN_TAG"  # not LOOKBACK_: no setting of the application, nor of a template


def start() -> None:
    """Tag the run (the controller, or the only process), unless a parent run tagged it."""
    os.environ.setdefault(RUN_TAG, uuid.uuid4().hex[:10])


def tag() -> str:
    """This run's tag."""
    return os.environ[RUN_TAG]


def root() -> Path:
    """The run's shared folder."""
    folder = Path(tempfile.gettempdir()) / f"lookback-tests-{tag()}"
    folder.mkdir(exist_ok=True)
    return folder


@contextmanager
def locked(name: str) -> Iterator[None]:
    """Hold the run-wide lock `name` (one process at a time, across the workers)."""
    with (root() / f"{name}.lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def schema_prefix() -> str:
    """The prefix of the PostGIS schemas the run builds once and shares."""
    return f"tpl_{tag()}_"


def finish(postgis_url: str | None) -> None:
    """Remove the run's folder and its shared schemas (the controller, at the very end)."""
    shutil.rmtree(root(), ignore_errors=True)
    if not postgis_url:
        return
    engine = sa.create_engine(postgis_url, poolclass=NullPool)
    with engine.begin() as conn:
        names = conn.execute(sa.text("SELECT nspname FROM pg_namespace WHERE nspname LIKE :p"),
                             {"p": schema_prefix() + "%"}).scalars().all()
        for name in names:
            conn.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")
    engine.dispose()
