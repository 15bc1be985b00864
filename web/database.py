"""The database of a running Lookback: engine from settings, and every package's migrations."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy.engine import Engine

from geo import migrate
from geo.db import create_engine
from imagery import migrations as imagery_migrations
from inspections import migrations as inspections_migrations
from web.accounts import migrations as accounts_migrations
from web.settings import Settings

# Each package that owns tables adds its migrations folder here, in dependency order.
VERSION_LOCATIONS: tuple[Path, ...] = (migrate.GEO_VERSIONS, imagery_migrations.VERSIONS,
                                       inspections_migrations.VERSIONS,
                                       accounts_migrations.VERSIONS)


_ENGINES: dict[str, Engine] = {}
_LOCK = threading.Lock()


def engine_for(settings: Settings) -> Engine:
    """The process's one engine (and connection pool) on the configured database."""
    with _LOCK:
        engine = _ENGINES.get(settings.database_url)
        if engine is None:
            engine = _ENGINES[settings.database_url] = create_engine(settings.database_url)
        return engine


def dispose_engines(database_url: str | None = None) -> None:
    """Close the pooled connections of one database's engine (or of all of them)."""
    with _LOCK:
        urls = [database_url] if database_url is not None else list(_ENGINES)
        for url in urls:
            engine = _ENGINES.pop(url, None)
            if engine is not None:
                engine.dispose()


def init_database(engine: Engine) -> tuple[set[str], set[str]]:
    """Create or upgrade the schema, never dropping data; revisions before and after."""
    before = migrate.current_revisions(engine)
    migrate.upgrade(engine, VERSION_LOCATIONS)
    return before, migrate.current_revisions(engine)
