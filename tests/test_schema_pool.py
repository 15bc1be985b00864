"""The pool of PostGIS template copies (tests/schema_pool.py): a copy a test changed the rows
of comes back as the template was; a copy whose structure changed is dropped, not reused."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from tests import schema_pool, templates
from tests.conftest import migrate_all, postgis_base_url


@pytest.fixture
def base() -> Iterator[str]:
    """The PostGIS test database; the schemas a test makes here are dropped after it."""
    url = postgis_base_url()
    yield url
    engine = sa.create_engine(templates.admin_url(url), poolclass=NullPool)
    with engine.begin() as conn:
        for name in conn.execute(sa.text("SELECT nspname FROM pg_namespace "
                                         "WHERE nspname LIKE 'pooltest_%'")).scalars():
            conn.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")
    engine.dispose()


def _empty_schema(base: str) -> tuple[str, str]:
    schema = f"pooltest_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(templates.admin_url(base), poolclass=NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine.dispose()
    url = make_url(base).update_query_dict({"options": templates.search_path(schema)})
    return schema, url.render_as_string(hide_password=False)


def _rows(url: str) -> tuple[int, int]:
    engine = sa.create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        revisions = conn.exec_driver_sql("SELECT count(*) FROM layer_revisions").scalar_one()
        versions = conn.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar_one()
    engine.dispose()
    return revisions, versions


def _template(base: str) -> templates.Template:
    return templates.shared("migrated", "pool test", base, migrate_all)


def test_a_copy_given_back_comes_back_as_the_template_was(base: str) -> None:
    template = _template(base)
    first, url = _empty_schema(base)
    templates.copy(template, url, template.anchor.parent / "first.anchor")
    expected = _rows(url)
    engine = sa.create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM alembic_version")
        conn.exec_driver_sql("INSERT INTO layer_revisions SELECT * FROM layer_revisions "
                             "LIMIT 0")
    engine.dispose()
    assert _rows(url)[1] == 0
    assert schema_pool.give_back(templates.admin_url(base), first)

    second, again = _empty_schema(base)
    templates.copy(template, again, template.anchor.parent / "second.anchor")
    assert _rows(again) == expected  # the rows the first test removed are back
    schema_pool.give_back(templates.admin_url(base), second)


def test_a_copy_whose_structure_changed_is_not_reused(base: str) -> None:
    template = _template(base)
    schema, url = _empty_schema(base)
    templates.copy(template, url, template.anchor.parent / "changed.anchor")
    engine = sa.create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE layer_revisions ADD COLUMN extra integer")
    engine.dispose()
    assert not schema_pool.give_back(templates.admin_url(base), schema)


def test_a_schema_no_template_was_copied_into_is_not_pooled(base: str) -> None:
    schema, _url = _empty_schema(base)
    assert not schema_pool.give_back(templates.admin_url(base), schema)
