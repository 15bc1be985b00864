"""Cases: creating (with validation and roles), reading, listing, the map index, photo links."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from shapely.geometry import box

from geo import spatial
from geo.schema import sites
from inspections import audit, schema
from inspections.actors import SYSTEM
from inspections.cases import (
    case_photo_ids,
    create_case,
    find_case,
    get_case,
    link_photos,
    list_cases,
)
from inspections.clock import DEFAULT_TZ
from inspections.errors import InvalidInput, NotAllowed, NotFound
from tests.geo import sample
from tests.inspections.builders import (
    ACCEPTOR,
    ADMIN,
    GRID_OFFICER,
    INSPECTOR,
    LEADER,
    OTHER_UNIT,
    T0,
    UNIT,
    UNIT_NAME,
    case_values,
    clock,
    new_case,
    photo_ids,
)


def _site_ids(engine) -> dict[str, int]:  # noqa: ANN001
    sample.load(engine)
    with engine.connect() as conn:
        return dict(conn.execute(sa.select(sites.c.code, sites.c.id)).all())


def test_a_new_case_reads_back_as_given(engine) -> None:  # noqa: ANN001
    ids = _site_ids(engine)
    with engine.begin() as conn:
        case_id = new_case(conn, clock(), site_ids=[ids["LF1"]], lon=121.415, lat=28.711,
                           leader="李明", key_case=True, lookback_agency="第三方机构甲")
    with engine.connect() as conn:
        case = get_case(conn, case_id)
    assert (case.reference, case.source, case.state, case.batch) == (
        "DC-2022-01", "inspection_feedback", "open", None)
    assert (case.responsible_unit, case.leader, case.deadline) == (
        UNIT_NAME, "李明", date(2022, 12, 31))
    assert (case.key_case, case.is_recurrence, case.lookback_agency) == (
        True, False, "第三方机构甲")
    assert (case.lon, case.lat) == (121.415, 28.711)
    assert case.opened_at == T0 and case.opened_at.tzinfo is not None
    assert (case.closed_at, case.notice_start, case.notice_end) == (None, None, None)
    assert case.site_ids == (ids["LF1"],)
    assert [(m.position, m.text, m.done_at) for m in case.measures] == [
        (1, "建设渗滤液收集池", None), (2, "完成封场覆土", None)]


def test_creation_is_audited(engine) -> None:  # noqa: ANN001
    with engine.begin() as conn:
        case_id = new_case(conn, clock())
    with engine.connect() as conn:
        [entry] = audit.history(conn, "case", case_id)
        assert (entry["action"], entry["actor"], entry["role"]) == (
            "case.create", "wang.jian", "inspector")
        assert entry["data"]["to"] == "open" and entry["data"]["measures"] == 2
        assert audit.verify(conn).ok


def test_find_case_by_reference(engine) -> None:  # noqa: ANN001
    with engine.begin() as conn:
        case_id = new_case(conn, clock(), reference="DC-2022-07")
    with engine.connect() as conn:
        assert find_case(conn, "DC-2022-07").id == case_id


@pytest.mark.parametrize("look", ["get", "find"])
def test_missing_case_is_not_found(engine, look: str) -> None:  # noqa: ANN001
    with engine.connect() as conn, pytest.raises(NotFound, match="no such case"):
        get_case(conn, 99) if look == "get" else find_case(conn, "DC-2099-01")


def test_a_case_point_is_on_the_map_index(engine) -> None:  # noqa: ANN001
    with engine.begin() as conn:
        near = new_case(conn, clock(), reference="A", lon=121.415, lat=28.711)
        new_case(conn, clock(), reference="B", lon=121.435, lat=28.695)
        new_case(conn, clock(), reference="C")  # no location: not on the map
    with engine.connect() as conn:
        hits = spatial.intersecting(conn, schema.CASES, box(121.41, 28.70, 121.42, 28.72))
    assert [h["id"] for h in hits] == [near]


def test_list_cases_filters(engine) -> None:  # noqa: ANN001
    later = clock(T0.replace(year=2023))
    with engine.begin() as conn:
        a = new_case(conn, clock(), reference="A")
        b = new_case(conn, clock(), reference="B", source="petition", batch=3,
                     inspection="第二轮中央生态环境保护督察")
        c = new_case(conn, later, reference="C", responsible_unit="东山镇人民政府")
        d = new_case(conn, clock(), reference="D", source="patrol", actor=GRID_OFFICER)
        conn.execute(sa.update(schema.cases).where(schema.cases.c.id == d)
                     .values(state="rectifying"))
    with engine.connect() as conn:
        def ids(**kw: object) -> list[int]:
            return [x.id for x in list_cases(conn, **kw)]
        assert ids() == [a, b, c, d]
        assert ids(state="open") == [a, b, c]
        assert ids(state="rectifying") == [d]
        assert ids(source="petition") == [b]
        assert ids(unit=UNIT_NAME) == [a, b, d]
        assert ids(year=2022, tz=DEFAULT_TZ) == [a, b, d]
        assert ids(year=2023, unit="东山镇人民政府", tz=DEFAULT_TZ) == [c]
        assert ids(year=2021, tz=DEFAULT_TZ) == []
        assert list_cases(conn, source="petition")[0].batch == 3
        assert list_cases(conn, source="petition")[0].inspection == "第二轮中央生态环境保护督察"
        assert list_cases(conn, source="inspection_feedback")[0].inspection is None


def test_the_year_of_a_case_is_the_districts_year(engine) -> None:  # noqa: ANN001
    # 2022-12-31 17:00 UTC is 2023-01-01 01:00 in Shanghai, still 2022 in UTC.
    with engine.begin() as conn:
        late = new_case(conn, clock(datetime(2022, 12, 31, 17, 0, tzinfo=UTC)), reference="N")
    with engine.connect() as conn:
        assert [c.id for c in list_cases(conn, year=2023, tz=DEFAULT_TZ)] == [late]
        assert [c.id for c in list_cases(conn, year=2022, tz=ZoneInfo("UTC"))] == [late]
        assert list_cases(conn, year=2022, tz=DEFAULT_TZ) == []
        with pytest.raises(InvalidInput, match="year 2023: no time zone given"):
            list_cases(conn, year=2023)


@pytest.mark.parametrize(("overrides", "message"), [
    ({"source": "gossip"}, "source 'gossip' is unknown"),
    ({"title": "  "}, "title must not be empty"),
    ({"reference": ""}, "reference must not be empty"),
    ({"responsible_unit": ""}, "responsible_unit must not be empty"),
    ({"target": ""}, "target must not be empty"),
    ({"measures": ["建设渗滤液收集池", ""]}, r"measures\[1\] must not be empty"),
    ({"source": "petition"}, "batch is required for a petition"),
    ({"source": "petition", "batch": 0}, "batch 0 is not a positive whole number"),
    ({"batch": 2}, "batch is only for petitions"),
    ({"source": "lookback", "inspection": "第二轮"}, "inspection is only for "
     "inspection_feedback and petition cases, not 'lookback'"),
    ({"inspection": " "}, "inspection must not be empty"),
    ({"lon": 121.4}, "lon and lat must be given together"),
    ({"lon": 28.7, "lat": 121.4}, "lat 121.4 is not a lat"),
    ({"lon": 200.0, "lat": 28.7}, "lon 200.0 is not a lon"),
    ({"lon": float("nan"), "lat": 28.7}, "lon nan is not a lon"),
    ({"deadline": "2022-12-31"}, "deadline '2022-12-31' is not a date"),
    ({"site_ids": [98, 99]}, "site_ids: no site with id 98, 99"),
])
def test_bad_input_is_named(engine, overrides: dict, message: str) -> None:  # noqa: ANN001
    with engine.begin() as conn, pytest.raises(InvalidInput, match=message):
        new_case(conn, clock(), **overrides)


def test_reference_taken(engine) -> None:  # noqa: ANN001
    with engine.begin() as conn:
        first = new_case(conn, clock())
        with pytest.raises(InvalidInput, match=f"DC-2022-01: reference is taken .*{first}"):
            new_case(conn, clock())


@pytest.mark.parametrize(("actor", "source", "message"), [
    (UNIT, "inspection_feedback", "role 'unit' may not create cases"),
    (GRID_OFFICER, "inspection_feedback", "role 'grid_officer' may only create patrol"),
])
def test_roles_that_may_not_create(engine, actor, source: str, message: str) -> None:  # noqa: ANN001
    with engine.begin() as conn, pytest.raises(NotAllowed, match=message):
        new_case(conn, clock(), actor=actor, source=source)


@pytest.mark.parametrize("actor", [INSPECTOR, LEADER, ADMIN, SYSTEM])
def test_roles_that_may_create(engine, actor) -> None:  # noqa: ANN001
    with engine.begin() as conn:
        assert get_case(conn, new_case(conn, clock(), actor=actor)).state == "open"


def test_create_case_takes_keywords_only(engine) -> None:  # noqa: ANN001
    with engine.begin() as conn, pytest.raises(TypeError):
        create_case(conn, INSPECTOR, clock(), **case_values())  # type: ignore[misc]


# --- photo links ---------------------------------------------------------------------------

def test_links_are_stored_once_and_audited(engine, tmp_path) -> None:  # noqa: ANN001
    p = photo_ids(engine, tmp_path, 3)
    ticking = clock()
    with engine.begin() as conn:
        case_id = new_case(conn, ticking)
        ticking.advance(hours=1)
        link_photos(conn, case_id=case_id, photo_ids=[p[0], p[1], p[0]], purpose="evidence",
                    actor=INSPECTOR, clock=ticking)
        link_photos(conn, case_id=case_id, photo_ids=[p[1], p[2]], purpose="evidence",
                    actor=INSPECTOR, clock=ticking)
        link_photos(conn, case_id=case_id, photo_ids=[p[2]], purpose="evidence",
                    actor=INSPECTOR, clock=ticking)  # nothing new: no entry
        link_photos(conn, case_id=case_id, photo_ids=[p[0]], purpose="acceptance",
                    actor=ACCEPTOR, clock=ticking)
    with engine.connect() as conn:
        assert case_photo_ids(conn, case_id) == p
        assert case_photo_ids(conn, case_id, "evidence") == p
        assert case_photo_ids(conn, case_id, "acceptance") == [p[0]]
        assert case_photo_ids(conn, case_id, "rectification") == []
        links = [e["data"] for e in audit.history(conn, "case", case_id)
                 if e["action"] == "case.link_photos"]
        assert links == [
            {"purpose": "evidence", "photo_ids": [p[0], p[1]], "measure_id": None},
            {"purpose": "evidence", "photo_ids": [p[2]], "measure_id": None},
            {"purpose": "acceptance", "photo_ids": [p[0]], "measure_id": None}]
        row = conn.execute(sa.select(schema.case_photos.c.linked_by,
                                     schema.case_photos.c.linked_at)
                           .where(schema.case_photos.c.purpose == "evidence").limit(1)).one()
        assert row.linked_by == "wang.jian"


def test_link_to_a_measure(engine, tmp_path) -> None:  # noqa: ANN001
    [p] = photo_ids(engine, tmp_path, 1)
    with engine.begin() as conn:
        case_id = new_case(conn, clock())
        second = get_case(conn, case_id).measures[1].id
        link_photos(conn, case_id=case_id, photo_ids=[p], purpose="rectification", actor=UNIT,
                    clock=clock(), measure_id=second)
        assert conn.execute(sa.select(schema.case_photos.c.measure_id)).scalar_one() == second


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"purpose": "selfie"}, InvalidInput, "purpose 'selfie' is unknown"),
    ({"photo_ids": [12345]}, InvalidInput, "photo_ids: no photo with id 12345"),
    ({"photo_ids": []}, InvalidInput, "photo_ids is empty"),
    ({"measure_id": 777}, InvalidInput, "measure_id 777 is not one of this case's"),
    ({"case_id": 999}, NotFound, "no such case"),
    ({"actor": OTHER_UNIT}, NotAllowed, "unit '东山镇人民政府' is not the responsible unit"),
    ({"actor": LEADER}, NotAllowed, "role 'leader' may not link rectification photos"),
    ({"actor": UNIT, "purpose": "acceptance"}, NotAllowed,
     "role 'unit' may not link acceptance photos"),
])
def test_bad_links_are_refused(engine, tmp_path, kwargs: dict, error: type,  # noqa: ANN001
                               message: str) -> None:
    [p] = photo_ids(engine, tmp_path, 1)
    with engine.begin() as conn:
        case_id = new_case(conn, clock())
        args = {"case_id": case_id, "photo_ids": [p], "purpose": "rectification",
                "actor": UNIT, "clock": clock()} | kwargs
        with pytest.raises(error, match=message):
            link_photos(conn, **args)
        assert case_photo_ids(conn, case_id) == []


def test_a_deadline_is_a_day_not_a_time(engine) -> None:  # noqa: ANN001
    with engine.begin() as conn, pytest.raises(InvalidInput, match="deadline .* is not a date"):
        new_case(conn, clock(), deadline=datetime(2022, 12, 31) + timedelta(hours=1))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"state": "done"}, "state 'done' is unknown"),
    ({"source": "rumour"}, "source 'rumour' is unknown"),
])
def test_list_cases_names_an_unknown_filter(engine, kwargs: dict, message: str) -> None:  # noqa: ANN001
    with engine.connect() as conn, pytest.raises(InvalidInput, match=message):
        list_cases(conn, **kwargs)
