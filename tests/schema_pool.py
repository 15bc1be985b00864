"""PostGIS template copies kept for the process's next test.

Running a template's definitions in a test's schema (tables, then indexes and constraints)
and dropping the schema afterwards is most of a PostGIS test's set-up and tear-down. So at a
test's end a schema that was a template's copy, its structure unchanged, gets its rows put
back to the template's and waits in this process's pool under a run-wide name (dropped with
the run's other shared schemas); the next copy of that template takes it by renaming it.

Only a template without functions is pooled: a function's body may name its schema; the
rest of a copy (defaults, indexes, constraints, triggers) refers to objects, not names, so
renaming the schema is safe.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from tests import shared_run

if TYPE_CHECKING:
    from tests.templates import PostgisScript

_free: dict[str, list[str]] = {}  # template schema -> its pooled copies
_copies: dict[str, PostgisScript] = {}  # test schema -> the template it is a copy of
_shapes: dict[str, str] = {}  # template schema -> its structure's fingerprint

# A schema's structure as names: relations (with their kind), columns (with type and
# nullability), constraints, triggers and functions. Equal for a template and an unchanged copy.
_SHAPE = sa.text("""
SELECT md5(coalesce(string_agg(item, ',' ORDER BY item), '')) FROM (
  SELECT 'r:' || c.relname || ':' || CAST(c.relkind AS text) AS item FROM pg_class c
   WHERE c.relnamespace = CAST(:s AS regnamespace)
  UNION ALL
  SELECT 'a:' || c.relname || '.' || a.attname || ':' || t.typname || ':'
         || CAST(a.attnotnull AS text)
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid
   WHERE c.relnamespace = CAST(:s AS regnamespace) AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT 'c:' || conname || ':' || CAST(contype AS text) FROM pg_constraint
   WHERE connamespace = CAST(:s AS regnamespace)
  UNION ALL
  SELECT 't:' || t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
   WHERE c.relnamespace = CAST(:s AS regnamespace) AND NOT t.tgisinternal
  UNION ALL
  SELECT 'f:' || proname FROM pg_proc WHERE pronamespace = CAST(:s AS regnamespace)
) AS shape""")


def take(script: PostgisScript, admin_url: str, target: str) -> bool:
    """Put a pooled copy of the template in place of the empty schema `target`; False when
    none waits (the caller copies the template in full, then calls `copied`)."""
    waiting = _free.get(script.schema)
    if not waiting:
        return False
    pooled = waiting.pop()
    engine = sa.create_engine(admin_url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {target}")
        conn.exec_driver_sql(f"ALTER SCHEMA {pooled} RENAME TO {target}")
    engine.dispose()
    copied(script, target)
    return True


def copied(script: PostgisScript, target: str) -> None:
    """Remember that the schema `target` is a copy of the template `script`."""
    _copies[target] = script


def give_back(admin_url: str, target: str) -> bool:
    """At its test's end, reset the schema `target` to its template's rows and pool it; False
    when it is no template's copy, or its structure changed, or it cannot be reset now (the
    caller drops it)."""
    script = _copies.pop(target, None)
    if script is None or not script.renamable:
        return False
    pooled = f"{shared_run.schema_prefix()}pool_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(admin_url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("SET LOCAL lock_timeout = '5s'")
            if _shape(conn, target) != _template_shape(conn, script.schema):
                return False
            _reset(conn, script, target)
            conn.exec_driver_sql(f"ALTER SCHEMA {target} RENAME TO {pooled}")
    except sa.exc.DBAPIError:
        return False
    finally:
        engine.dispose()
    _free.setdefault(script.schema, []).append(pooled)
    return True


def _shape(conn: sa.Connection, schema: str) -> str:
    return conn.execute(_SHAPE, {"s": schema}).scalar_one()


def _template_shape(conn: sa.Connection, schema: str) -> str:
    if schema not in _shapes:
        _shapes[schema] = _shape(conn, schema)
    return _shapes[schema]


def _reset(conn: sa.Connection, script: PostgisScript, target: str) -> None:
    """The template's rows and sequences in `target`, whatever its test did (foreign keys
    and triggers are not checked while the rows are swapped: both sides are consistent)."""
    source = script.schema
    conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
    conn.exec_driver_sql("; ".join(f'DELETE FROM {target}."{t}"' for t in script.tables))
    for table in script.filled:
        conn.exec_driver_sql(f'INSERT INTO {target}."{table}" SELECT * FROM {source}."{table}"')
    set_sequences(conn, script, target)


def set_sequences(conn: sa.Connection, script: PostgisScript, target: str) -> None:
    """Every sequence of `target` where the template's stands, in one statement."""
    if not script.sequences:
        return
    calls = ", ".join(
        f"setval('{target}.\"{seq}\"', (SELECT last_value FROM {script.schema}.\"{seq}\"), "
        f"(SELECT is_called FROM {script.schema}.\"{seq}\"))" for seq in script.sequences)
    conn.exec_driver_sql(f"SELECT {calls}")
