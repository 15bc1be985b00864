"""web.database.init_database, which every command runs: a database at the newest revisions
is left as it is (without alembic: tests/web/test_cli_startup.py), one behind is upgraded,
and one at a revision these scripts do not know is refused, as alembic always did."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.util import CommandError
from sqlalchemy.engine import Engine

from geo.db import create_engine
from geo.migrate import current_revisions, upgrade
from geo.migration_heads import script_heads
from web.database import VERSION_LOCATIONS, init_database


def test_a_current_database_is_left_as_it_is(engine: Engine) -> None:
    heads = script_heads(VERSION_LOCATIONS)
    assert init_database(engine) == (heads, heads)
    assert current_revisions(engine) == heads


def test_a_database_behind_is_upgraded(database_url: str) -> None:
    engine = create_engine(database_url)
    upgrade(engine, VERSION_LOCATIONS, target="inspections_0008")
    before, after = init_database(engine)
    assert before == {"inspections_0008"}
    assert after == current_revisions(engine) == script_heads(VERSION_LOCATIONS)
    assert sa.inspect(engine).has_table("flights")  # inspections_0009's table
    engine.dispose()


def test_a_database_at_an_unknown_revision_is_refused(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'web_0099' "
                             "WHERE version_num = 'web_0002'"))
    with pytest.raises(CommandError, match="web_0099"):
        init_database(engine)
