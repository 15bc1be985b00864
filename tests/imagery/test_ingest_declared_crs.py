"""A GeoTIFF exported without its projection (a geotransform, no CRS) is refused with the
reason, naming the file; with a declared CRS it becomes an orthophoto like any other."""

from __future__ import annotations

from pathlib import Path

import pytest
import rasterio
import sqlalchemy as sa
from pyproj import Transformer

from imagery.errors import DeclaredCrsError
from imagery.ortho.declared_crs import lacks_crs, parse_declared_crs
from imagery.store import sha256_of
from tests.imagery.rasters import write_geotiff, write_plain_tiff

REASON = ("has a geotransform but no CRS (it was exported without its projection), so it "
          "cannot be placed; declare its CRS with --crs, e.g. `lookback ingest FILE --crs "
          "EPSG:4549`, or export it again with its projection")


def _without_crs(path: Path) -> Path:
    """A 512 x 512 raster at 0.5 m over the landfill LF1, its origin in EPSG:4549 metres,
    saved without the CRS."""
    x, y = Transformer.from_crs(4326, 4549, always_xy=True).transform(121.415, 28.711)
    return write_geotiff(path, crs=None, width=512, height=512, origin=(x - 128, y + 128))


def _photo_count(ctx) -> int:  # noqa: ANN001
    with ctx.engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM photos")).scalar_one()


@pytest.mark.parametrize("kind", ["auto", "orthophoto"])
def test_a_geotiff_without_crs_is_refused_with_the_reason(run_ingest, ctx, files: Path,  # noqa: ANN001
                                                          kind: str) -> None:
    path = _without_crs(files / "正射影像.tif")
    assert lacks_crs(path)
    [result] = run_ingest(path, kind=kind)
    assert (result.status, result.reason) == ("rejected", REASON)
    assert result.file == str(path)
    assert _photo_count(ctx) == 0
    assert [p for p in ctx.store.scratch_dir().rglob("*") if p.is_file()] == []


def test_with_a_declared_crs_it_is_an_orthophoto(run_ingest, ctx, files: Path) -> None:  # noqa: ANN001
    path = _without_crs(files / "正射影像.tif")
    [result] = run_ingest(path, crs="EPSG:4549")
    assert (result.status, result.kind, result.location_source) == ("stored", "orthophoto",
                                                                      "raster")
    assert (round(result.lon, 4), round(result.lat, 4)) == (121.415, 28.711)
    assert result.covered_sites == ["LF1"]
    assert result.sha256 == sha256_of(path.read_bytes())  # the original, as it came
    with rasterio.open(ctx.store.path(result.sha256, "cog.tif")) as cog:
        assert cog.crs.to_epsg() == 4549
    assert ctx.store.read(result.sha256, "original") == path.read_bytes()
    assert [p for p in ctx.store.scratch_dir().rglob("*") if p.is_file()] == []


def test_a_declared_crs_leaves_files_with_their_own_crs_and_photos_alone(
        run_ingest, ctx, files: Path) -> None:  # noqa: ANN001
    own = write_geotiff(files / "own.tif")  # EPSG:4549 over the demo centre
    plain = write_plain_tiff(files / "plain.tif")
    ortho, photo = run_ingest(own, plain, crs="EPSG:3857")
    assert (ortho.kind, round(ortho.lon, 2), round(ortho.lat, 2)) == ("orthophoto", 121.45,
                                                                       28.68)
    with rasterio.open(ctx.store.path(ortho.sha256, "cog.tif")) as cog:
        assert cog.crs.to_epsg() == 4549
    assert (photo.status, photo.kind) == ("stored", "field")
    assert not lacks_crs(own) and not lacks_crs(plain)


@pytest.mark.parametrize(("text", "parsed"), [("EPSG:4549", "EPSG:4549"), ("4490", "EPSG:4490"),
                                              (" epsg:4326 ", "EPSG:4326")])
def test_declared_crs_is_parsed(text: str, parsed: str) -> None:
    assert parse_declared_crs(text) == parsed


def test_an_unknown_declared_crs_is_refused() -> None:
    with pytest.raises(DeclaredCrsError) as info:
        parse_declared_crs("EPSG:999999")
    assert str(info.value).startswith("--crs 'EPSG:999999': not a CRS PROJ knows (")
