"""What the upload page carries for work with no signal, on SQLite and PostGIS: a grid
officer's page holds exactly their cells and the sites within the georeferencing radius of
them, with the tile budget from LOOKBACK_OFFLINE_TILE_MB; other roles' pages hold none; a
budget out of range is refused naming the setting."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa
from pydantic import ValidationError
from shapely.geometry import shape

from geo.db import create_engine
from geo.layers import GRID_CELLS, SITES
from tests.web.client import client_for, sign_in
from web.accounts.demo import DEMO_TOWN
from web.settings import Settings


def _island(text: str) -> dict:
    found = re.search(r'<script type="application/json" id="offline-area">(.*?)</script>',
                      text, re.S)
    return json.loads(found.group(1))


def _town(url: str) -> tuple[set[str], list]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(GRID_CELLS.table.c.code, GRID_CELLS.table.c.geom).where(
            GRID_CELLS.table.c.town == DEMO_TOWN)).all()
        sites = conn.execute(sa.select(SITES.table.c.code, SITES.table.c.geom)).all()
    engine.dispose()
    return {code for code, _ in rows}, [(code, geom) for code, geom in sites if any(
        geom.intersects(cell) for _, cell in rows)]


def test_an_officers_page_carries_their_cells_and_the_sites_near(demo_url: str) -> None:
    client = client_for(demo_url, offline_tile_mb=5)
    assert sign_in(client, "officer").status_code == 303
    island = _island(client.get("/upload").text)
    area = island["area"]
    codes, inside = _town(demo_url)
    assert {f["properties"]["code"] for f in area["cells"]["features"]} == codes
    carried = {f["properties"]["code"] for f in area["sites"]["features"]}
    assert {code for code, _ in inside} <= carried  # every site on the cells, and near ones
    assert all(shape(f["geometry"]).is_valid for f in area["sites"]["features"])
    assert area["radius_m"] == 100.0
    assert island["tileBytes"] == 5 * 1024 * 1024


@pytest.mark.parametrize("name", ["inspector", "admin"])
def test_other_roles_pages_carry_no_area(demo_url: str, name: str) -> None:
    client = client_for(demo_url)
    assert sign_in(client, name).status_code == 303
    page = client.get("/upload")
    assert page.status_code == 200
    assert _island(page.text) == {"area": None, "tileBytes": 0}


def test_a_tile_budget_out_of_range_is_refused() -> None:
    with pytest.raises(ValidationError, match="offline_tile_mb"):
        Settings(offline_tile_mb=-1)
    with pytest.raises(ValidationError, match="offline_tile_mb"):
        Settings(offline_tile_mb=5000)
