"""What change detection reads: only the window of the site (memory bounded), GDAL virtual
paths, and clear Chinese refusals naming the file for what it cannot use."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pytest
import rasterio
from affine import Affine
from rasterio.io import MemoryFile
from shapely.geometry import Point

from imagery.changes import detect_changes
from imagery.changes.grid import ground_grid, to_crs, utm_crs
from imagery.changes.reading import read_on_grid
from imagery.errors import RejectedFile
from tests.imagery import rasters
from tests.imagery.change_pairs import pair

CENTRE = (rasters.CENTRE_LON, rasters.CENTRE_LAT)


def small_site(radius_m: float = 15.0, centre: tuple[float, float] = CENTRE):
    """A round site of `radius_m` around a lon/lat, in EPSG:4326."""
    crs = utm_crs(*centre)
    middle = to_crs(Point(*centre), "EPSG:4326", crs)
    return to_crs(middle.buffer(radius_m), crs, "EPSG:4326")


def write_large(path: Path, side: int = 4000, gsd: float = 0.05) -> Path:
    """An uncompressed, tiled 3-band GeoTIFF of side x side px around the demo centre."""
    crs = utm_crs(*CENTRE)
    x, y = to_crs(Point(*CENTRE), "EPSG:4326", crs).coords[0]
    profile = {"driver": "GTiff", "width": side, "height": side, "count": 3, "dtype": "uint8",
               "crs": crs.to_string(), "tiled": True, "blockxsize": 256, "blockysize": 256,
               "transform": Affine(gsd, 0, x - side * gsd / 2, 0, -gsd, y + side * gsd / 2)}
    with rasterio.open(path, "w", **profile) as dst:
        for row in range(0, side, 250):
            rows = np.arange(row, row + 250)[:, None]
            block = ((rows + np.arange(side)[None, :]) % 200 + 30).astype("uint8")
            dst.write(np.stack([block] * 3), window=((row, row + 250), (0, side)))
    return path


def test_reading_is_windowed_and_decimated(tmp_path: Path) -> None:
    big = write_large(tmp_path / "big.tif")  # 48 MB of pixels
    grid = ground_grid(small_site(), buffer_m=20.0)
    tracemalloc.start()
    try:
        image = read_on_grid(big, grid)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert image.rgb.shape == (*grid.shape, 3)
    assert image.valid[grid.area_mask].all()
    assert peak < 4_000_000  # the whole image would be 48 MB


def test_gdal_virtual_path_is_read(tmp_path: Path) -> None:
    before, after, made = pair(tmp_path, 0)
    with MemoryFile(before.read_bytes()) as first, MemoryFile(after.read_bytes()) as second:
        assert first.name.startswith("/vsimem/")
        result = detect_changes(first.name, second.name, made.site)
    assert result.polygons


def assert_refused(before: Path | str, after: Path | str, site, label: str, words: str) -> None:
    """detect_changes refuses with a Chinese reason containing `words`, naming `label`."""
    with pytest.raises(RejectedFile) as caught:
        detect_changes(before, after, site)
    assert caught.value.name == label
    assert label in str(caught.value)
    assert words in caught.value.reason


def test_not_a_raster_is_refused_naming_the_file(tmp_path: Path) -> None:
    good = rasters.write_geotiff(tmp_path / "good.tif", crs="EPSG:4549", width=200, height=200)
    text = tmp_path / "notes.tif"
    text.write_text("这不是影像\n")
    assert_refused(good, text, small_site(), str(text), "不是栅格影像")
    png = rasters.write_png_named_tif(tmp_path / "photo.tif")
    assert_refused(png, good, small_site(), str(png), "PNG")


def test_missing_file_is_refused(tmp_path: Path) -> None:
    good = rasters.write_geotiff(tmp_path / "good.tif", crs="EPSG:4549")
    missing = tmp_path / "gone.tif"
    assert_refused(good, missing, small_site(), str(missing), "文件不存在")


def test_raster_without_crs_is_refused(tmp_path: Path) -> None:
    good = rasters.write_geotiff(tmp_path / "good.tif", crs="EPSG:4549")
    bare = rasters.write_geotiff(tmp_path / "bare.tif", crs=None)
    assert_refused(bare, good, small_site(), str(bare), "没有坐标参考系")
    plain = rasters.write_plain_tiff(tmp_path / "plain.tif")
    assert_refused(good, plain, small_site(), str(plain), "没有坐标参考系")


def test_raster_elsewhere_is_refused_for_no_overlap(tmp_path: Path) -> None:
    good = rasters.write_geotiff(tmp_path / "good.tif", crs="EPSG:4549")
    far_site = small_site(centre=(CENTRE[0] + 0.05, CENTRE[1]))
    assert_refused(good, good, far_site, str(good), "没有重叠")


def test_virtual_path_that_does_not_exist_is_refused() -> None:
    path = "/vsimem/lookback-missing.tif"
    assert_refused(path, path, small_site(), path, "无法作为栅格影像读取")


def test_grey_and_16_bit_images_are_compared(tmp_path: Path) -> None:
    grey = rasters.write_geotiff(tmp_path / "grey.tif", bands=1, width=300, height=300)
    deep = rasters.write_geotiff(tmp_path / "deep.tif", dtype="uint16", width=300, height=300)
    result = detect_changes(grey, deep, small_site())
    assert result.shift_m < 1.0


def test_images_covering_different_parts_of_the_site_are_refused(tmp_path: Path) -> None:
    x, y = rasters.projected_centre()
    west = rasters.write_geotiff(tmp_path / "west.tif", width=200, height=400,
                                 origin=(x - 100.0, y + 100.0))
    east = rasters.write_geotiff(tmp_path / "east.tif", width=200, height=400,
                                 origin=(x + 60.0, y + 100.0))
    site = small_site(radius_m=70.0)
    with pytest.raises(RejectedFile) as caught:
        detect_changes(west, east, site, buffer_m=0.0)
    assert caught.value.name == str(east)
    assert "没有共同覆盖" in caught.value.reason
