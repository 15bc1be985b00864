"""geo.migration_heads: the revisions a database holds once every migration has run, read
from the scripts' text, agree with what alembic leaves in the version table; scripts it
cannot read plainly send the question back to alembic (None)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from geo.db import create_engine
from geo.migrate import current_revisions, upgrade
from geo.migration_heads import script_heads, stored_revisions
from tests.conftest import ALL_VERSIONS


def _script(folder: Path, name: str, header: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.py").write_text(f'"""{name}."""\n\n{header}\n\n\ndef upgrade() -> None:\n'
                                       "    pass\n", encoding="utf-8")


def test_the_application_s_heads_are_what_alembic_leaves_in_the_table(engine: Engine) -> None:
    assert script_heads(ALL_VERSIONS) == stored_revisions(engine) == current_revisions(engine)
    assert "web_0002" in script_heads(ALL_VERSIONS)


def test_a_database_never_initialised_holds_no_revision(database_url: str) -> None:
    engine = create_engine(database_url)
    assert stored_revisions(engine) == set()
    engine.dispose()


def test_a_revision_another_branch_depends_on_leaves_the_table(database_url: str,
                                                               tmp_path: Path) -> None:
    _script(tmp_path / "a", "a1", 'revision = "a1"\ndown_revision = None')
    _script(tmp_path / "a", "a2", 'revision = "a2"\ndown_revision = "a1"')
    _script(tmp_path / "b", "b1",
            'revision = "b1"\ndown_revision = None\ndepends_on = "a2"  # after a2')
    folders = [tmp_path / "a", tmp_path / "b"]
    engine = create_engine(database_url)
    upgrade(engine, folders)
    assert script_heads(folders) == stored_revisions(engine) == current_revisions(engine) \
        == {"b1"}
    engine.dispose()


def test_merges_annotations_comments_and_package_files_are_read(tmp_path: Path) -> None:
    _script(tmp_path, "m1", 'revision: str = "m1"\ndown_revision: str | None = None')
    _script(tmp_path, "m2", "revision = 'm2'  # a branch\ndown_revision = 'm1'")
    _script(tmp_path, "m3", 'revision = "m3"\ndown_revision = "m1"\ndepends_on = None')
    _script(tmp_path, "m4", 'revision = "m4"\ndown_revision = ("m2", "m3")\n'
                            'branch_labels = None\ndepends_on = ["m1"]')
    _script(tmp_path, "m5", 'revision = "m5"\ndown_revision = "m1"')
    (tmp_path / "__init__.py").write_text('revision = "not a script"\n', encoding="utf-8")
    assert script_heads([tmp_path]) == {"m4", "m5"}


@pytest.mark.parametrize("header", [
    'revision = "x" + "1"\ndown_revision = None',  # computed: only running it tells
    'revision = "x1"\ndown_revision = (\n    "x0",\n)',  # over several lines
    'revision = "x1"',  # no down_revision
    'revision = "x1"\nrevision = "x2"\ndown_revision = None',  # given twice
    'revision = 1\ndown_revision = None',  # not a string
    'revision = "x1"\ndown_revision = None\ndepends_on = "x0@head"',  # not a revision id
    'revision = "x1"\ndown_revision = "x0"',  # a revision no script gives
    'revision = "base"\ndown_revision = None',  # the same revision as the other script
])
def test_a_script_not_read_plainly_leaves_the_question_to_alembic(header: str,
                                                                  tmp_path: Path) -> None:
    _script(tmp_path, "base", 'revision = "base"\ndown_revision = None')
    _script(tmp_path, "x1", header)
    assert script_heads([tmp_path]) is None
