"""Database engines for the two backends: SQLite (embedded) and PostgreSQL with PostGIS."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from geo.errors import UnknownDatabaseError

SQLITE_BUSY_TIMEOUT_MS = 10_000


def normalise_url(url: str) -> str:
    """Return the URL with the driver Lookback uses for its backend."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+pysqlite").render_as_string(hide_password=False)
    raise UnknownDatabaseError(
        f"database URL {parsed.render_as_string()}: backend {backend!r} is not supported; "
        "use sqlite:///path/to/file.db or postgresql://user@host/dbname"
    )


def create_engine(url: str, **kwargs: object) -> Engine:
    """Create an engine for a SQLite file or a PostGIS database, configured for Lookback."""
    url = normalise_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url, **kwargs)
    return sa.create_engine(url, pool_pre_ping=True, **kwargs)


def is_sqlite(bind: Engine | sa.Connection) -> bool:
    """Tell whether the engine or connection talks to SQLite."""
    return bind.dialect.name == "sqlite"


_WRITING = "lookback_writing"


class SqliteEngine(Engine):
    """An engine whose `begin()` opens a writing transaction (BEGIN IMMEDIATE) while
    `connect()` reads in a deferred one, so readers never wait for the write lock."""

    @contextlib.contextmanager
    def begin(self) -> Iterator[sa.Connection]:
        """A connection in a writing transaction, committed at the end (as Engine.begin)."""
        with self.connect() as conn:
            conn.info[_WRITING] = True  # read (and cleared) by the "begin" event below
            with conn.begin():
                yield conn


def _sqlite_engine(url: str, **kwargs: object) -> Engine:
    """SQLite with WAL, foreign keys, a busy timeout; `begin()` writes in BEGIN IMMEDIATE,
    reads through `connect()` take no lock (WAL lets them run beside a writer)."""
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
                              **kwargs)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # noqa: ANN001
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # A writer takes the lock up front so concurrent writers wait (busy timeout) instead
        # of failing mid-way when upgrading; a reader's deferred BEGIN takes no lock at all.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.pop(_WRITING, False) else "BEGIN")

    engine.__class__ = SqliteEngine  # same state, a `begin()` that marks the writer
    return engine
