"""The ground grid of a site, and the fallbacks of the change-detection steps."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from shapely.geometry import Point, Polygon

from imagery.changes import detect_changes
from imagery.changes.grid import DEFAULT_GSD_M, MAX_GRID_PIXELS, ground_grid, to_crs, utm_crs
from imagery.changes.threshold import change_threshold, changed_pixels
from imagery.changes.thumbs import THUMB_PX, thumbnail


def square_site(side_m: float) -> Polygon:
    """A square site of `side_m` at the demo centre, EPSG:4326."""
    crs = utm_crs(121.45, 28.68)
    centre = to_crs(Point(121.45, 28.68), "EPSG:4326", crs)
    return to_crs(centre.buffer(side_m / 2, cap_style="square"), crs, "EPSG:4326")


def test_grid_covers_site_and_buffer_at_half_a_metre() -> None:
    grid = ground_grid(square_site(100.0), buffer_m=20.0)
    assert grid.crs.to_epsg() == 32651  # UTM 51N at lon 121.45
    assert grid.gsd == DEFAULT_GSD_M
    assert grid.width == grid.height == pytest.approx(280, abs=2)  # 100 + 2 x 20 m, rounded
    assert grid.area_mask.sum() * grid.gsd**2 == pytest.approx(grid.area.area, rel=0.02)


def test_large_site_is_analysed_coarser_within_the_pixel_budget() -> None:
    grid = ground_grid(square_site(4000.0), buffer_m=20.0)
    assert grid.gsd > DEFAULT_GSD_M
    assert grid.width * grid.height <= MAX_GRID_PIXELS * 1.01


def test_empty_site_is_refused_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="地块几何为空"):
        detect_changes(tmp_path / "a.tif", tmp_path / "b.tif", Polygon())


def test_threshold_of_too_few_pixels_marks_nothing() -> None:
    magnitude = np.full((10, 10), 50.0, dtype="float32")
    region = np.zeros((10, 10), dtype=bool)
    region[0, :5] = True
    threshold = change_threshold(magnitude, region)
    assert threshold == float("inf")
    assert not changed_pixels(magnitude, threshold, region).any()


def test_threshold_is_never_below_the_floor_on_flat_ground() -> None:
    rng = np.random.default_rng(0)
    magnitude = rng.normal(2.0, 0.3, (100, 100)).astype("float32")
    region = np.ones((100, 100), dtype=bool)
    threshold = change_threshold(magnitude, region)
    assert threshold >= 10.0
    assert not changed_pixels(magnitude, threshold, region).any()


def test_thumbnail_of_an_image_gone_meanwhile_is_blank_not_an_error(tmp_path: Path) -> None:
    grid = ground_grid(square_site(60.0), buffer_m=5.0)
    region = grid.area.centroid.buffer(6.0)
    data = thumbnail(tmp_path / "gone.tif", region, grid)
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.size == (THUMB_PX, THUMB_PX)
    assert np.asarray(image).mean() < 20  # black, the outline aside


def test_package_exports_load_on_demand_and_unknown_names_fail() -> None:
    import imagery.changes as changes

    assert changes.detect_changes is detect_changes
    with pytest.raises(AttributeError, match="no_such_name"):
        changes.no_such_name  # noqa: B018
