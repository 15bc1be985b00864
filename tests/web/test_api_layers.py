"""Layers as GeoJSON by bounding box, for the map and the upload page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.client import client_for, sign_in

DISTRICT = "121.2,28.5,121.7,28.9"


@pytest.fixture
def officer(demo_url: str) -> TestClient:
    client = client_for(demo_url)
    sign_in(client, "officer")
    return client


def test_sites_in_a_box(officer: TestClient) -> None:
    landfills = officer.get("/api/layers/sites", params={"bbox": DISTRICT,
                                                         "kind": "landfill"}).json()
    assert landfills["type"] == "FeatureCollection"
    assert len(landfills["features"]) == 41
    first = landfills["features"][0]
    assert first["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert set(first["properties"]) == {"id", "code", "name", "kind", "industry", "town"}
    few = officer.get("/api/layers/sites", params={"bbox": "121.40,28.65,121.41,28.66"}).json()
    assert len(few["features"]) < 41


def test_grid_cells_all_or_the_officers_own(officer: TestClient) -> None:
    every = officer.get("/api/layers/grid-cells", params={"bbox": DISTRICT}).json()
    mine = officer.get("/api/layers/grid-cells", params={"bbox": DISTRICT,
                                                         "mine": "true"}).json()
    assert len(every["features"]) == 272
    assert 0 < len(mine["features"]) < 272
    assert {f["properties"]["town"] for f in mine["features"]} == {"桐屿街道"}


@pytest.mark.parametrize(("params", "message"), [
    ({"bbox": "121,28"}, "bbox '121,28': give min_lon,min_lat,max_lon,max_lat"),
    ({"bbox": "a,b,c,d"}, "give min_lon,min_lat,max_lon,max_lat"),
    ({"bbox": DISTRICT, "kind": "volcano"}, "kind 'volcano': use one of landfill"),
])
def test_bad_queries_are_named(officer: TestClient, params: dict, message: str) -> None:
    response = officer.get("/api/layers/sites", params=params)
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_layers_need_a_session(demo_url: str) -> None:
    assert client_for(demo_url).get("/api/layers/sites",
                                    params={"bbox": DISTRICT}).status_code == 401
