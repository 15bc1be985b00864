"""Alembic environment: runs migrations on the engine handed over in the config.

On SQLite, foreign keys are off while migrations run: a batch operation rebuilds a table by
copying it and dropping the old one, and with them on, the drop would delete (ON DELETE
CASCADE) every row that refers to it. They are checked before the migrations commit."""

from alembic import context

engine = context.config.attributes["engine"]

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    driver = connection.connection.driver_connection
    if sqlite:  # before the transaction begins: inside one the pragma does nothing
        driver.execute("PRAGMA foreign_keys=OFF")
    try:
        with connection.begin():
            context.configure(connection=connection, render_as_batch=True)
            context.run_migrations()
            if sqlite and (broken := connection.exec_driver_sql(
                    "PRAGMA foreign_key_check").all()):
                raise RuntimeError(f"the migration left rows without their parent: {broken}")
    finally:
        if sqlite:
            driver.execute("PRAGMA foreign_keys=ON")
