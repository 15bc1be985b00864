"""Template databases: a database built once per test process (every migration run, or the demo
district loaded) and copied into each test's own empty database, instead of built again.

A copy is the template as it was built, table for table and row for row:
- SQLite: the template file (its WAL checkpointed into it first) copied over the test's file;
- PostGIS: the template schema's definitions, as `pg_dump --schema` prints them with the
  schema renamed, run in the test's schema, its rows copied in between the tables and their
  constraints, its sequences set to where the template's stand; or, much faster, a copy an
  earlier test of the process used and gave back, its rows reset (tests/schema_pool.py).
The audit anchors written while building travel with the copy (`anchor` below): a copied
chain verifies against its anchors as the built one does.
"""

from __future__ import annotations

import hashlib
import pickle
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from tests import schema_pool, shared_run
from web.database import dispose_engines


@dataclass(frozen=True)
class Template:
    """A built database, ready to copy; `anchor` is the audit anchor file it was built with."""

    url: str
    anchor: Path
    postgis: PostgisScript | None = None  # how to copy a PostGIS schema; None for SQLite


@dataclass(frozen=True)
class PostgisScript:
    """A template schema as SQL: its definitions before and after the rows, its tables (those
    with rows as `filled`) and sequences. `schema` is its name, replaced by the copy's in the
    definitions; `renamable` when a copy may be renamed (no function body names it)."""

    schema: str
    before: str
    after: str
    tables: tuple[str, ...]
    filled: tuple[str, ...]
    sequences: tuple[str, ...]

    @property
    def renamable(self) -> bool:
        """Whether nothing in a copy names its schema but the definitions themselves."""
        return "CREATE FUNCTION" not in self.before and "CREATE FUNCTION" not in self.after


FAST_COMMITS = "-csynchronous_commit=off"  # a test database need not survive a crash


def search_path(schema: str) -> str:
    """The libpq options of a test URL on the PostGIS schema `schema`: its search path, and
    commits that do not wait for the disk."""
    return f"-csearch_path={schema},public {FAST_COMMITS}"


def schema_of(url: str) -> str | None:
    """The schema a PostGIS test URL puts first on its search path (None for SQLite)."""
    options = make_url(url).query.get("options", "")
    prefix = "-csearch_path="
    return options[len(prefix):].split(",")[0] if options.startswith(prefix) else None


def admin_url(url: str) -> str:
    """The PostGIS URL without the test's search path (for statements naming schemas)."""
    return make_url(url).update_query_dict({"options": FAST_COMMITS}).render_as_string(
        hide_password=False)


def shared(kind: str, key: str, postgis_base: str | None,
           fill: Callable[[str, Path], None]) -> Template:
    """The run's template `kind` for `key` (its backend and settings): built by `fill` in
    the first process that asks, under the run's lock, into a SQLite file in the run's
    folder or a PostGIS schema named by the run's tag (None for `postgis_base`: SQLite);
    read back by the others. The run's end removes both (tests/shared_run.py)."""
    digest = hashlib.sha1(key.encode()).hexdigest()[:12]
    folder = shared_run.root() / f"template-{kind}-{digest}"
    ready = folder / "template.pickle"
    with shared_run.locked(folder.name):
        if ready.exists():
            return pickle.loads(ready.read_bytes())
        shutil.rmtree(folder, ignore_errors=True)  # what a failed build left
        folder.mkdir()
        url = f"sqlite:///{folder / 'lookback.db'}" if postgis_base is None else \
            _new_schema(postgis_base, shared_run.schema_prefix() + digest)
        template = build(url, folder, fill)
        ready.write_bytes(pickle.dumps(template))
        return template


def _new_schema(base: str, schema: str) -> str:
    engine = sa.create_engine(admin_url(base), poolclass=NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine.dispose()
    return make_url(base).update_query_dict({"options": search_path(schema)}).render_as_string(
        hide_password=False)


def build(url: str, folder: Path, fill: Callable[[str, Path], None]) -> Template:
    """Build a template in the empty database at `url`: `fill(url, anchor_file)` puts the
    content in; then the template is made ready to copy."""
    anchor = folder / "template.anchor"
    fill(url, anchor)
    dispose_engines(url)
    schema = schema_of(url)
    if schema is None:
        with sqlite3.connect(make_url(url).database) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        return Template(url, anchor)
    return Template(url, anchor, _postgis_script(url, schema))


def _postgis_script(url: str, schema: str) -> PostgisScript:
    libpq = make_url(admin_url(url)).set(drivername="postgresql").render_as_string(
        hide_password=False)

    def dump(section: str) -> str:
        text = subprocess.run(
            ["pg_dump", f"--dbname={libpq}", f"--schema={schema}", f"--section={section}",
             "--no-owner", "--no-privileges"],
            check=True, capture_output=True, text=True).stdout
        # psql's meta-commands (\restrict) and the schema itself (the copy's exists) go.
        return "\n".join(line for line in text.splitlines()
                         if not line.startswith("\\") and not line.startswith("CREATE SCHEMA"))

    engine = sa.create_engine(admin_url(url), poolclass=NullPool)
    with engine.connect() as conn:
        tables = conn.execute(sa.text("SELECT tablename FROM pg_tables WHERE schemaname = :s"),
                              {"s": schema}).scalars().all()
        sequences = conn.execute(
            sa.text("SELECT sequencename FROM pg_sequences WHERE schemaname = :s"),
            {"s": schema}).scalars().all()
        filled = [t for t in tables
                  if conn.exec_driver_sql(f'SELECT EXISTS (SELECT FROM {schema}."{t}")').scalar()]
    engine.dispose()
    return PostgisScript(schema, dump("pre-data"), dump("post-data"), tuple(tables),
                         tuple(filled), tuple(sequences))


def copy(template: Template, url: str, anchor: Path) -> None:
    """Copy the template into the empty database at `url`, and its anchors to the end of
    the anchor file `anchor`."""
    if template.anchor.exists():
        with anchor.open("ab") as fh:
            fh.write(template.anchor.read_bytes())
    if template.postgis is None:
        target = Path(make_url(url).database)
        if any(p.exists() and p.stat().st_size for p in (target, Path(f"{target}-wal"))):
            raise AssertionError(f"{target}: a template is copied into an empty database only")
        shutil.copyfile(make_url(template.url).database, target)
        return
    _copy_schema(template.postgis, url)


def _copy_schema(script: PostgisScript, url: str) -> None:
    source, target = script.schema, schema_of(url)
    if schema_pool.take(script, admin_url(url), target):
        return
    engine = sa.create_engine(admin_url(url), poolclass=NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql(script.before.replace(source, target))
        for table in script.filled:
            conn.exec_driver_sql(f'INSERT INTO {target}."{table}" SELECT * FROM {source}."{table}"')
        schema_pool.set_sequences(conn, script, target)
        conn.exec_driver_sql(script.after.replace(source, target))
    engine.dispose()
    schema_pool.copied(script, target)

