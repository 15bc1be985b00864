"""Settings a database keeps about itself, by name (e.g. a demo database's frozen clock)."""

from __future__ import annotations

import sqlalchemy as sa

from geo.schema import metadata

database_settings = sa.Table(
    "database_settings", metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)


def read_setting(conn: sa.Connection, name: str) -> str | None:
    """The value stored under `name`, or None (also for a database not yet initialised)."""
    if not sa.inspect(conn).has_table(database_settings.name):
        return None
    return conn.execute(sa.select(database_settings.c.value)
                        .where(database_settings.c.name == name)).scalar()


def write_setting(conn: sa.Connection, name: str, value: str) -> None:
    """Store `value` under `name`, replacing what was there."""
    conn.execute(sa.delete(database_settings).where(database_settings.c.name == name))
    conn.execute(sa.insert(database_settings).values(name=name, value=value))
