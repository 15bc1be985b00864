"""Web uploads georeference against the process's cached georeferencer: with many grid
cells and sites (the demo district plus 3,600 generated cells and 3,600 sites, not a whole
province: enough that a rebuild per upload would show, small enough to write in seconds;
the province-scale timing is benchmarks/bench_georef.py) an upload reuses it; a `lookback
import` (new features, or features moved in place under the demo's frozen clock) makes the
next upload see the new geometry."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from shapely.geometry import Point, box

from geo import layers
from geo.db import create_engine
from imagery import georef_cache
from tests.imagery.images import exif_bytes, jpeg
from tests.web.cli import json_lines, run
from tests.web.client import client_for, headers, inside_town, sign_in
from web.accounts.demo import DEMO_TOWN

NOW = datetime(2022, 6, 1, 4, 0, tzinfo=UTC)
SIDE = 60  # generated cells per side, and as many rows of sites
STEP = 0.01  # degrees
ORIGIN = (123.0, 29.0)  # east of the demo district
NOWHERE = (125.0, 30.0)  # in no cell, near no site, until the test imports one


def _generated() -> tuple[list[layers.Feature], list[layers.Feature]]:
    x0, y0 = ORIGIN
    cells, sites = [], []
    for i in range(SIDE):
        for j in range(SIDE):
            x, y = x0 + i * STEP, y0 + j * STEP
            cells.append(layers.Feature(f"GEN-{i}-{j}", f"格{i}-{j}",
                                        box(x, y, x + STEP, y + STEP), town="生成镇"))
            sites.append(layers.Feature(f"GS-{i}-{j}", f"企业{i}-{j}",
                                        Point(x + STEP / 2, y + STEP / 2), kind="enterprise"))
    return cells, sites


@pytest.fixture(scope="module")
def province_url(demo_url: str) -> str:
    """The demo database with the generated cells and sites added (once per module)."""
    engine = create_engine(demo_url)
    cells, sites = _generated()
    with engine.begin() as conn:
        layers.upsert(conn, layers.GRID_CELLS, cells, now=NOW)
        layers.upsert(conn, layers.SITES, sites, now=NOW)
    engine.dispose()
    return demo_url


@pytest.fixture
def officer(province_url: str, tmp_path: Path) -> TestClient:
    client = client_for(province_url, now=NOW, data_dir=tmp_path / "store")
    assert sign_in(client, "officer").status_code == 303
    return client


def _upload(client: TestClient, folder: Path, seed: int, lon: float, lat: float) -> dict:
    path = jpeg(folder / f"p{seed}.jpg", seed=seed, exif=exif_bytes(lon=lon, lat=lat))
    with path.open("rb") as f:
        response = client.post("/api/photos", headers=headers(client),
                               files={"file": (path.name, f, "image/jpeg")})
    assert response.status_code == 200, response.text
    return response.json()["photo"]


def _cell_id(url: str, code: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = conn.execute(sa.select(layers.GRID_CELLS.table.c.id).where(
            layers.GRID_CELLS.table.c.code == code)).scalar_one()
    engine.dispose()
    return found


def _cached(url: str) -> object:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = georef_cache.georeferencer(conn)
    engine.dispose()
    return found


def _import_cell(url: str, folder: Path, code: str, lon: float, lat: float) -> None:
    """`lookback import grid` of one square cell around a point."""
    path = folder / f"{code}-{lon}.geojson"
    shape = box(lon - STEP / 2, lat - STEP / 2, lon + STEP / 2, lat + STEP / 2)
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": shape.__geo_interface__,
         "properties": {"code": code, "name": "新网格", "town": "新镇"}}]}), encoding="utf-8")
    result = run(url, "import", "grid", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert json_lines(result.stdout)[-1]["layer"] == "grid_cells"


def test_an_upload_reuses_the_cached_georeferencer(province_url: str, officer: TestClient,
                                                   tmp_path: Path) -> None:
    lon, lat = inside_town(province_url, DEMO_TOWN)
    _upload(officer, tmp_path, 701, lon, lat)  # warms the cache if nothing did yet
    built = georef_cache.builds()["georeferencer"]
    cached = _cached(province_url)
    photo = _upload(officer, tmp_path, 702, ORIGIN[0] + 0.255, ORIGIN[1] + 0.505)
    assert georef_cache.builds()["georeferencer"] == built  # the upload built none
    assert _cached(province_url) is cached
    assert photo["grid_cell_id"] == _cell_id(province_url, "GEN-25-50")
    assert [s["code"] for s in photo["sites"]] == ["GS-25-50"]


def test_an_import_makes_the_next_upload_see_the_new_geometry(
        province_url: str, officer: TestClient, tmp_path: Path) -> None:
    assert _upload(officer, tmp_path, 711, *NOWHERE)["grid_cell_id"] is None
    built = georef_cache.builds()["georeferencer"]
    _import_cell(province_url, tmp_path, "NEW-1", *NOWHERE)
    new = _cell_id(province_url, "NEW-1")
    assert _upload(officer, tmp_path, 712, *NOWHERE)["grid_cell_id"] == new
    assert georef_cache.builds()["georeferencer"] == built + 1
    moved = (NOWHERE[0] + 1, NOWHERE[1])  # the same cell moved, at the demo's frozen time
    _import_cell(province_url, tmp_path, "NEW-1", *moved)
    assert _upload(officer, tmp_path, 713, *NOWHERE)["grid_cell_id"] is None
    assert _upload(officer, tmp_path, 714, *moved)["grid_cell_id"] == new
    assert georef_cache.builds()["georeferencer"] == built + 2
