"""Fixtures for imagery tests: a database with the sample layers, and a file store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from imagery.ingest import IngestContext, IngestRequest, IngestResult, ingest
from imagery.store import FileStore
from inspections.clock import DEFAULT_TZ
from tests.geo import sample
from tests.s3 import s3_server  # noqa: F401 (the SeaweedFS server: one per test process)

NOW = datetime(2022, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def layered(engine: Engine) -> Engine:
    """The engine with the three sample grid cells, two enterprises and a landfill."""
    sample.load(engine)
    return engine


@pytest.fixture
def ctx(layered: Engine, tmp_path: Path) -> IngestContext:
    """An ingest context on the layered database with a fresh store, one worker."""
    return IngestContext(engine=layered, store=FileStore(tmp_path / "store"), now=NOW,
                         workers=1, local_tz=DEFAULT_TZ)


@pytest.fixture
def run_ingest(ctx: IngestContext):  # noqa: ANN201
    """Ingest requests (or paths) and return the results as a list."""
    def run(*items: Path | IngestRequest, **changes: object) -> list[IngestResult]:
        from dataclasses import replace

        requests = [i if isinstance(i, IngestRequest) else IngestRequest(i) for i in items]
        return list(ingest(replace(ctx, **changes), requests))

    return run


@pytest.fixture
def files(tmp_path: Path) -> Iterator[Path]:
    """A folder for the test's own image files."""
    folder = tmp_path / "in"
    folder.mkdir()
    yield folder

