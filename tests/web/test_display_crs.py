"""A GCJ-02 basemap: overlays are shifted onto it, boxes and pins from it shifted back."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyproj import Geod

from tests.imagery.images import exif_bytes, jpeg
from tests.web.client import client_for, headers, sign_in
from web.display_crs import DisplayCrs

GEOD = Geod(ellps="WGS84")
POINT = (121.4, 28.7)
DISTRICT = "121.2,28.5,121.7,28.9"


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    return GEOD.inv(a[0], a[1], b[0], b[1])[2]


def test_gcj02_moves_points_a_few_hundred_metres_and_back() -> None:
    gcj = DisplayCrs("gcj02")
    shifted = gcj.point_out(*POINT)
    assert 200 < _metres(POINT, shifted) < 800
    assert _metres(gcj.point_in(*shifted), POINT) < 1.0
    assert DisplayCrs().point_out(*POINT) == POINT


def test_a_geometry_and_a_box_are_shifted_whole() -> None:
    gcj = DisplayCrs("gcj02")
    square = {"type": "Polygon", "coordinates": [[[121.40, 28.70], [121.41, 28.70],
                                                 [121.41, 28.71], [121.40, 28.70]]]}
    moved = gcj.geometry_out(square)["coordinates"][0]
    assert moved[0] == pytest.approx(gcj.point_out(121.40, 28.70))
    box = gcj.bbox_in((*gcj.point_out(121.40, 28.70), *gcj.point_out(121.41, 28.71)))
    assert box == pytest.approx((121.40, 28.70, 121.41, 28.71), abs=1e-5)


def test_the_map_api_speaks_gcj02_when_the_basemap_does(demo_url: str, tmp_path: Path) -> None:
    plain = client_for(demo_url)
    shifted = client_for(demo_url, basemap_crs="gcj02", data_dir=tmp_path / "data")
    for client in (plain, shifted):
        sign_in(client, "officer")
    wgs = plain.get("/api/map/sites", params={"bbox": DISTRICT, "zoom": 12}).json()
    gcj = shifted.get("/api/map/sites", params={"bbox": DISTRICT, "zoom": 12}).json()
    first = {f["properties"]["code"]: f["geometry"]["coordinates"] for f in wgs["features"]}
    for feature in gcj["features"][:20]:
        code = feature["properties"]["code"]
        assert 200 < _metres(tuple(first[code]), tuple(feature["geometry"]["coordinates"])) \
            < 800


def test_a_pin_set_on_a_gcj02_basemap_is_stored_in_wgs84(demo_url: str,
                                                          tmp_path: Path) -> None:
    client = client_for(demo_url, basemap_crs="gcj02", data_dir=tmp_path / "data")
    sign_in(client, "officer")
    lon, lat = DisplayCrs("gcj02").point_out(121.45, 28.68)
    path = jpeg(tmp_path / "nogps.jpg", seed=61, exif=exif_bytes())
    with path.open("rb") as f:
        body = client.post("/api/photos", headers=headers(client),
                           files={"file": ("nogps.jpg", f)},
                           data={"manual_lon": str(lon), "manual_lat": str(lat),
                                 "pin_crs": "gcj02"}).json()
    stored = (body["photo"]["lon"], body["photo"]["lat"])
    assert _metres(stored, (121.45, 28.68)) < 1.0
    with path.open("rb") as f:
        bad = client.post("/api/photos", headers=headers(client), files={"file": ("x.jpg", f)},
                          data={"manual_lon": "121.4", "manual_lat": "28.7",
                                "pin_crs": "bd09"})
    assert bad.status_code == 422 and "pin_crs 'bd09'" in bad.json()["detail"]
