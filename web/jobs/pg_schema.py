"""procrastinate's own tables and functions on PostgreSQL, created once per database (by
`lookback init`, a worker's start, or the first job handed to procrastinate), under an
advisory lock so processes starting together create them once. Read from the installed
package's schema.sql without importing procrastinate (`lookback init` stays light)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from sqlalchemy.engine import Engine

LOCK = "SELECT pg_advisory_xact_lock(hashtext('lookback.procrastinate_schema'))"


def schema_sql() -> str:
    """procrastinate's schema.sql, as the installed version ships it."""
    spec = importlib.util.find_spec("procrastinate")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("procrastinate is not installed (pip install procrastinate)")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return (folder / "sql" / "schema.sql").read_text(encoding="utf-8")


def ensure_procrastinate_schema(engine: Engine) -> bool:
    """Create procrastinate's schema in the database unless it is there (PostgreSQL only);
    whether it was created now."""
    if engine.dialect.name != "postgresql":
        return False
    with engine.begin() as conn:
        conn.exec_driver_sql(LOCK)
        if conn.exec_driver_sql("SELECT to_regclass('procrastinate_jobs')").scalar():
            return False
        with conn.connection.driver_connection.cursor() as cursor:
            cursor.execute(schema_sql())  # many statements, no parameters
    return True
