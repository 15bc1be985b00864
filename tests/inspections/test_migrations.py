"""An existing database is upgraded in place: cases written before a migration survive it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
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


def _insert_case(conn: sa.Connection, reference: str, state: str, geom: bool) -> None:
    point = "POINT(121.4 28.7)"
    value = ("ST_GeomFromText(:wkt, 4326)" if conn.dialect.name == "postgresql" else ":wkb")
    params: dict[str, object] = {"deadline": date(2021, 6, 30),
                                 "opened": datetime(2021, 2, 4, tzinfo=UTC), "ref": reference,
                                 "state": state, "wkt": point}
    if conn.dialect.name != "postgresql":
        from shapely import wkt

        params["wkb"] = wkt.loads(point).wkb
    conn.execute(sa.text(
        "INSERT INTO cases (reference, source, title, description, responsible_unit, "
        "deadline, target, key_case, state, is_recurrence, opened_at, notice_start, "
        f"notice_end, geom) VALUES (:ref, 'inspection_feedback', '填埋场', '', '东山镇', "
        ":deadline, '整改', false, :state, false, :opened, :deadline, :deadline, "
        f"{value if geom else 'NULL'})"), params)


def test_0010_adds_the_assessment_and_keeps_every_case(database_url: str) -> None:
    """Cases publicised or closed before the assessment was a step keep their state, with no
    assessment; an accepted case now awaits one; the new state and roles are accepted."""
    engine = create_engine(database_url)
    upgrade(engine, ALL_VERSIONS, target="inspections_0009")
    upgrade(engine, ALL_VERSIONS, target="accounts_0002")
    with engine.begin() as conn:
        for ref, state in (("DC-1", "accepted"), ("DC-2", "publicised"), ("DC-3", "closed")):
            _insert_case(conn, ref, state, geom=ref == "DC-3")
        if conn.dialect.name == "sqlite":  # the application keeps the R*Tree in step
            conn.execute(sa.text("INSERT INTO cases_rtree SELECT id, 121.4, 121.4, 28.7, "
                                 "28.7 FROM cases WHERE reference = 'DC-3'"))
        conn.execute(sa.text(
            "INSERT INTO users (name, password_hash, role, active, created_at) VALUES "
            "('li.ming', 'x', 'leader', true, :at)"), {"at": datetime(2021, 1, 1, tzinfo=UTC)})
    upgrade(engine, ALL_VERSIONS)
    assert {"inspections_0014", "accounts_0003"} <= current_revisions(engine)
    with engine.begin() as conn:
        rows = conn.execute(sa.text("SELECT reference, state FROM cases ORDER BY reference"))
        assert [tuple(r) for r in rows] == [("DC-1", "accepted"), ("DC-2", "publicised"),
                                            ("DC-3", "closed")]
        assert conn.execute(sa.text("SELECT count(*) FROM case_assessments")).scalar() == 0
        conn.execute(sa.text("UPDATE cases SET state = 'assessed' WHERE reference = 'DC-1'"))
        conn.execute(sa.text("UPDATE users SET role = 'assessor'"))
        assert conn.execute(sa.text("SELECT role FROM users")).scalar() == "assessor"
    with engine.begin() as conn, pytest.raises(sa.exc.IntegrityError):
        conn.execute(sa.text("UPDATE cases SET state = 'evaluated' WHERE reference = 'DC-2'"))
    if engine.dialect.name == "sqlite":  # the copied table kept the R*Tree's trigger
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM cases WHERE reference = 'DC-3'"))
            assert conn.execute(sa.text("SELECT count(*) FROM cases_rtree")).scalar() == 0
    engine.dispose()


def test_0012_adds_the_report_texts_and_keeps_the_cases(database_url: str) -> None:
    """A database at 0010 gets the report's paragraphs table (empty); its cases stay; the
    table takes one paragraph per period and part, a month only with a month number."""
    engine = create_engine(database_url)
    upgrade(engine, ALL_VERSIONS, target="inspections_0010")
    with engine.begin() as conn:
        _insert_case(conn, "DC-1", "rectifying", geom=False)
    upgrade(engine, ALL_VERSIONS)
    assert "report_texts" in sa.inspect(engine).get_table_names()
    row = {"kind": "month", "year": 2022, "month": 6, "part": "intro", "text": "导语",
           "at": datetime(2022, 7, 1, tzinfo=UTC)}
    insert = sa.text("INSERT INTO report_texts (kind, year, month, part, text, updated_at, "
                     "updated_by) VALUES (:kind, :year, :month, :part, :text, :at, 'admin')")
    with engine.begin() as conn:
        assert conn.execute(sa.text("SELECT reference FROM cases")).scalars().all() == ["DC-1"]
        assert conn.execute(sa.text("SELECT count(*) FROM report_texts")).scalar() == 0
        conn.execute(insert, row)
    for bad in ({"month": None}, {"kind": "year"}, {"kind": "week"}, {"month": 13}, {}):
        with engine.begin() as conn, pytest.raises(sa.exc.IntegrityError):
            conn.execute(insert, row | bad)  # {}: the same period and part again


def test_0013_adds_tasks_and_keeps_every_case(database_url: str) -> None:
    """Cases written before tasks existed belong to none and keep their state; a task takes
    them, deleting it frees them; the R*Tree's trigger survives the copied table."""
    engine = create_engine(database_url)
    upgrade(engine, ALL_VERSIONS, target="inspections_0010")
    with engine.begin() as conn:
        for ref, state in (("DC-1", "accepted"), ("DC-2", "closed")):
            _insert_case(conn, ref, state, geom=ref == "DC-2")
        if conn.dialect.name == "sqlite":
            conn.execute(sa.text("INSERT INTO cases_rtree SELECT id, 121.4, 121.4, 28.7, "
                                 "28.7 FROM cases WHERE reference = 'DC-2'"))
    upgrade(engine, ALL_VERSIONS)
    assert "inspections_0014" in current_revisions(engine)
    with engine.begin() as conn:
        rows = conn.execute(sa.text("SELECT reference, state, task_id, contact_phone FROM cases "
                                    "ORDER BY reference"))
        assert [tuple(r) for r in rows] == [("DC-1", "accepted", None, None),
                                            ("DC-2", "closed", None, None)]
        task = conn.execute(sa.text(
            "INSERT INTO rectification_tasks (title, inspection, serial, created_at, "
            "created_by) VALUES ('农村生活垃圾', '2018年“回头看”', '12', :at, 'li.ming') "
            "RETURNING id"), {"at": datetime(2021, 1, 1, tzinfo=UTC)}).scalar_one()
        conn.execute(sa.text("UPDATE cases SET task_id = :t"), {"t": task})
        conn.execute(sa.text("DELETE FROM rectification_tasks"))
        assert conn.execute(sa.text("SELECT count(*) FROM cases WHERE task_id IS NULL")
                            ).scalar() == 2
    with engine.begin() as conn, pytest.raises(sa.exc.IntegrityError):
        conn.execute(sa.text("UPDATE cases SET task_id = 999"))
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM cases WHERE reference = 'DC-2'"))
            assert conn.execute(sa.text("SELECT count(*) FROM cases_rtree")).scalar() == 0
    engine.dispose()
