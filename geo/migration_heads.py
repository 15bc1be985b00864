"""Whether a database is at the newest migrations, told without loading alembic: the heads
written in the migration scripts against the revisions in the database's alembic_version
table. Commands check this each time they start; only when the two differ (or the scripts
cannot be read plainly) do they hand over to alembic (geo.migrate), which upgrades the
database or refuses it as before."""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

VERSION_TABLE = "alembic_version"  # alembic's default, which geo/migrations/env.py keeps


# `revision = "..."`, `down_revision: str | None = ...` or `depends_on = ...` starting a line.
_ASSIGNED = re.compile(r"^(revision|down_revision|depends_on)[ \t]*(?::[^=\n]*)?=[ \t]*(.*)$",
                       re.MULTILINE)


def _literal(text: str) -> object:
    """A value written on one line (a trailing comment dropped); ValueError when it is not
    a plain literal there."""
    try:
        return ast.literal_eval(text.split("#")[0].strip())
    except (ValueError, TypeError, SyntaxError) as exc:
        raise ValueError(text) from exc


def _ids(text: str | None) -> tuple[str, ...]:
    """Revision ids given as None, one string or a tuple/list of strings."""
    value = None if text is None else _literal(text)
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (tuple, list)) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ValueError(repr(value))


def _header(text: str) -> tuple[str, tuple[str, ...]]:
    """A script's revision and the revisions it comes after (down_revision and depends_on);
    ValueError unless each is given at most once (revision and down_revision exactly once)
    as a literal on its line: anything else is alembic's to read."""
    found = _ASSIGNED.findall(text)
    values = dict(found)
    if len(values) != len(found) or not {"revision", "down_revision"} <= values.keys():
        raise ValueError("revision and down_revision, once each")
    revision = _literal(values["revision"])
    if not isinstance(revision, str):
        raise ValueError(repr(revision))
    return revision, _ids(values["down_revision"]) + _ids(values.get("depends_on"))


def script_heads(version_locations: Sequence[Path]) -> set[str] | None:
    """The revisions the version table holds once every script has run, read from the
    scripts' text (the files alembic reads: every `*.py` but `__init__.py`) without running
    them: those no other script revises or depends on (alembic drops a revision from the
    table when one that depends on it is applied). None when a script does not give its
    revisions plainly, gives one twice, or names one that is not a script's: then alembic
    must be asked."""
    revisions: set[str] = set()
    before: set[str] = set()
    for folder in version_locations:
        for path in folder.glob("*.py"):
            if path.name == "__init__.py":
                continue
            try:
                revision, after = _header(path.read_text(encoding="utf-8"))
            except ValueError:
                return None
            if revision in revisions:
                return None  # given twice: alembic refuses that
            revisions.add(revision)
            before.update(after)
    return revisions - before if before <= revisions else None


def stored_revisions(engine: Engine) -> set[str]:
    """The revisions in the database's version table; empty for a database never
    initialised (as geo.migrate.current_revisions, without alembic)."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table(VERSION_TABLE):
            return set()
        return set(conn.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").scalars())


def is_current(engine: Engine, version_locations: Sequence[Path]) -> tuple[bool, set[str]]:
    """Whether the database is exactly at the scripts' heads, and the revisions it is at."""
    stored = stored_revisions(engine)
    heads = script_heads(version_locations)
    return bool(stored) and stored == heads, stored
