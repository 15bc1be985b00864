"""Orthophoto intake and rendering, on small GeoTIFFs built in each test."""

from __future__ import annotations

import io
from pathlib import Path

import morecantile
import numpy as np
import pytest
import rasterio
from PIL import Image
from pyproj import Geod
from shapely.geometry import Point

from imagery.errors import RejectedFile, TileOutside
from imagery.orthophoto import (
    OrthoInfo,
    clip_png,
    inspect_geotiff,
    preview_jpeg,
    tile_png,
    to_cog,
)
from tests.imagery import rasters

# rasterio 1.4 still multiplies Affine matrices with `*`, which affine 3 flags as pending.
pytestmark = pytest.mark.filterwarnings("ignore:Use `@` matmul:PendingDeprecationWarning")

WEB_MERCATOR = morecantile.tms.get("WebMercatorQuad")
GEOD = Geod(ellps="WGS84")


def decode(data: bytes) -> Image.Image:
    """Open PNG/JPEG bytes with Pillow."""
    return Image.open(io.BytesIO(data))


def opaque_fraction(png: bytes) -> float:
    """The share of a PNG's pixels whose alpha is fully opaque."""
    image = decode(png)
    assert image.mode == "RGBA"
    return float((np.asarray(image)[..., 3] == 255).mean())


@pytest.fixture(scope="module")
def cog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 256 x 256, 0.5 m EPSG:4549 orthophoto (128 m square) centred on the demo point, as COG."""
    folder = tmp_path_factory.mktemp("cog")
    source = rasters.write_geotiff(folder / "source.tif")
    to_cog(source, folder / "ortho.tif")
    return folder / "ortho.tif"


# --- the test raster helper ---------------------------------------------------------------


def test_demo_centre_in_cgcs2000_gauss_kruger_120e() -> None:
    x, y = rasters.projected_centre("EPSG:4549")
    # lon 121.45 is 1.45 degrees east of the 120E central meridian: about 141.7 km + 500 km.
    assert x == pytest.approx(641_727.6, abs=1.0)
    assert y == pytest.approx(3_174_663.5, abs=1.0)


# --- inspect_geotiff ----------------------------------------------------------------------


def test_inspect_projected_geotiff(tmp_path: Path) -> None:
    info = inspect_geotiff(rasters.write_geotiff(tmp_path / "ortho.tif"))

    assert isinstance(info, OrthoInfo)
    assert (info.width, info.height, info.band_count, info.dtype) == (256, 256, 3, "uint8")
    assert info.crs == "EPSG:4549"
    # 256 px * 0.5 m = 128 m a side; Gauss-Kruger stretches grid metres by ~1.00025 at 141 km
    # from the central meridian, so the ground is a little smaller: 0.49988 m, 16,376 m^2.
    assert info.resolution_m == pytest.approx(0.5, abs=0.001)
    area, _ = GEOD.geometry_area_perimeter(info.footprint)
    assert area == pytest.approx(128 * 128, rel=0.002)
    assert area > 0  # counter-clockwise exterior
    assert info.footprint.centroid.x == pytest.approx(121.45, abs=1e-6)
    assert info.footprint.centroid.y == pytest.approx(28.68, abs=1e-6)
    assert len(info.footprint.exterior.coords) == 4 * 20 + 1  # 21 a side, corners shared


def test_inspect_geographic_geotiff(tmp_path: Path) -> None:
    path = rasters.write_geotiff(tmp_path / "wgs84.tif", crs="EPSG:4326", pixel_size=0.00001)

    info = inspect_geotiff(path)

    assert info.crs == "EPSG:4326"
    # 128 px of 0.00001 degrees either side of (121.45, 28.68).
    west, south, east, north = info.footprint.bounds
    assert (west, east) == pytest.approx((121.44872, 121.45128), abs=1e-9)
    assert (south, north) == pytest.approx((28.67872, 28.68128), abs=1e-9)
    # 0.00001 degrees: 0.977 m east-west (cos 28.68) and 1.108 m north-south; mean 1.04 m.
    assert info.resolution_m == pytest.approx(1.04, abs=0.01)


def test_inspect_names_the_upload_in_errors(tmp_path: Path) -> None:
    path = rasters.write_plain_tiff(tmp_path / "a1b2c3.tif")

    with pytest.raises(RejectedFile) as caught:
        inspect_geotiff(path, name="drone-2024-05.tif")

    assert str(caught.value).startswith("drone-2024-05.tif: ")
    assert caught.value.name == "drone-2024-05.tif"


def write_rejects(kind: str, folder: Path) -> tuple[Path, dict]:
    """Build one unacceptable file; returns it and extra inspect_geotiff arguments."""
    good = rasters.write_geotiff(folder / "good.tif")
    builders = {
        "plain tiff": lambda p: rasters.write_plain_tiff(p),
        "vrt": lambda p: rasters.write_vrt_named_tif(p, good),
        "png": rasters.write_png_named_tif,
        "jpeg": rasters.write_jpeg_named_tif,
        "envi header": rasters.write_envi_header_named_tif,
        "truncated": lambda p: rasters.truncate_half(rasters.write_geotiff(p)),
        "too many pixels": lambda p: rasters.write_geotiff(p),
        "too many bands": lambda p: rasters.write_geotiff(p, bands=17, width=32, height=32),
        "off the earth": lambda p: rasters.write_geotiff(p, origin=(9e7, 9e7)),
        "empty": lambda p: p.write_bytes(b"") and p,
    }
    path = folder / "upload.tif"
    builders[kind](path)
    extra = {"max_pixels": 200 * 200} if kind == "too many pixels" else {}
    return path, extra


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("plain tiff", "has no CRS (not georeferenced); orthophotos must be GeoTIFFs with a CRS"),
        ("vrt", "is not a GeoTIFF (the file looks like VRT)"),
        ("png", "is not a GeoTIFF (the file looks like PNG)"),
        ("jpeg", "is not a GeoTIFF (the file looks like JPEG)"),
        ("envi header", "is not a GeoTIFF (the file looks like an ENVI header)"),
        ("truncated", "is truncated: image data runs to byte"),
        ("too many pixels", "is 256 x 256 = 65,536 pixels, more than the 40,000 allowed for "
                            "orthophotos"),
        ("too many bands", "has 17 bands; 1 to 16 allowed"),
        ("off the earth", "has a footprint outside the Earth"),
        ("empty", "is not a GeoTIFF (the file looks like an unknown format)"),
    ],
)
def test_inspect_rejects(tmp_path: Path, kind: str, reason: str) -> None:
    path, extra = write_rejects(kind, tmp_path)

    with pytest.raises(RejectedFile) as caught:
        inspect_geotiff(path, **extra)

    assert caught.value.reason.startswith(reason)
    assert caught.value.name == "upload.tif"


@pytest.mark.parametrize(
    "path",
    [Path("/vsicurl/http://example.invalid/a.tif"), Path("/vsizip/x.zip/a.tif")],
)
def test_inspect_rejects_gdal_virtual_paths(path: Path) -> None:
    with pytest.raises(RejectedFile, match="only local files are accepted"):
        inspect_geotiff(path)


def test_inspect_rejects_a_folder(tmp_path: Path) -> None:
    with pytest.raises(RejectedFile, match="is not a regular local file"):
        inspect_geotiff(tmp_path)


def test_inspect_rejects_crs_without_geotransform(tmp_path: Path) -> None:
    path = tmp_path / "upload.tif"
    profile = {"driver": "GTiff", "width": 8, "height": 8, "count": 1, "dtype": "uint8",
               "crs": "EPSG:4549"}
    with rasters.ungeoreferenced(), rasterio.open(path, "w", **profile) as dst:
        dst.write(np.ones((1, 8, 8), dtype="uint8"))

    with pytest.raises(RejectedFile, match="not georeferenced"):
        inspect_geotiff(path)


# --- to_cog -------------------------------------------------------------------------------


def test_to_cog_writes_a_tiled_cog_with_overviews(tmp_path: Path) -> None:
    source = rasters.write_geotiff(tmp_path / "source.tif", width=1024, height=1024)
    target = tmp_path / "ortho.tif"
    target.write_bytes(b"old contents are replaced")

    to_cog(source, target)

    with rasterio.open(source) as src, rasterio.open(target) as out:
        assert out.tags(ns="IMAGE_STRUCTURE")["LAYOUT"] == "COG"
        assert out.overviews(1) == [2]  # 1024 px over 512 px tiles: one overview level
        assert out.profile["tiled"] and out.block_shapes[0] == (512, 512)
        assert out.crs == src.crs and out.transform == src.transform  # not reprojected
        assert np.array_equal(out.read(), src.read())  # DEFLATE is lossless
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ortho.tif", "source.tif"]


def test_to_cog_refuses_a_rejected_file_and_writes_nothing(tmp_path: Path) -> None:
    source = rasters.write_plain_tiff(tmp_path / "source.tif")

    with pytest.raises(RejectedFile, match="has no CRS"):
        to_cog(source, tmp_path / "ortho.tif")

    assert [p.name for p in tmp_path.iterdir()] == ["source.tif"]


# --- tile_png -----------------------------------------------------------------------------


def test_tile_covering_the_raster_edge_is_partly_transparent(cog: Path) -> None:
    # At zoom 17 a tile is ~268 m wide at lat 28.68, so the 128 m raster fills a part of it.
    tile = WEB_MERCATOR.tile(121.45, 28.68, 17)

    fraction = opaque_fraction(tile_png(cog, tile.x, tile.y, 17))

    assert 0.05 < fraction < 0.95


def test_tile_inside_the_raster_is_opaque(cog: Path) -> None:
    # At zoom 20 a tile is ~33.5 m wide: wholly inside the 128 m square around the centre.
    tile = WEB_MERCATOR.tile(121.45, 28.68, 20)

    png = tile_png(cog, tile.x, tile.y, 20, size=512)

    assert decode(png).size == (512, 512)
    assert opaque_fraction(png) == 1.0


def test_tile_far_away_raises_tile_outside(cog: Path) -> None:
    tile = WEB_MERCATOR.tile(116.39, 39.91, 17)  # Beijing

    with pytest.raises(TileOutside, match="does not overlap"):
        tile_png(cog, tile.x, tile.y, 17)


# --- clip_png -----------------------------------------------------------------------------


def test_clip_around_a_point_inside(cog: Path) -> None:
    png = clip_png(cog, Point(121.45, 28.68), margin_m=30.0)

    # 30 m either side = 60 m at 0.5 m a pixel: about 120 x 120, in the raster's own CRS.
    width, height = decode(png).size
    assert width == pytest.approx(120, abs=3) and height == pytest.approx(120, abs=3)
    assert opaque_fraction(png) == 1.0


def test_clip_is_limited_to_max_size(cog: Path) -> None:
    png = clip_png(cog, Point(121.45, 28.68), margin_m=30.0, max_size=50)

    assert max(decode(png).size) == 50


def test_clip_on_the_edge_is_half_transparent(cog: Path) -> None:
    east_edge, _, _ = GEOD.fwd(121.45, 28.68, 90.0, 64.0)  # the raster is 128 m wide

    fraction = opaque_fraction(clip_png(cog, Point(east_edge, 28.68), margin_m=30.0))

    assert fraction == pytest.approx(0.5, abs=0.05)


def test_clip_far_away_raises_tile_outside(cog: Path) -> None:
    with pytest.raises(TileOutside, match="does not overlap"):
        clip_png(cog, Point(121.60, 28.68))


# --- preview_jpeg -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bands", "dtype"),
    [(1, "uint8"), (3, "uint8"), (4, "uint8"), (1, "uint16"), (3, "float32")],
)
def test_preview_is_a_small_rgb_jpeg(tmp_path: Path, bands: int, dtype: str) -> None:
    source = rasters.write_geotiff(tmp_path / "source.tif", bands=bands, dtype=dtype)
    to_cog(source, tmp_path / "ortho.tif")

    image = decode(preview_jpeg(tmp_path / "ortho.tif", max_size=64))

    assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (64, 64))
    assert "exif" not in image.info and not image.getexif()
    pixels = np.asarray(image).astype(int)
    assert 60 < pixels[:, 20:].mean() < 200  # the pattern spans 20..239, stretched or not


def test_preview_paints_rgba_transparency_white(tmp_path: Path) -> None:
    source = rasters.write_geotiff(tmp_path / "source.tif", bands=4)  # left quarter alpha 0
    to_cog(source, tmp_path / "ortho.tif")

    pixels = np.asarray(decode(preview_jpeg(tmp_path / "ortho.tif", max_size=64))).astype(int)

    assert pixels[:, :14].min() >= 245  # JPEG blurs the edge; columns 0..13 stay white
    assert pixels[:, 20:].mean() < 200


def test_renderers_refuse_non_geotiffs(tmp_path: Path) -> None:
    fake = rasters.write_png_named_tif(tmp_path / "ortho.tif")

    with pytest.raises(RejectedFile, match="is not a GeoTIFF"):
        preview_jpeg(fake, max_size=64)


def test_inspect_accepts_bigtiff(tmp_path: Path) -> None:
    source = rasters.write_geotiff(tmp_path / "source.tif", width=64, height=64)
    big = tmp_path / "big.tif"
    with rasterio.open(source) as src, rasterio.open(big, "w", **src.profile, BIGTIFF="YES") as out:
        out.write(src.read())

    assert big.read_bytes()[:4] == b"II+\x00"
    assert inspect_geotiff(big).crs == "EPSG:4549"


def test_inspect_ignores_side_car_georeferencing(tmp_path: Path) -> None:
    path = rasters.write_plain_tiff(tmp_path / "upload.tif")
    # GDAL would normally take a CRS and transform from these; the sealed env must not.
    (tmp_path / "upload.tif.aux.xml").write_text(
        "<PAMDataset><SRS>EPSG:4549</SRS>"
        "<GeoTransform>641000, 0.5, 0, 3174000, 0, -0.5</GeoTransform></PAMDataset>"
    )
    (tmp_path / "upload.tfw").write_text("0.5\n0\n0\n-0.5\n641000\n3174000\n")

    with pytest.raises(RejectedFile, match="has no CRS"):
        inspect_geotiff(path)
