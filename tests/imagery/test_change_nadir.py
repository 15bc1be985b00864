"""Drone nadir photos as the later image: placed on the ground by their corners, warped onto
the analysis grid and mosaicked; the planted change is found as with an orthophoto."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import rasterio
from PIL import Image
from pyproj import Geod
from shapely.geometry import MultiPoint

from imagery.changes import NadirPhoto, detect_changes, nadir_photo
from imagery.changes.grid import ground_grid, to_crs
from imagery.changes.reading import read_on_grid
from imagery.errors import RejectedFile
from imagery.footprint import Camera
from tests.imagery.change_pairs import iou, pair

GEOD = Geod(ellps="WGS84")


def crop_photo(tif: Path, out: Path, cols: slice, *, turns: int = 0) -> NadirPhoto:
    """Cut columns of a GeoTIFF into a JPEG 'photo', optionally turned by quarter turns
    anticlockwise, with the ground lon/lat of its corners."""
    with rasterio.open(tif) as dataset:
        data = dataset.read()[:, :, cols]
        transform, crs = dataset.transform, dataset.crs.to_string()
    rows, width = data.shape[1], data.shape[2]
    col0 = cols.start or 0
    pixel = [(col0, 0), (col0 + width, 0), (col0 + width, rows), (col0, rows)]  # TL TR BR BL
    ground = [transform @ p for p in pixel]
    pixels = np.moveaxis(data, 0, -1)
    pixels = np.rot90(pixels, turns)
    ground = ground[turns % 4:] + ground[:turns % 4]  # the new top-left is the old top-right...
    Image.fromarray(np.ascontiguousarray(pixels)).save(out, "JPEG", quality=90)
    lonlat = to_crs(MultiPoint(ground), crs, "EPSG:4326")
    return NadirPhoto(out, tuple((p.x, p.y) for p in lonlat.geoms))


def test_change_is_found_on_a_flight_of_nadir_photos(tmp_path: Path) -> None:
    before, after, made = pair(tmp_path, 0)
    left = crop_photo(after, tmp_path / "left.jpg", slice(0, 300))
    right = crop_photo(after, tmp_path / "right.jpg", slice(200, 480))
    result = detect_changes(before, [left, right], made.site)
    assert iou(result, made) >= 0.6
    assert result.shift_m == pytest.approx(made.shift_m, abs=0.4)


def test_turned_photo_lands_where_the_upright_one_does(tmp_path: Path) -> None:
    _before, after, made = pair(tmp_path, 0, nuisances=False)
    grid = ground_grid(made.site, 5.0)
    upright = read_on_grid(crop_photo(after, tmp_path / "up.jpg", slice(0, 480)), grid)
    turned = read_on_grid(crop_photo(after, tmp_path / "turn.jpg", slice(0, 480), turns=1),
                          grid)
    both = upright.valid & turned.valid
    assert both.mean() > 0.9
    assert np.abs(upright.rgb[both] - turned.rgb[both]).mean() < 0.03


def test_nadir_photo_corners_from_the_camera() -> None:
    camera = Camera(focal_35mm=24.0, width_px=4000, height_px=3000)
    photo = nadir_photo("p.jpg", lon=121.45, lat=28.68, altitude_m=100.0, camera=camera)
    (tl, tr, br, bl) = photo.corners
    assert tl[0] < 121.45 < tr[0] and tl[1] > 28.68 > bl[1]  # north up, east right
    tan_h, _tan_v = camera.half_tangents()
    _az, _back, width = GEOD.inv(*tl, *tr)
    assert width == pytest.approx(2 * 100.0 * tan_h, rel=1e-3)
    east = nadir_photo("p.jpg", lon=121.45, lat=28.68, altitude_m=100.0, camera=camera,
                       yaw_deg=90.0)
    assert east.corners[0][0] > 121.45 and east.corners[0][1] > 28.68  # top-left: north-east
    assert math.isclose(GEOD.inv(*east.corners[0], *east.corners[1])[2], width, rel_tol=1e-3)


def test_photo_looking_at_the_sky_is_refused() -> None:
    camera = Camera(focal_35mm=24.0, width_px=4000, height_px=3000)
    with pytest.raises(RejectedFile) as caught:
        nadir_photo("sky.jpg", lon=121.45, lat=28.68, altitude_m=100.0, camera=camera,
                    pitch_deg=10.0)
    assert caught.value.name == "sky.jpg" and "没有朝向地面" in caught.value.reason


def test_photo_that_is_not_an_image_is_refused(tmp_path: Path) -> None:
    before, _after, made = pair(tmp_path, 0, change=False, nuisances=False)
    text = tmp_path / "notes.jpg"
    text.write_text("不是照片")
    fake = NadirPhoto(text, ((121.4495, 28.6805), (121.4505, 28.6805), (121.4505, 28.6795),
                             (121.4495, 28.6795)))
    with pytest.raises(RejectedFile) as caught:
        detect_changes(before, [fake], made.site)
    assert caught.value.name == str(text) and "不是 JPEG 或 TIFF 照片" in caught.value.reason


def test_flight_away_from_the_site_is_refused(tmp_path: Path) -> None:
    before, after, made = pair(tmp_path, 0, change=False, nuisances=False)
    photo = crop_photo(after, tmp_path / "p.jpg", slice(0, 200))
    away = NadirPhoto(photo.path, tuple((lon + 0.05, lat) for lon, lat in photo.corners))
    with pytest.raises(RejectedFile) as caught:
        detect_changes(before, [away, away], made.site)
    assert caught.value.name == f"{photo.path} 等 2 张照片"
    assert "没有重叠" in caught.value.reason
