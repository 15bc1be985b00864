"""Fixtures shared by every test package: a fresh database on each backend."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from geo.db import create_engine, normalise_url
from geo.migrate import upgrade
from inspections.audit_key import AuditKey, attach
from tests import templates
from web.database import VERSION_LOCATIONS, dispose_engines
from web.settings import Settings

BACKENDS = ["sqlite", "postgis"]
ALL_VERSIONS = VERSION_LOCATIONS  # every package's migrations, as the application runs them
TEST_AUDIT_KEY = AuditKey(bytes(range(32)))  # the audit key of the `engine` fixture's engines


@pytest.fixture(scope="session", autouse=True)
def _audit_key_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One audit key file for every command and app the session runs (unless a test names
    another), instead of one in the working directory."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LOOKBACK_AUDIT_KEY_FILE",
                     str(tmp_path_factory.mktemp("audit") / "audit.key"))
        yield


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashes() -> Iterator[None]:
    """Argon2 at a small cost for every account the tests make and every sign-in (about 2 ms
    instead of 140): no real password lives here. Commands and servers inherit it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LOOKBACK_ARGON2_MEMORY_KIB", "1024")
        patch.setenv("LOOKBACK_ARGON2_TIME_COST", "1")
        yield


@pytest.fixture(autouse=True)
def _audit_anchor_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test its own audit anchor file: anchors name one database's chain."""
    monkeypatch.setenv("LOOKBACK_AUDIT_ANCHOR_FILE", str(tmp_path / "audit.anchor"))


def postgis_base_url() -> str:
    """The PostGIS test database, or skip (fail under CI) when none is configured."""
    url = os.environ.get("LOOKBACK_TEST_DATABASE_URL")
    if url:
        return normalise_url(url)
    message = "PostGIS tests need LOOKBACK_TEST_DATABASE_URL (a database with postgis)"
    if os.environ.get("CI") == "true":
        pytest.fail(message + "; CI must set it")
    pytest.skip(message)


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str]:
    """A URL to an empty database: a SQLite file in `folder`, or a fresh schema in the
    PostGIS database (dropped afterwards)."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'lookback.db'}"
        yield url
        dispose_engines(url)
        return
    base = postgis_base_url()
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema},public"})
    rendered = url.render_as_string(hide_password=False)
    try:
        yield rendered
    finally:
        dispose_engines(rendered)
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database on each backend, for one test."""
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture(params=BACKENDS, scope="module")
def module_database_url(request: pytest.FixtureRequest,
                        tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A URL to an empty database on each backend, shared by a module's tests (for data
    that is slow to build and only read)."""
    with fresh_database(request.param, tmp_path_factory.mktemp("db")) as url:
        yield url


class Templates:
    """The template databases of this test process (see tests/templates.py), built when
    first asked for, by backend, kind and the LOOKBACK_ settings they were built under;
    dropped when the session ends."""

    def __init__(self, stack: ExitStack, tmp: pytest.TempPathFactory) -> None:
        self._stack, self._tmp, self._built = stack, tmp, {}

    def copy(self, kind: str, url: str, fill: Callable[[str, Path], None]) -> None:
        """Copy the template `kind` (built by `fill(url, anchor_file)` the first time) into
        the empty database at `url`; its anchors to the anchor file the settings name now
        (this test's)."""
        backend = make_url(url).get_backend_name()
        settings = tuple(sorted((k, v) for k, v in os.environ.items()
                                if k.startswith("LOOKBACK_") and k not in _PER_TEST))
        key = (backend, kind, settings)
        if key not in self._built:
            folder = self._tmp.mktemp(f"template-{kind}")
            built = self._stack.enter_context(fresh_database(
                "sqlite" if backend == "sqlite" else "postgis", folder))
            self._built[key] = templates.build(built, folder, fill)
        templates.copy(self._built[key], url, Settings().audit_anchor_path)


_PER_TEST = {"LOOKBACK_AUDIT_ANCHOR_FILE", "LOOKBACK_DATABASE_URL"}  # not a template's business


@pytest.fixture(scope="session")
def _templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    """The process's template databases."""
    with ExitStack() as stack:
        yield Templates(stack, tmp_path_factory)


def migrate_all(url: str, _anchor: Path) -> None:
    """Run every package's migrations on the database (builds the "migrated" template)."""
    eng = create_engine(url)
    attach(eng, TEST_AUDIT_KEY)
    upgrade(eng, ALL_VERSIONS)
    eng.dispose()


@pytest.fixture
def engine(database_url: str, _templates: Templates) -> Iterator[Engine]:
    """An engine on a fresh database with every package's schema: a copy of a database
    migrated once per process (the migration tests run theirs on `database_url`)."""
    _templates.copy("migrated", database_url, migrate_all)
    eng = create_engine(database_url)
    attach(eng, TEST_AUDIT_KEY)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def _scenarios(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """Scenarios played so far in this test process, by backend; their databases are
    dropped when the session ends. (`make test` runs with --dist loadscope: a module runs in
    one process, so each process plays a backend's scenario at most once.)"""
    with ExitStack() as stack:
        yield {"stack": stack, "tmp": tmp_path_factory}


@pytest.fixture(params=BACKENDS)
def played(request: pytest.FixtureRequest, _scenarios: dict):  # noqa: ANN201
    """The demo scenario played by `lookback demo` into a database of this backend (once
    per process; tests may add to it but must not undo what the scenario tests read)."""
    from tests.scenario import Played
    from tests.web.cli import json_lines, run

    backend = request.param
    if backend not in _scenarios:
        tmp: pytest.TempPathFactory = _scenarios["tmp"]
        url = _scenarios["stack"].enter_context(fresh_database(backend, tmp.mktemp("db")))
        data = tmp.mktemp("data")
        result = run(url, "demo", "--json", LOOKBACK_DATA_DIR=str(data))
        assert result.exit_code == 0, result.output
        lines = json_lines(result.stdout)
        now = lines[-1]["scenario"]["now"]
        _scenarios[backend] = Played({"url": url, "data": str(data), "now": now}, lines)
    return _scenarios[backend]
