"""Change detection on real GeoTIFF pairs built here: planted changes found among nuisances
(season, light, 1-3 m misregistration, JPEG, a cloud shadow), nothing on unchanged ground."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import rasterio
from PIL import Image
from shapely.geometry import box

from imagery.changes import ChangePolygon, detect_changes
from imagery.changes.grid import to_crs, utm_crs
from imagery.changes.synthetic import site_square, write_rounds
from tests.imagery.change_pairs import GSD_M, SIZE_M, detected, iou, pair, site_area_m2


@pytest.mark.parametrize("seed", [0, 1, 4, 8])
def test_planted_change_is_found_and_outlined(tmp_path: Path, seed: int) -> None:
    before, after, made = pair(tmp_path, seed)
    result = detect_changes(before, after, made.site)
    assert made.planted is not None
    assert iou(result, made) >= 0.6, (made.planted.kind, made.planted.area_m2)


def test_no_change_pair_gives_next_to_nothing(tmp_path: Path) -> None:
    before, after, made = pair(tmp_path, 3, change=False)
    result = detect_changes(before, after, made.site)
    found = sum(g.area for g in detected(result, made.crs))
    assert made.planted is None
    assert found / site_area_m2(made) < 0.02


def test_identical_images_give_nothing_and_no_shift(tmp_path: Path) -> None:
    before, _after, made = pair(tmp_path, 5, change=False, nuisances=False)
    result = detect_changes(before, before, made.site)
    assert result.polygons == []
    assert result.shift_m < 0.05


@pytest.mark.parametrize("seed", [2, 6])
def test_the_misregistration_is_reported(tmp_path: Path, seed: int) -> None:
    before, after, made = pair(tmp_path, seed)
    result = detect_changes(before, after, made.site)
    assert 1.0 <= made.shift_m <= 3.0
    assert result.shift_m == pytest.approx(made.shift_m, abs=0.3)


def test_minimum_area_is_respected(tmp_path: Path) -> None:
    before, after, made = pair(tmp_path, 0)
    assert made.planted is not None
    small = made.planted.area_m2 * 0.5
    default = detect_changes(before, after, made.site)
    assert default.polygons and all(p.area_m2 >= 25.0 for p in default.polygons)
    larger = detect_changes(before, after, made.site, min_area_m2=made.planted.area_m2 * 2)
    assert larger.polygons == []
    middle = detect_changes(before, after, made.site, min_area_m2=small)
    assert all(p.area_m2 >= small for p in middle.polygons)


def test_polygons_are_lonlat_inside_site_and_buffer_with_score_and_thumbnails(
        tmp_path: Path) -> None:
    before, after, made = pair(tmp_path, 1)
    result = detect_changes(before, after, made.site, buffer_m=10.0)
    assert result.polygons
    area = to_crs(made.site, "EPSG:4326", made.crs).buffer(10.0 + 0.5)
    for polygon in result.polygons:
        assert isinstance(polygon, ChangePolygon)
        minx, miny, maxx, maxy = polygon.geometry.bounds
        assert 121 < minx < maxx < 122 and 28 < miny < maxy < 29  # lon/lat
        assert area.contains(to_crs(polygon.geometry, "EPSG:4326", made.crs))
        assert 0.0 <= polygon.score <= 1.0
        for thumb in (polygon.before_thumb, polygon.after_thumb):
            image = Image.open(io.BytesIO(thumb))
            assert image.format == "JPEG" and max(image.size) == 256
    areas = [p.area_m2 for p in result.polygons]
    assert areas == sorted(areas, reverse=True)
    assert result.polygons[0].score > 0.3


def test_changes_outside_site_and_buffer_are_clipped(tmp_path: Path) -> None:
    before, after, made = pair(tmp_path, 4)
    assert made.planted is not None
    planted = to_crs(made.planted.geometry, "EPSG:4326", made.crs)
    minx, miny, maxx, maxy = planted.bounds
    middle = planted.centroid.x
    cut = box(minx - 30, miny - 30, middle, maxy + 30)  # the site ends across the change
    site = to_crs(cut, made.crs, "EPSG:4326")
    result = detect_changes(before, after, site, buffer_m=2.0)
    allowed = cut.buffer(2.0 + 0.5)
    found = [to_crs(p.geometry, "EPSG:4326", made.crs) for p in result.polygons]
    assert found
    assert all(allowed.contains(g) for g in found)
    assert max(g.bounds[2] for g in found) <= middle + 2.5


def test_rounds_for_the_demo_relapse_in_the_third(tmp_path: Path) -> None:
    rounds = [tmp_path / f"round-{i}.tif" for i in range(3)]
    planted = write_rounds(rounds, size_m=SIZE_M, gsd_m=GSD_M, seed=11, change_from=2)
    assert planted is not None and 100 <= planted.area_m2 <= 800
    site = site_square((121.45, 28.68), SIZE_M * 0.7)
    crs = utm_crs(121.45, 28.68)
    quiet = detect_changes(rounds[0], rounds[1], site)
    assert sum(p.area_m2 for p in quiet.polygons) < 0.02 * to_crs(site, "EPSG:4326", crs).area
    relapse = detect_changes(rounds[1], rounds[2], site)
    assert relapse.polygons
    found = to_crs(relapse.polygons[0].geometry, "EPSG:4326", crs)
    truth = to_crs(planted.geometry, "EPSG:4326", crs)
    assert found.intersection(truth).area / found.union(truth).area >= 0.6
    with rasterio.open(rounds[0]) as first:
        assert first.crs == crs.to_string() and first.res == pytest.approx((GSD_M, GSD_M))


def test_rounds_refuse_a_change_in_the_first_round(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="change_from"):
        write_rounds([tmp_path / "a.tif", tmp_path / "b.tif"], change_from=0)
