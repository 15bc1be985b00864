"""Test helpers for change detection (变化检测): the sample landfill LF1 with a closed case and
its look-back rounds, an inspector of its agency and a leader, and real orthophoto GeoTIFFs of
LF1 (imagery.changes.synthetic: a planted dump pile or excavation among nuisances) ingested
into the test's store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from imagery.changes.synthetic import PlantedChange, write_scene_pair
from imagery.ingest import IngestContext, IngestRequest, ingest
from imagery.store import FileStore
from inspections import lookbacks
from inspections.actors import SYSTEM
from tests.geo import sample
from tests.inspections.lookback_builders import AGENCY, CLOSED_AT, closed_case, site_id
from web.accounts.users import add_user

CN = ZoneInfo("Asia/Shanghai")
LF1_CENTRE = (121.415, 28.711)
SIZE_M, GSD_M = 320.0, 0.5  # 640 px a side: the site and its buffer, quick to compare
BEFORE_AT = datetime(2021, 11, 2, 2, 0, tzinfo=UTC)  # the previous survey, before round 1
IN_ROUND_1 = datetime(2022, 5, 2, 2, 0, tzinfo=UTC)  # round 1: 2022-04-15 to 05-15 (China)


@dataclass(frozen=True)
class ChangeWorld:
    """What the helpers made: the case, its first round, LF1's id."""

    case_id: int
    round_id: int
    site_id: int


def lf1_world(engine: Engine) -> ChangeWorld:
    """The sample layers, LF1's closed case with its rounds, and the accounts `inspector`
    (of the case's agency), `other` (another agency) and `leader`."""
    sample.load(engine)
    with engine.begin() as conn:
        case_id = closed_case(conn)
        rounds = lookbacks.schedule_rounds(conn, case_id=case_id, closed_at=CLOSED_AT,
                                           source="inspection_feedback", agency=None,
                                           actor=SYSTEM, tz=CN)
        now = datetime.now(UTC)
        add_user(conn, name="inspector", password="inspector-demo-2022", role="inspector",
                 now=now, agency=AGENCY)
        add_user(conn, name="other", password="other-demo-2022", role="inspector",
                 now=now, agency="台州绿源咨询有限公司")
        add_user(conn, name="leader", password="leader-demo-2022", role="leader", now=now)
        return ChangeWorld(case_id, rounds[0], site_id(conn, "LF1"))


def orthophoto_pair(folder: Path, *, seed: int = 3,
                    change: bool = True) -> tuple[Path, Path, PlantedChange | None]:
    """An earlier and a later orthophoto of LF1 (GeoTIFFs in UTM 51N), the later one with a
    planted change (or none) and the nuisances; the change planted."""
    folder.mkdir(parents=True, exist_ok=True)
    before, after = folder / f"前期_{seed}.tif", folder / f"本期_{seed}.tif"
    made = write_scene_pair(before, after, LF1_CENTRE, SIZE_M, GSD_M, seed, change=change)
    return before, after, made.planted


def ingest_orthophoto(engine: Engine, data_dir: Path, path: Path, *, at: datetime,
                      user: str = "inspector") -> int:
    """Ingest one orthophoto as `user` at time `at` into the store of `data_dir`; its id."""
    ctx = IngestContext(engine=engine, store=FileStore(data_dir), now=at, workers=1,
                        local_tz=CN, user=user, kind="orthophoto")
    [result] = list(ingest(ctx, [IngestRequest(path)]))
    assert result.status == "stored" and result.id is not None, result
    assert "LF1" in result.covered_sites, result
    return result.id


def detect_lf1(engine: Engine, database_url: str, folder: Path) -> tuple[Path, list[int]]:
    """Two surveys of LF1 (two seeds: two planted changes), each an earlier orthophoto and a
    later one inside round 1, ingested into `folder`/data and compared by `lookback changes
    detect --before --after`; the data folder and the polygons' ids (two or more)."""
    from inspections.change_review import list_changes
    from tests.web.cli import run

    data = folder / "data"
    for seed in (3, 6):
        before, after, _ = orthophoto_pair(folder / "ortho", seed=seed)
        first = ingest_orthophoto(engine, data, before, at=BEFORE_AT)
        second = ingest_orthophoto(engine, data, after, at=IN_ROUND_1)
        done = run(database_url, "changes", "detect", "--site", "LF1", "--before", str(first),
                   "--after", str(second), "--json", LOOKBACK_DATA_DIR=str(data))
        assert done.exit_code == 0, done.output
    with engine.connect() as conn:
        ids = [c.id for c in list_changes(conn)]
    assert len(ids) >= 2, "each survey should show its planted change"
    return data, ids
