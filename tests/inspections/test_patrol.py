"""Patrol findings: a problem photo opens a patrol case at its position; photos are matched
to the cases they could be evidence for. Photos are real files ingested by imagery.ingest.

Sample layers (tests/geo/sample.py): a photo at (121.405, 28.7) lies in grid cell C1, 87.95 m
from enterprise E2 and 99.75 m from enterprise E1; landfill LF1 is 121.414-121.416 E,
28.710-28.712 N.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from geo.schema import grid_cells, sites
from imagery.ingest import IngestContext, IngestRequest, ingest
from imagery.store import FileStore
from inspections import audit
from inspections.actors import Actor
from inspections.cases import case_photo_ids, get_case
from inspections.clock import DEFAULT_TZ, FixedClock
from inspections.errors import InvalidInput, NotAllowed, NotFound
from inspections.patrol import open_patrol_case, suggest_cases
from inspections.schema import cases
from tests.geo import sample
from tests.imagery.images import dji_packet, exif_bytes, jpeg
from tests.inspections.builders import GRID_OFFICER, LEADER, UNIT, new_case
from tests.inspections.stats_builders import lookback_round

T0 = datetime(2022, 6, 1, 2, 0, tzinfo=UTC)
NEAR_E2 = {"lon": 121.405, "lat": 28.7}
_seeds = itertools.count(7000)


@pytest.fixture
def layered(engine: Engine) -> Engine:
    """The engine with the sample grid cells, enterprises and landfill."""
    sample.load(engine)
    return engine


@pytest.fixture
def photo(layered: Engine, tmp_path: Path):  # noqa: ANN201
    """Ingest one field photo (EXIF position optional) or drone photo; its id."""
    def make(*, lon: float | None = None, lat: float | None = None,
             drone: dict | None = None) -> int:
        seed = next(_seeds)
        if drone is not None:
            path = jpeg(tmp_path / f"d{seed}.jpg", seed=seed, size=(600, 400),
                        exif=exif_bytes(focal_35mm=24, make="DJI"), xmp=dji_packet(**drone))
        else:
            path = jpeg(tmp_path / f"p{seed}.jpg", seed=seed, size=(96, 64),
                        exif=exif_bytes(lon=lon, lat=lat))
        ctx = IngestContext(engine=layered, store=FileStore(tmp_path / "store"), now=T0,
                            workers=1, local_tz=DEFAULT_TZ)
        [result] = ingest(ctx, [IngestRequest(path)])
        assert result.status == "stored", result.reason
        return result.id
    return make


def _ids(engine: Engine, table: sa.Table, *codes: str) -> list[int]:
    with engine.connect() as conn:
        found = dict(conn.execute(sa.select(table.c.code, table.c.id)
                                  .where(table.c.code.in_(codes))).all())
    return [found[c] for c in codes]


def _open(conn: sa.Connection, photo_id: int, **changes: object) -> int:
    values = {"photo_id": photo_id, "actor": GRID_OFFICER, "clock": FixedClock(T0),
              "title": "河道边堆放建筑垃圾", "description": "巡查发现河岸堆放建筑垃圾约20方",
              "responsible_unit": "海门街道办事处", "deadline": date(2022, 6, 30)} | changes
    return open_patrol_case(conn, **values)


def test_problem_photo_opens_a_patrol_case_at_its_position(layered: Engine, photo) -> None:  # noqa: ANN001
    photo_id = photo(**NEAR_E2)
    [c1] = _ids(layered, grid_cells, "C1")
    [e2] = _ids(layered, sites, "E2")
    with layered.begin() as conn:
        case_id = _open(conn, photo_id, allowed_cells=[c1])
    with layered.connect() as conn:
        case = get_case(conn, case_id)
        linked = case_photo_ids(conn, case_id, "patrol")
        actions = [e["action"] for e in audit.history(conn, "case", case_id)]
    assert (case.reference, case.source, case.state) == ("XC-2022-0001", "patrol", "open")
    assert (round(case.lon, 6), round(case.lat, 6)) == (121.405, 28.7)
    assert case.site_ids == (e2,)  # E2 at 87.95 m is nearer than E1 at 99.75 m
    assert (case.target, case.deadline) == ("河道边堆放建筑垃圾", date(2022, 6, 30))
    assert linked == [photo_id]
    assert actions == ["case.create", "case.link_photos"]


def test_references_count_up_within_the_china_year(layered: Engine, photo) -> None:  # noqa: ANN001
    first, second, third = photo(**NEAR_E2), photo(**NEAR_E2), photo(**NEAR_E2)
    new_year = FixedClock(datetime(2022, 12, 31, 16, 30, tzinfo=UTC))  # 00:30 in China
    with layered.begin() as conn:
        ids = [_open(conn, first), _open(conn, second),
               _open(conn, third, clock=new_year, deadline=date(2023, 1, 31))]
        refs = conn.execute(sa.select(cases.c.reference).where(cases.c.id.in_(ids))
                            .order_by(cases.c.id)).scalars().all()
    assert refs == ["XC-2022-0001", "XC-2022-0002", "XC-2023-0001"]


def test_no_site_within_the_radius_leaves_the_case_unlinked(layered: Engine, photo) -> None:  # noqa: ANN001
    photo_id = photo(**NEAR_E2)
    with layered.begin() as conn:
        case_id = _open(conn, photo_id, radius_m=80.0, actor=Actor("admin", "admin"))
        assert get_case(conn, case_id).site_ids == ()


def test_photo_outside_the_officers_cells_is_refused(layered: Engine, photo) -> None:  # noqa: ANN001
    in_c1, outside = photo(**NEAR_E2), photo(lon=121.45, lat=28.75)
    c2, c3 = _ids(layered, grid_cells, "C2", "C3")
    with layered.begin() as conn:
        with pytest.raises(NotAllowed, match=rf"photo {in_c1}: is in grid cell \d+, not one "
                                             "of zhou.ping's grid cells"):
            _open(conn, in_c1, allowed_cells=[c2, c3])
        with pytest.raises(NotAllowed, match=f"photo {outside}: is in no grid cell"):
            _open(conn, outside, allowed_cells=[c2])
        assert conn.execute(sa.select(sa.func.count()).select_from(cases)).scalar_one() == 0


@pytest.mark.parametrize("actor", [LEADER, UNIT])
def test_only_patrolling_roles_open_patrol_cases(layered: Engine, photo,  # noqa: ANN001
                                                  actor: Actor) -> None:
    photo_id = photo(**NEAR_E2)
    with layered.begin() as conn, pytest.raises(NotAllowed, match=f"role '{actor.role}' may "
                                                                  "not open patrol cases"):
        _open(conn, photo_id, actor=actor)


def test_photo_without_location_is_invalid(layered: Engine, photo) -> None:  # noqa: ANN001
    photo_id = photo()
    with layered.begin() as conn, pytest.raises(InvalidInput, match=f"photo {photo_id}: has "
                                                                    "no location"):
        _open(conn, photo_id)


def test_bad_arguments_are_named(layered: Engine, photo) -> None:  # noqa: ANN001
    photo_id = photo(**NEAR_E2)
    with layered.begin() as conn:
        with pytest.raises(NotFound, match="photo 999: no such photo"):
            _open(conn, 999)
        with pytest.raises(InvalidInput, match="radius_m -1.0: must be a distance"):
            _open(conn, photo_id, radius_m=-1.0)
        with pytest.raises(InvalidInput, match="title must not be empty"):
            _open(conn, photo_id, title=" ")


# --- suggestions -----------------------------------------------------------------------------

def _case_at(conn: sa.Connection, reference: str, site: int, state: str = "open",
             rounds: tuple[str, ...] = ()) -> int:
    case_id = new_case(conn, FixedClock(T0), reference=reference, site_ids=[site])
    conn.execute(sa.update(cases).where(cases.c.id == case_id).values(state=state))
    for number, round_state in enumerate(rounds, start=1):
        lookback_round(conn, case_id, number, window_start=T0, state=round_state)
    return case_id


@pytest.fixture
def watched(layered: Engine) -> dict[str, int]:
    """Cases at the sample sites: live ones, closed ones with and without pending rounds."""
    e1, e2, lf1 = _ids(layered, sites, "E1", "E2", "LF1")
    with layered.begin() as conn:
        return {
            "at_e2": _case_at(conn, "A", e2, "rectifying"),
            "e1_round_due": _case_at(conn, "B", e1, "closed", ("passed", "due")),
            "e1_all_passed": _case_at(conn, "C", e1, "closed", ("passed", "passed")),
            "e1_no_rounds": _case_at(conn, "D", e1, "closed"),
            "e1_awaiting": _case_at(conn, "E", e1, "closed", ("awaiting_review",)),
            "at_lf1": _case_at(conn, "F", lf1, "publicised"),
            "e1_recurred": _case_at(conn, "G", e1, "closed", ("recurred",)),
        }


def test_suggestions_are_live_or_watched_cases_nearest_first(layered: Engine, photo,  # noqa: ANN001
                                                             watched: dict[str, int]) -> None:
    photo_id = photo(**NEAR_E2)
    with layered.connect() as conn:
        wide = suggest_cases(conn, photo_id=photo_id)
        narrow = suggest_cases(conn, photo_id=photo_id, radius_m=90.0)
    assert wide == [watched["at_e2"], watched["e1_round_due"], watched["e1_awaiting"]]
    assert narrow == [watched["at_e2"]]


def test_a_drone_view_over_a_site_suggests_its_cases(layered: Engine, photo,  # noqa: ANN001
                                                     watched: dict[str, int]) -> None:
    # 300 m south of LF1 looking north at -45 deg: LF1 is in view ("covered"), not near.
    oblique = photo(drone={"lon": 121.415, "lat": 28.7083, "relative_altitude": 100,
                           "pitch": -45})
    far_away = photo(lon=121.45, lat=28.75)
    with layered.connect() as conn:
        assert suggest_cases(conn, photo_id=oblique) == [watched["at_lf1"]]
        assert suggest_cases(conn, photo_id=far_away) == []


def test_suggestions_need_a_known_photo_and_a_good_radius(layered: Engine, photo) -> None:  # noqa: ANN001
    photo_id = photo(**NEAR_E2)
    with layered.connect() as conn:
        with pytest.raises(NotFound, match="photo 999: no such photo"):
            suggest_cases(conn, photo_id=999)
        with pytest.raises(InvalidInput, match="radius_m nan: must be a distance"):
            suggest_cases(conn, photo_id=photo_id, radius_m=float("nan"))
