"""Schema migrations with alembic: create or upgrade a database, never drop it. Alembic is
imported by the functions that run it: the migrations import create_spatial_index, and every
command names the folders, but most find the database current (geo.migration_heads)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
GEO_VERSIONS = MIGRATIONS / "versions"


def _config(engine: Engine, version_locations: Sequence[Path]) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", os.pathsep.join(str(p) for p in version_locations))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, version_locations: Sequence[Path] = (GEO_VERSIONS,),
            target: str = "heads") -> None:
    """Bring the database to the newest revision of every package's migrations (or to
    `target`, a revision that tests of a later migration start from)."""
    from alembic import command

    command.upgrade(_config(engine, version_locations), target)


def current_revisions(engine: Engine) -> set[str]:
    """The revisions the database is at; empty for a database never initialised."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def create_spatial_index(op: Any, table: str, column: str = "geom",
                         rtree: str | None = None) -> None:
    """For migrations: an R*Tree beside the table in SQLite (the application keeps it in step;
    a trigger removes deleted rows), a GIST index in PostGIS."""
    if op.get_bind().dialect.name == "sqlite":
        name = rtree or f"{table}_rtree"
        op.execute(f"CREATE VIRTUAL TABLE {name} USING rtree(id, minx, maxx, miny, maxy)")
        op.execute(f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} "
                   f"BEGIN DELETE FROM {name} WHERE id = old.id; END")
    else:
        op.execute(f"CREATE INDEX ix_{table}_{column} ON {table} USING GIST ({column})")
