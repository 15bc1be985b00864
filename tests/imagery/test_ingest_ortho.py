"""Orthophotos: a GeoTIFF becomes a COG in the store, with its footprint and covered sites."""

from __future__ import annotations

import io
from pathlib import Path

import rasterio
from PIL import Image
from pyproj import Transformer
from shapely.geometry import shape

from imagery.orthophoto import tile_png
from tests.imagery.rasters import write_geotiff, write_plain_tiff


def _over_landfill(path: Path, **kwargs: object) -> Path:
    """A 512 x 512 raster at 0.5 m (256 m square) centred on the landfill LF1."""
    x, y = Transformer.from_crs(4326, 4549, always_xy=True).transform(121.415, 28.711)
    return write_geotiff(path, width=512, height=512, origin=(x - 128, y + 128), **kwargs)


def test_orthophoto_is_stored_as_cog_and_linked(run_ingest, ctx, files: Path) -> None:  # noqa: ANN001
    [result] = run_ingest(_over_landfill(files / "ortho.tif"))
    assert (result.status, result.kind, result.location_source) == ("stored", "orthophoto",
                                                                      "raster")
    assert (round(result.lon, 4), round(result.lat, 4)) == (121.415, 28.711)
    assert result.covered_sites == ["LF1"]
    footprint = shape(result.footprint)
    assert footprint.contains(shape({"type": "Point", "coordinates": (121.415, 28.711)}))
    cog = ctx.store.path(result.sha256, "cog.tif")
    with rasterio.open(cog) as src:
        assert src.crs.to_epsg() == 4549
        assert src.block_shapes[0] == (512, 512)  # tiled, not striped
    thumb = Image.open(io.BytesIO(ctx.store.read(result.sha256, "256.jpg")))
    assert max(thumb.size) == 256
    # z17 tile holding the landfill: the web map will draw it.
    png = Image.open(io.BytesIO(tile_png(cog, 109741, 54615, 17)))
    assert png.size == (256, 256)


def test_detected_automatically_only_when_georeferenced(run_ingest, files: Path) -> None:  # noqa: ANN001
    ortho, plain = run_ingest(_over_landfill(files / "o.tif"), write_plain_tiff(files / "p.tif"))
    assert (ortho.kind, plain.kind) == ("orthophoto", "field")


def test_geotiff_without_crs_as_orthophoto_is_rejected(run_ingest, files: Path) -> None:  # noqa: ANN001
    [result] = run_ingest(write_plain_tiff(files / "p.tif"), kind="orthophoto")
    assert result.status == "rejected"
    assert "has no CRS" in result.reason


def test_vrt_named_tif_is_rejected(run_ingest, files: Path) -> None:  # noqa: ANN001
    target = _over_landfill(files / "real.tif")
    vrt = files / "fake.tif"
    vrt.write_text(f'<VRTDataset rasterXSize="1" rasterYSize="1"><VRTRasterBand band="1">'
                   f"<SimpleSource><SourceFilename>{target}</SourceFilename></SimpleSource>"
                   "</VRTRasterBand></VRTDataset>")
    [result] = run_ingest(vrt, kind="orthophoto")
    assert result.status == "rejected"
    assert "not a JPEG, PNG, TIFF" in result.reason
