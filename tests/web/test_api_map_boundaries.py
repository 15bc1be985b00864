"""GET /api/map/boundaries: the district's and towns' outlines dissolved from the demo's
grid cells, with the towns' names and label points, in the display CRS; dissolved once per
process and again after `lookback import grid`; signed-in users only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from shapely.geometry import Point, box, shape

from geo import boundaries
from geo.db import create_engine
from geo.layers import GRID_CELLS
from tests.web.cli import json_lines, run
from tests.web.client import client_for, sign_in
from web.accounts.demo import DEMO_TOWN
from web.display_crs import DisplayCrs


def _towns(url: str) -> set[str]:
    engine = create_engine(url)
    t = GRID_CELLS.table
    with engine.connect() as conn:
        found = set(conn.execute(sa.select(t.c.town).distinct()).scalars()) - {None}
    engine.dispose()
    return found


def _get(url: str, **settings: object) -> dict:
    client = client_for(url, **settings)
    assert sign_in(client, "leader").status_code == 303
    response = client.get("/api/map/boundaries")
    assert response.status_code == 200, response.text
    return response.json()


def test_every_town_has_its_outline_and_name(demo_url: str) -> None:
    body = _get(demo_url)
    district, *towns = body["features"]
    assert district["properties"] == {"kind": "district"}
    names = [f["properties"]["name"] for f in towns]
    assert set(names) == _towns(demo_url) and DEMO_TOWN in names
    outline = shape(district["geometry"])
    for town in towns:
        geometry = shape(town["geometry"])
        assert geometry.contains(Point(town["properties"]["label"])), town["properties"]
        assert outline.buffer(2e-4).contains(geometry)
    size = len(json.dumps(body))
    assert size < 200_000, size  # simplified for the wire


def test_a_gcj02_basemap_gets_them_shifted(demo_url: str) -> None:
    plain, shifted = _get(demo_url), _get(demo_url, basemap_crs="gcj02")
    for a, b in zip(plain["features"][1:], shifted["features"][1:], strict=True):
        expected = DisplayCrs("gcj02").point_out(*a["properties"]["label"])
        assert b["properties"]["label"] == pytest.approx(expected, abs=1e-6)


def test_signed_out_gets_401(demo_url: str) -> None:
    response = client_for(demo_url).get("/api/map/boundaries")
    assert response.status_code == 401


def _import_cell(url: str, folder: Path) -> None:
    """`lookback import grid` of one cell of a new town, east of the district."""
    path = folder / "cell.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": box(122.0, 28.7, 122.01, 28.71).__geo_interface__,
         "properties": {"code": "NEW-1", "name": "新网格", "town": "新镇"}}]}),
        encoding="utf-8")
    result = run(url, "import", "grid", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert json_lines(result.stdout)[-1]["layer"] == "grid_cells"


def test_dissolved_once_and_again_after_an_import(fresh_demo_url: str, tmp_path: Path) -> None:
    client = client_for(fresh_demo_url)
    sign_in(client, "leader")
    before = client.get("/api/map/boundaries").json()
    built = boundaries.builds()
    assert client.get("/api/map/boundaries").json() == before
    assert boundaries.builds() == built  # from the process's cache
    _import_cell(fresh_demo_url, tmp_path)
    after = client.get("/api/map/boundaries").json()
    assert boundaries.builds() == built + 1
    names = {f["properties"].get("name") for f in after["features"]}
    assert "新镇" in names and "新镇" not in {f["properties"].get("name")
                                              for f in before["features"]}
