"""An existing database is upgraded in place: cases written before a migration survive it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from geo.db import create_engine
from geo.migrate import current_revisions, upgrade
from tests.conftest import ALL_VERSIONS


def test_0002_adds_the_inspection_and_keeps_the_cases(database_url: str) -> None:
    engine = create_engine(database_url)
    upgrade(engine, ALL_VERSIONS, target="inspections_0001")
    assert current_revisions(engine) == {"inspections_0001"}
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO cases (reference, source, title, description, responsible_unit, "
            "deadline, target, key_case, state, is_recurrence, opened_at) VALUES "
            "('DC-1', 'inspection_feedback', '填埋场', '', '东山镇', :deadline, '整改', "
            "false, 'open', false, :opened)"),
            {"deadline": date(2019, 12, 31), "opened": datetime(2018, 10, 1, tzinfo=UTC)})
    upgrade(engine, ALL_VERSIONS)
    assert current_revisions(engine) != {"inspections_0001"}  # upgraded past it
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT reference, title, inspection FROM cases")).all()
    assert [tuple(r) for r in rows] == [("DC-1", "填埋场", None)]
    engine.dispose()
