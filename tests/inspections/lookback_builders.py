"""Test helpers for look-backs and tickets: closed cases written directly, real ingested photos."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from shapely.geometry import Point
from sqlalchemy.engine import Engine

from geo.layers import index_geometries
from geo.schema import sites
from imagery.ingest import IngestContext, IngestRequest, IngestResult, ingest
from imagery.store import FileStore
from inspections.actors import Actor
from inspections.clock import DEFAULT_TZ
from inspections.schema import CASES, case_sites, cases
from tests.imagery.images import dji_packet, exif_bytes, jpeg

AGENCY = "浙江环科检测有限公司"
TOWN = "东山镇人民政府"
INSPECTOR = Actor("wang.jun", "inspector", agency=AGENCY)
OTHER_INSPECTOR = Actor("zhao.lei", "inspector", agency="台州绿源咨询有限公司")
LEADER = Actor("li.ming", "leader")
ADMIN = Actor("admin", "admin")
TOWN_UNIT = Actor("chen.hua", "unit", unit=TOWN)
OTHER_UNIT = Actor("zhou.qi", "unit", unit="海门街道办事处")
GRID_OFFICER = Actor("lin.fang", "grid_officer")
# 2022-03-15 10:00 in China: round 1 falls on 2022-04-15, its window ends 2022-05-15.
CLOSED_AT = datetime(2022, 3, 15, 2, 0, tzinfo=UTC)
INGEST_NOW = datetime(2023, 6, 1, tzinfo=UTC)


def site_id(conn: sa.Connection, code: str) -> int:
    """The id of a sample site by its code (LF1, E1, E2)."""
    return conn.execute(sa.select(sites.c.id).where(sites.c.code == code)).scalar_one()


def closed_case(conn: sa.Connection, *, reference: str = "DC-2022-03",
                site_codes: tuple[str, ...] = ("LF1",), key_case: bool = False,
                leader: str | None = None, agency: str | None = AGENCY,
                source: str = "inspection_feedback", closed_at: datetime = CLOSED_AT,
                point: tuple[float, float] | None = None) -> int:
    """A case row in state "closed", linked to sample sites (or only at a point)."""
    geom = Point(*point) if point else None
    case_id = conn.execute(sa.insert(cases).returning(cases.c.id), {
        "reference": reference, "source": source, "title": "镇级垃圾填埋场未防渗",
        "description": "无防渗层、无渗滤液收集", "responsible_unit": TOWN, "leader": leader,
        "deadline": date(2021, 12, 31), "target": "完成封场整治", "key_case": key_case,
        "state": "closed", "is_recurrence": False, "geom": geom,
        "opened_at": datetime(2021, 6, 1, tzinfo=UTC), "closed_at": closed_at,
        "lookback_agency": agency}).scalar_one()
    if geom is not None:
        index_geometries(conn, CASES, [case_id], [geom])
    if site_codes:
        conn.execute(sa.insert(case_sites), [{"case_id": case_id, "site_id": site_id(conn, c)}
                                             for c in site_codes])
    return case_id


def exif_time(moment: str) -> str:
    """'2022-05-01 10:00' as EXIF writes it: '2022:05:01 10:00:00'."""
    return moment.replace("-", ":") + ":00"


def drone_photo(folder: Path, name: str, *, lon: float, lat: float, taken: str,
                seed: int, altitude: float = 100) -> Path:
    """A nadir DJI photo (24 mm, 600x400) taken at China time `taken` ('2022-05-01 10:00')."""
    return jpeg(folder / name, seed=seed, size=(600, 400),
                exif=exif_bytes(focal_35mm=24, make="DJI", taken=exif_time(taken)),
                xmp=dji_packet(lat=lat, lon=lon, relative_altitude=altitude))


def field_photo(folder: Path, name: str, *, lon: float, lat: float, taken: str | None,
                seed: int, offset: str | None = "+08:00") -> Path:
    """A phone photo with GPS; `taken` None: no time at all; `offset` None: naive local time."""
    exif = exif_bytes(lon=lon, lat=lat, taken=exif_time(taken) if taken else None,
                      offset=offset if taken else None)
    return jpeg(folder / name, seed=seed, exif=exif)


def ingest_photos(engine: Engine, store: Path, *paths: Path) -> list[int]:
    """Ingest files as the imagery tests do (one worker); the photo ids, in order."""
    ctx = IngestContext(engine=engine, store=FileStore(store), now=INGEST_NOW, workers=1,
                        local_tz=DEFAULT_TZ)
    results: list[IngestResult] = list(ingest(ctx, [IngestRequest(p) for p in paths]))
    assert [r.status for r in results] == ["stored"] * len(paths), results
    return [r.id for r in results]
