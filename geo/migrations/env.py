"""Alembic environment: runs migrations on the engine handed over in the config."""

from alembic import context

engine = context.config.attributes["engine"]

with engine.begin() as connection:
    context.configure(connection=connection, render_as_batch=True)
    context.run_migrations()
