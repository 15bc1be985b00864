"""Engines, backends and migrations."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from shapely.geometry import Point

from geo import layers
from geo.db import create_engine, normalise_url
from geo.errors import UnknownDatabaseError
from geo.layers import Feature
from geo.migrate import current_revisions, upgrade
from tests.conftest import ALL_VERSIONS


def test_unsupported_backend_is_named() -> None:
    with pytest.raises(UnknownDatabaseError, match="backend 'mysql' is not supported"):
        normalise_url("mysql://root@localhost/lookback")


def test_drivers_are_chosen() -> None:
    assert normalise_url("postgresql://u@h/db").startswith("postgresql+psycopg://")
    assert normalise_url("sqlite:///x.db") == "sqlite+pysqlite:///x.db"


def test_sqlite_is_configured_for_safe_concurrent_use(tmp_path) -> None:  # noqa: ANN001
    engine = create_engine(f"sqlite:///{tmp_path / 'sub' / 'l.db'}")
    with engine.connect() as conn:
        pragma = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                  for name in ("journal_mode", "foreign_keys", "busy_timeout")}
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 10000}


def test_sqlite_readers_never_wait_for_a_writer(tmp_path) -> None:  # noqa: ANN001
    engine = create_engine(f"sqlite:///{tmp_path / 'l.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
    with engine.begin() as writer:  # holds the write lock until the block ends
        writer.exec_driver_sql("INSERT INTO t VALUES (2)")
        with engine.connect() as reader, engine.connect() as other:
            # Both read the last committed state while the writer is still open.
            assert reader.exec_driver_sql("SELECT count(*) FROM t").scalar() == 1
            assert other.exec_driver_sql("SELECT count(*) FROM t").scalar() == 1
    with engine.connect() as reader:
        assert reader.exec_driver_sql("SELECT count(*) FROM t").scalar() == 2


def test_sqlite_writers_queue_instead_of_failing(tmp_path) -> None:  # noqa: ANN001
    import threading

    engine = create_engine(f"sqlite:///{tmp_path / 'l.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")

    def write(n: int) -> None:
        with engine.begin() as conn:  # each reads then writes: only safe when IMMEDIATE
            count = conn.exec_driver_sql("SELECT count(*) FROM t").scalar()
            conn.exec_driver_sql(f"INSERT INTO t VALUES ({count + n})")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar() == 8


def test_init_twice_keeps_data_and_reports_revision(engine) -> None:  # noqa: ANN001
    assert current_revisions(engine) == {"accounts_0003", "geo_0002", "imagery_0002",
                                        "inspections_0014", "web_0002"}
    with engine.begin() as conn:
        layers.upsert(conn, layers.SITES, [Feature("E1", "企业", Point(121.4, 28.7),
                                                   kind="enterprise")],
                      now=datetime(2022, 1, 1, tzinfo=UTC))
    upgrade(engine, ALL_VERSIONS)
    with engine.connect() as conn:
        assert layers.count(conn, layers.SITES) == 1


def test_fresh_database_has_no_revision(tmp_path) -> None:  # noqa: ANN001
    assert current_revisions(create_engine(f"sqlite:///{tmp_path / 'new.db'}")) == set()


def test_kind_is_checked_by_the_database(engine) -> None:  # noqa: ANN001
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        layers.upsert(conn, layers.SITES, [Feature("X", "x", Point(121.4, 28.7), kind="dump")],
                      now=datetime(2022, 1, 1, tzinfo=UTC))


@pytest.mark.filterwarnings("ignore:Did not recognize type 'geometry'")
def test_migrations_build_exactly_the_schema_the_code_uses(engine) -> None:  # noqa: ANN001
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    import imagery.schema  # noqa: F401  (their tables join the shared metadata)
    import inspections.schema  # noqa: F401
    import web.accounts.schema  # noqa: F401
    import web.database_settings  # noqa: F401
    import web.services.notification_reads  # noqa: F401
    from geo.schema import metadata

    def ours(obj, name, type_, reflected, compare_to) -> bool:  # noqa: ANN001
        return type_ != "table" or name in metadata.tables

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": ours})
        diff = compare_metadata(context, metadata)
    assert [d for d in diff if d[0] not in ("add_index", "remove_index")] == []
