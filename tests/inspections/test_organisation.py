"""Organisation records (组织领导: 会议、批示、带队督查): recorded with their cases and audited,
listed with filters, refused with a Chinese message naming each bad field, counted by kind
for a period; who may record and read them; the migration that adds them keeps the rows
written before it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from shapely.geometry import Point
from sqlalchemy.engine import Engine

from geo import layers
from geo.db import create_engine
from geo.layers import Feature
from geo.migrate import current_revisions, upgrade
from inspections import audit
from inspections.actors import Actor
from inspections.clock import FixedClock
from inspections.errors import InvalidInput, NotAllowed, NotFound
from inspections.organisation import (
    count_organisation,
    get_organisation,
    list_organisation,
    may_read,
    may_record,
    record_organisation,
    references_of,
)
from tests.conftest import ALL_VERSIONS
from tests.inspections.builders import new_case

CLERK = Actor("区整改办", "admin")
CLOCK = FixedClock(datetime(2022, 9, 1, 2, 0, tzinfo=UTC))  # 10:00 on 1 September in China


def _record(conn: sa.Connection, **changes: object) -> int:
    values = {"actor": CLERK, "clock": CLOCK, "kind": "meeting", "held_on": date(2022, 8, 30),
              "leader": "区委书记", "subject": "研究部署督察反馈问题整改工作"} | changes
    return record_organisation(conn, **values)


def _cases(conn: sa.Connection) -> None:
    layers.upsert(conn, layers.SITES, [
        Feature("LF-001", "前岙垃圾填埋场", Point(121.40, 28.70), kind="landfill", town="东山镇"),
    ], now=CLOCK.now())
    site = conn.execute(sa.text("SELECT id FROM sites WHERE code = 'LF-001'")).scalar()
    new_case(conn, CLOCK, reference="DC-2022-01", site_ids=[site])
    new_case(conn, CLOCK, reference="DC-2022-02")


def test_a_record_is_stored_with_its_cases_and_audited(engine: Engine) -> None:
    with engine.begin() as conn:
        _cases(conn)
        record_id = _record(conn, kind="instruction", leader="  区长 ", note="要求月底前完成",
                            case_references=["DC-2022-02", "DC-2022-01", "DC-2022-02"])
    with engine.connect() as conn:
        record = get_organisation(conn, record_id)
        [entry] = audit.history(conn, "organisation", record_id)
    assert (record.kind, record.held_on, record.leader, record.subject, record.note) == (
        "instruction", date(2022, 8, 30), "区长", "研究部署督察反馈问题整改工作", "要求月底前完成")
    assert record.case_references == ("DC-2022-01", "DC-2022-02")
    assert (record.recorded_by, record.recorded_at) == ("区整改办", CLOCK.now())
    assert (entry["action"], entry["actor"], entry["data"]["kind"], len(entry["data"]["case_ids"])
            ) == ("organisation.record", "区整改办", "instruction", 2)


def test_listed_newest_first_and_filtered(engine: Engine) -> None:
    with engine.begin() as conn:
        _cases(conn)
        _record(conn, held_on=date(2022, 6, 1), subject="专题会议_一",
                case_references=["DC-2022-01"])
        _record(conn, kind="leader_check", held_on=date(2022, 7, 1), leader="区委副书记",
                subject="带队检查填埋场 100% 整改", case_references=["DC-2022-02"])
        _record(conn, kind="instruction", held_on=date(2022, 8, 1), leader="区长",
                subject="批示抓紧整改", note="限期销号")
    with engine.connect() as conn:
        assert [r.held_on.month for r in list_organisation(conn)] == [8, 7, 6]
        assert [r.held_on.month for r in list_organisation(conn, oldest_first=True)] == [6, 7, 8]
        assert [r.kind for r in list_organisation(conn, kind="leader_check")] == ["leader_check"]
        assert len(list_organisation(conn, start=date(2022, 6, 15), end=date(2022, 7, 31))) == 1
        assert [r.leader for r in list_organisation(conn, search="副书记")] == ["区委副书记"]
        assert [r.kind for r in list_organisation(conn, search="限期")] == ["instruction"]  # note
        assert [r.case_references for r in list_organisation(conn, search="DC-2022-02")] == [
            ("DC-2022-02",)]
        assert len(list_organisation(conn, search="_")) == 1  # a wildcard is a character
        assert len(list_organisation(conn, search="100%")) == 1
        assert [r.subject for r in list_organisation(conn, town="东山镇")] == ["专题会议_一"]
        assert list_organisation(conn)[0].case_references == ()


@pytest.mark.parametrize(("changes", "words"), [
    ({"kind": "party"}, "类别：「party」不是可选的类别（会议、批示、带队督查）"),
    ({"held_on": date(2022, 9, 2)}, "日期：不能晚于今天（2022年9月1日）"),
    ({"held_on": "2022-08-30"}, "日期：「2022-08-30」不是日期"),
    ({"leader": "  "}, "领导：不能为空"),
    ({"leader": "王" * 101}, "领导：超过100个字"),
    ({"subject": ""}, "事项：不能为空"),
    ({"subject": "事" * 201}, "事项：超过200个字"),
    ({"note": "注" * 4001}, "备注：超过4000个字"),
    ({"case_references": ["DC-404"]}, "关联案件：没有编号为 DC-404 的案件"),
    ({"case_references": [f"DC-{n}" for n in range(101)]}, "关联案件：最多关联100个案件"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
        engine: Engine, changes: dict, words: str) -> None:
    with pytest.raises(InvalidInput) as refused, engine.begin() as conn:
        _record(conn, **changes)
    assert words in str(refused.value)
    with engine.connect() as conn:
        assert list_organisation(conn) == []
        assert conn.execute(sa.text("SELECT count(*) FROM audit_log WHERE entity = "
                                    "'organisation'")).scalar() == 0


def test_every_bad_field_is_named_at_once(engine: Engine) -> None:
    with pytest.raises(InvalidInput) as refused, engine.begin() as conn:
        _record(conn, leader="", subject="", case_references=["DC-1", "DC-2"])
    assert str(refused.value) == ("会议记录：领导：不能为空；事项：不能为空；"
                                  "关联案件：没有编号为 DC-1 的案件；"
                                  "关联案件：没有编号为 DC-2 的案件")


@pytest.mark.parametrize("role", ["grid_officer", "inspector", "unit", "acceptor", "assessor"])
def test_only_admins_and_leaders_accounts_record(engine: Engine, role: str) -> None:
    actor = Actor("someone", role, unit="东山镇人民政府" if role == "unit" else None)
    with pytest.raises(NotAllowed, match=f"role '{role}' may not record"), \
            engine.begin() as conn:
        _record(conn, actor=actor)


def test_who_may_record_and_read() -> None:
    roles = ("grid_officer", "inspector", "unit", "leader", "admin", "acceptor", "assessor")
    assert [r for r in roles if may_record(r)] == ["leader", "admin"]
    assert [r for r in roles if may_read(r)] == ["leader", "admin"]


def test_counted_by_kind_within_the_period_both_days_included(engine: Engine) -> None:
    with engine.begin() as conn:
        for kind, day in (("meeting", date(2022, 5, 31)), ("meeting", date(2022, 6, 1)),
                          ("meeting", date(2022, 6, 30)), ("instruction", date(2022, 6, 15)),
                          ("leader_check", date(2022, 7, 1))):
            _record(conn, kind=kind, held_on=day)
    with engine.connect() as conn:
        assert count_organisation(conn, start=date(2022, 6, 1), end=date(2022, 6, 30)) == {
            "meeting": 2, "instruction": 1, "leader_check": 0}
        with pytest.raises(InvalidInput, match="start 2022-07-01 is after end 2022-06-30"):
            count_organisation(conn, start=date(2022, 7, 1), end=date(2022, 6, 30))


def test_references_are_split_as_people_type_them() -> None:
    assert references_of("DC-1、DC-2，DC-3; DC-4 DC-1") == ["DC-1", "DC-2", "DC-3", "DC-4"]
    assert references_of("") == [] and references_of(None) == []


def test_an_unknown_record_is_not_found(engine: Engine) -> None:
    with engine.connect() as conn, pytest.raises(NotFound, match="organisation record 42"):
        get_organisation(conn, 42)


def test_a_deleted_case_takes_its_links_with_it(engine: Engine) -> None:
    with engine.begin() as conn:
        _cases(conn)
        record_id = _record(conn, case_references=["DC-2022-01", "DC-2022-02"])
        conn.execute(sa.text("DELETE FROM cases WHERE reference = 'DC-2022-02'"))
    with engine.connect() as conn:
        assert get_organisation(conn, record_id).case_references == ("DC-2022-01",)


def test_0011_adds_organisation_records_and_keeps_the_rows(database_url: str) -> None:
    engine = create_engine(database_url)
    upgrade(engine, ALL_VERSIONS, target="inspections_0010")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO complaints (received_on, channel, summary) "
                             "VALUES (:day, 'letter', '来信反映异味')"), {"day": date(2021, 5, 6)})
    upgrade(engine, ALL_VERSIONS, target="inspections_0011")
    assert "inspections_0011" in current_revisions(engine)
    with engine.begin() as conn:
        assert conn.execute(sa.text("SELECT summary FROM complaints")).scalar() == "来信反映异味"
        assert conn.execute(sa.text("SELECT count(*) FROM organisation_records")).scalar() == 0
    with engine.begin() as conn, pytest.raises(sa.exc.IntegrityError):
        conn.execute(sa.text(
            "INSERT INTO organisation_records (kind, held_on, leader, subject, recorded_at, "
            "recorded_by) VALUES ('party', :day, '区长', '事项', :at, 'admin')"),
            {"day": date(2022, 1, 1), "at": datetime(2022, 1, 1, tzinfo=UTC)})
    engine.dispose()
