"""Fixtures shared by every test package: a fresh database on each backend."""

from __future__ import annotations

import os
import shutil
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
from inspections.audit_key import create as create_key
from tests import schema_pool, shared_run, templates
from web.database import VERSION_LOCATIONS, dispose_engines
from web.settings import Settings

BACKENDS = ["sqlite", "postgis"]
ALL_VERSIONS = VERSION_LOCATIONS  # every package's migrations, as the application runs them
TEST_AUDIT_KEY = AuditKey(bytes(range(32)))  # the audit key of the `engine` fixture's engines


def pytest_configure(config: pytest.Config) -> None:
    """Tag the run before any worker starts (they share what is built once under it)."""
    if not hasattr(config, "workerinput"):
        shared_run.start()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The controller removes what the run's processes shared."""
    if not hasattr(session.config, "workerinput"):
        url = os.environ.get("LOOKBACK_TEST_DATABASE_URL")
        shared_run.finish(normalise_url(url) if url else None)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest modules first: the browser tests, then the rest of the web package's
    (servers, commands), then the many short ones, which fill in at the end while the other
    worker finishes. A module's tests stay together. (pytest-xdist 3.8 reorders the modules by
their number of tests unless given --no-loadscope-reorder; with that flag the shared
`played` copies met their writers in another order, and test_desk counted one more
account: try it again once the tests that write to `played` are found.)"""
    def weight(item: pytest.Item) -> int:
        name = item.module.__name__ if item.module else ""
        return 0 if ".test_browser_" in name else 1 if name.startswith("tests.web.") else 2

    items.sort(key=weight)


@pytest.fixture(scope="session", autouse=True)
def _audit_key_file() -> Iterator[None]:
    """One audit key file for every command and app of the run, in every test process
    (unless a test names another), instead of one in the working directory: the template
    databases one process builds carry entries keyed by it."""
    path = shared_run.root() / "audit.key"
    with shared_run.locked("audit-key"):
        if not path.exists():
            create_key(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LOOKBACK_AUDIT_KEY_FILE", str(path))
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
    PostGIS database (dropped afterwards, or pooled if a template was copied into it)."""
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
    url = make_url(base).update_query_dict({"options": templates.search_path(schema)})
    rendered = url.render_as_string(hide_password=False)
    try:
        yield rendered
    finally:
        dispose_engines(rendered)
        if not schema_pool.give_back(templates.admin_url(base), schema):
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
    """The template databases of the run (see tests/templates.py), built when first asked
    for, by backend, kind and the LOOKBACK_ settings they were built under: by whichever
    test process asks first, for every process of the run (tests/shared_run.py)."""

    def __init__(self) -> None:
        self._built: dict[tuple, templates.Template] = {}

    def copy(self, kind: str, url: str,
             fill: Callable[[str, Path], None]) -> templates.Template:
        """Copy the template `kind` (built by `fill(url, anchor_file)` the first time) into
        the empty database at `url`; its anchors to the anchor file the settings name now
        (this test's). The template, whose folder holds what `fill` left beside the anchor."""
        backend = make_url(url).get_backend_name()
        settings = tuple(sorted((k, v) for k, v in os.environ.items()
                                if k.startswith("LOOKBACK_") and k not in _PER_TEST))
        key = (backend, kind, settings)
        if key not in self._built:
            base = None if backend == "sqlite" else postgis_base_url()
            self._built[key] = templates.shared(kind, repr(key), base, fill)
        templates.copy(self._built[key], url, Settings().audit_anchor_path)
        return self._built[key]


_PER_TEST = {"LOOKBACK_AUDIT_ANCHOR_FILE", "LOOKBACK_DATABASE_URL"}  # not a template's business


@pytest.fixture(scope="session")
def _templates() -> Templates:
    """The run's template databases, as this process has found or built them."""
    return Templates()


def migrate_all(url: str, _anchor: Path) -> None:
    """Run every package's migrations on the database (builds the "migrated" template)."""
    eng = create_engine(url)
    attach(eng, TEST_AUDIT_KEY)
    upgrade(eng, ALL_VERSIONS)
    eng.dispose()


@pytest.fixture
def migrated_url(database_url: str, _templates: Templates) -> str:
    """A fresh database with every package's schema and nothing in it: a copy of a
    database migrated once per run (what `lookback init` makes)."""
    _templates.copy("migrated", database_url, migrate_all)
    return database_url


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
    """Scenarios copied so far into this test process, by backend; their databases are
    dropped when the session ends. (`make test` runs with --dist loadscope: a module runs in
    one process, so each process copies a backend's scenario at most once.)"""
    with ExitStack() as stack:
        yield {"stack": stack, "tmp": tmp_path_factory}


@pytest.fixture(params=BACKENDS)
def played(request: pytest.FixtureRequest, _scenarios: dict,  # noqa: ANN201
           _templates: Templates):
    """The demo scenario played by `lookback demo` (once per run: a template) copied into a
    database of this backend with its files, once per process (tests may add to it but must
    not undo what the scenario tests read)."""
    from tests.scenario import OUTPUT, Played, play_scenario
    from tests.web.cli import json_lines

    backend = request.param
    if backend not in _scenarios:
        tmp: pytest.TempPathFactory = _scenarios["tmp"]
        url = _scenarios["stack"].enter_context(fresh_database(backend, tmp.mktemp("db")))
        built = _templates.copy("scenario", url, play_scenario).anchor.parent
        data = tmp.mktemp("data")
        shutil.copytree(built / "data", data, copy_function=os.link, dirs_exist_ok=True)
        lines = json_lines((built / OUTPUT).read_text(encoding="utf-8"))
        now = lines[-1]["scenario"]["now"]
        _scenarios[backend] = Played({"url": url, "data": str(data), "now": now}, lines)
    return _scenarios[backend]
