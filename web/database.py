"""The database of a running Lookback: engine from settings, and every package's migrations."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy.engine import Engine

from geo import migrate, migration_heads
from geo.db import create_engine
from imagery import migrations as imagery_migrations
from inspections import audit_key
from inspections import migrations as inspections_migrations
from web import migrations as web_migrations
from web.accounts import migrations as accounts_migrations
from web.settings import Settings

# Each package that owns tables adds its migrations folder here, in dependency order.
VERSION_LOCATIONS: tuple[Path, ...] = (migrate.GEO_VERSIONS, imagery_migrations.VERSIONS,
                                       inspections_migrations.VERSIONS,
                                       accounts_migrations.VERSIONS, web_migrations.VERSIONS)


_ENGINES: dict[tuple[str, Path], Engine] = {}  # by database URL and audit key file
_LOCK = threading.Lock()


def engine_for(settings: Settings) -> Engine:
    """The process's one engine (and connection pool) on the configured database; its
    connections carry the audit key (made first when there is none), see audit_key."""
    with _LOCK:
        cache_key = (settings.database_url, settings.audit_key_path)
        engine = _ENGINES.get(cache_key)
        if engine is None:
            key, _ = audit_key.load_or_create(settings.audit_key_path)
            engine = create_engine(settings.database_url)
            audit_key.attach(engine, key)
            _ENGINES[cache_key] = engine
        return engine


def dispose_engines(database_url: str | None = None) -> None:
    """Close the pooled connections of one database's engine (or of all of them)."""
    with _LOCK:
        for cache_key in [k for k in _ENGINES if database_url in (None, k[0])]:
            _ENGINES.pop(cache_key).dispose()


def init_database(engine: Engine) -> tuple[set[str], set[str]]:
    """Create or upgrade the schema, never dropping data; revisions before and after. A
    database already at the newest revisions is told so without alembic (which costs a
    light command more than the rest of its start-up)."""
    current, before = migration_heads.is_current(engine, VERSION_LOCATIONS)
    if current:
        return before, before
    migrate.upgrade(engine, VERSION_LOCATIONS)
    return before, migrate.current_revisions(engine)
