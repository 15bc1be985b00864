"""The database of a running Lookback: engine from settings, and every package's migrations."""

from __future__ import annotations

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


def engine_for(settings: Settings) -> Engine:
    """An engine on the configured database."""
    return create_engine(settings.database_url)


def init_database(engine: Engine) -> tuple[set[str], set[str]]:
    """Create or upgrade the schema, never dropping data; revisions before and after."""
    before = migrate.current_revisions(engine)
    migrate.upgrade(engine, VERSION_LOCATIONS)
    return before, migrate.current_revisions(engine)
