"""Migration imagery_0002 upgrades a database in place: photos, their links and the cases'
links to them survive the rebuild of the photos table (SQLite) and the spatial index still
drops deleted photos; afterwards the same bytes may be two uploaders' photos, not one's."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from geo.db import create_engine
from geo.migrate import upgrade
from tests.conftest import ALL_VERSIONS

NOW = datetime(2022, 6, 1, 4, 0, tzinfo=UTC)
SHA = "c" * 64
PHOTO = ("INSERT INTO photos (id, sha256, kind, media_type, original_name, size_bytes, "
         "original_stored, width, height, location_source, flags, similar_to, uploaded_by, "
         "uploaded_at) VALUES (:id, :sha, 'field', 'image/jpeg', 'a.jpg', 1, true, 1, 1, "
         "'none', '[]', '[]', :by, :at)")


def _before_0002(engine: sa.Engine) -> None:
    """Every package's schema as it was before imagery_0002, holding a photo of a case."""
    for head in ("geo@head", "imagery_0001", "inspections@head", "accounts@head"):
        upgrade(engine, ALL_VERSIONS, target=head)
    with engine.begin() as conn:
        conn.execute(sa.text(PHOTO), {"id": 7, "sha": SHA, "by": "wang", "at": NOW})
        conn.execute(sa.text(
            "INSERT INTO cases (id, reference, source, title, description, responsible_unit, "
            "deadline, target, key_case, state, is_recurrence, opened_at) VALUES (1, 'XC-1', "
            "'patrol', 't', '', 'u', :deadline, 'x', false, 'open', false, :at)"),
            {"deadline": date(2022, 7, 1), "at": NOW})
        conn.execute(sa.text("INSERT INTO case_photos (case_id, photo_id, purpose, linked_at, "
                             "linked_by) VALUES (1, 7, 'patrol', :at, 'wang')"), {"at": NOW})


def test_0002_keeps_photos_and_what_refers_to_them(database_url: str) -> None:
    engine = create_engine(database_url)
    _before_0002(engine)
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO photos_rtree VALUES (7, 1, 2, 1, 2)"))
    upgrade(engine, ALL_VERSIONS)
    with engine.begin() as conn:
        assert conn.execute(sa.text("SELECT photo_id FROM case_photos")).scalars().all() == [7]
        conn.execute(sa.text(PHOTO), {"id": 8, "sha": SHA, "by": "li", "at": NOW})
        with pytest.raises(sa.exc.IntegrityError), conn.begin_nested():
            conn.execute(sa.text(PHOTO), {"id": 9, "sha": SHA, "by": "li", "at": NOW})
        if sqlite:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            conn.execute(sa.text("DELETE FROM case_photos"))
            conn.execute(sa.text("DELETE FROM photos WHERE id = 7"))
            assert conn.execute(sa.text("SELECT count(*) FROM photos_rtree")).scalar() == 0
    engine.dispose()
