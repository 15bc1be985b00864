"""Inspect an uploaded GeoTIFF from its header: size, CRS, footprint, ground resolution."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from affine import Affine
from pyproj import CRS, Geod, Transformer
from pyproj.exceptions import ProjError
from rasterio.errors import RasterioError
from rasterio.io import DatasetReader
from shapely.geometry import Polygon
from shapely.geometry.polygon import orient

from imagery.errors import RejectedFile
from imagery.limits import ORTHO_PIXELS, too_many_pixels
from imagery.ortho.gdal import display_name, first_line, open_geotiff

MAX_ORTHO_PIXELS = ORTHO_PIXELS
MAX_ORTHO_BANDS = 16
EDGE_POINTS = 21
ACCEPTED_DTYPES = frozenset(
    {"uint8", "int8", "uint16", "int16", "uint32", "int32", "float32", "float64"}
)
NO_CRS = "has no CRS (not georeferenced); orthophotos must be GeoTIFFs with a CRS"
WGS84_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class OrthoInfo:
    """What an orthophoto's header says: size, bands, CRS, footprint and ground resolution."""

    width: int
    height: int
    band_count: int
    dtype: str
    crs: str
    footprint: Polygon
    resolution_m: float


def inspect_geotiff(
    path: Path, *, name: str | None = None, max_pixels: int = MAX_ORTHO_PIXELS
) -> OrthoInfo:
    """Check that `path` is an acceptable georeferenced GeoTIFF and describe it."""
    label = display_name(path, name)
    with open_geotiff(path, label) as dataset:
        check_size(dataset, label, max_pixels)
        check_georeferenced(dataset, label)
        check_complete(dataset, path, label)
        to_lonlat = lonlat_transformer(dataset, label)
        footprint = footprint_lonlat(dataset, to_lonlat, label)
        return OrthoInfo(
            width=dataset.width,
            height=dataset.height,
            band_count=dataset.count,
            dtype=dataset.dtypes[0],
            crs=crs_label(dataset),
            footprint=footprint,
            resolution_m=ground_resolution(dataset.transform, dataset, to_lonlat),
        )


def is_georeferenced(path: Path, *, name: str | None = None) -> bool:
    """Whether a TIFF has a CRS and a geotransform (an orthophoto rather than a photo); only
    the header is read, whatever the raster's size."""
    label = display_name(path, name)
    try:
        with open_geotiff(path, label) as dataset:
            check_georeferenced(dataset, label)
    except RejectedFile:
        return False
    return True


def check_size(dataset: DatasetReader, label: str, max_pixels: int) -> None:
    """Refuse rasters too large, with too many bands, or of an unsupported data type."""
    if reason := too_many_pixels(dataset.width, dataset.height, max_pixels, "orthophotos"):
        raise RejectedFile(label, reason)
    if dataset.count < 1 or dataset.count > MAX_ORTHO_BANDS:
        raise RejectedFile(label, f"has {dataset.count} bands; 1 to {MAX_ORTHO_BANDS} allowed")
    if dataset.dtypes[0] not in ACCEPTED_DTYPES:
        raise RejectedFile(label, f"has pixel type {dataset.dtypes[0]}, which is not supported")


def check_georeferenced(dataset: DatasetReader, label: str) -> None:
    """Refuse rasters without a CRS or with only an identity / degenerate transform."""
    if dataset.crs is None or not dataset.crs.to_wkt():
        raise RejectedFile(label, NO_CRS)
    transform = dataset.transform
    if transform.is_identity or transform == Affine.identity():
        raise RejectedFile(label, "has a CRS but no geotransform (not georeferenced)")
    if transform.is_degenerate or not all(math.isfinite(v) for v in transform[:6]):
        raise RejectedFile(label, "has a degenerate geotransform")


def check_complete(dataset: DatasetReader, path: Path, label: str) -> None:
    """Refuse a file whose image blocks point past its end (a truncated upload)."""
    size = path.stat().st_size
    for band in sorted({1, dataset.count}):
        end = last_block_end(dataset, band, label)
        if end > size:
            raise RejectedFile(
                label, f"is truncated: image data runs to byte {end:,} but the file has {size:,}"
            )


def last_block_end(dataset: DatasetReader, band: int, label: str) -> int:
    """The largest offset + length of any block of `band`, from the TIFF tile/strip tables."""
    block_h, block_w = dataset.block_shapes[band - 1]
    rows = math.ceil(dataset.height / block_h)
    cols = math.ceil(dataset.width / block_w)
    end = 0
    try:
        for row in range(rows):
            for col in range(cols):
                offset = dataset.get_tag_item(f"BLOCK_OFFSET_{col}_{row}", "TIFF", bidx=band)
                length = dataset.get_tag_item(f"BLOCK_SIZE_{col}_{row}", "TIFF", bidx=band)
                end = max(end, int(offset or 0) + int(length or 0))
    except (RasterioError, ValueError) as error:
        raise RejectedFile(label, f"has an unreadable block table ({first_line(error)})") from error
    return end


def crs_label(dataset: DatasetReader) -> str:
    """'EPSG:nnnn' when the CRS has an EPSG code, else its WKT."""
    code = dataset.crs.to_epsg()
    return f"EPSG:{code}" if code else dataset.crs.to_wkt()


def lonlat_transformer(dataset: DatasetReader, label: str) -> Transformer:
    """A transformer from the raster's CRS to lon/lat (EPSG:4326, x=lon)."""
    try:
        return cached_lonlat_transformer(dataset.crs.to_wkt())
    except ProjError as error:
        raise RejectedFile(label, f"has a CRS PROJ cannot use ({first_line(error)})") from error


@lru_cache(maxsize=32)
def cached_lonlat_transformer(wkt: str) -> Transformer:
    """Build (once per CRS: PROJ takes ~0.1 s to plan it) a transformer to lon/lat."""
    return Transformer.from_crs(CRS.from_wkt(wkt), "EPSG:4326", always_xy=True)


def edge_pixels(width: int, height: int, per_side: int = EDGE_POINTS) -> tuple[np.ndarray, ...]:
    """Pixel (col, row) points around the raster's outline, clockwise from the top-left."""
    # Each side runs corner to corner; its last point is the next side's first, so drop it.
    cols = np.linspace(0, width, per_side)[:-1]
    rows = np.linspace(0, height, per_side)[:-1]
    n = per_side - 1
    xs = np.concatenate([cols, np.full(n, width), width - cols, np.zeros(n)])
    ys = np.concatenate([np.zeros(n), rows, np.full(n, height), height - rows])
    return xs, ys


def footprint_lonlat(dataset: DatasetReader, to_lonlat: Transformer, label: str) -> Polygon:
    """The raster's outline in EPSG:4326, densified along each edge, counter-clockwise."""
    cols, rows = edge_pixels(dataset.width, dataset.height)
    xs, ys = dataset.transform @ (cols, rows)
    lons, lats = to_lonlat.transform(np.asarray(xs), np.asarray(ys), errcheck=False)
    lons, lats = np.asarray(lons), np.asarray(lats)
    inside = np.isfinite(lons) & np.isfinite(lats) & (np.abs(lons) <= 180) & (np.abs(lats) <= 90)
    if not inside.all():
        raise RejectedFile(label, "has a footprint outside the Earth (check its CRS and origin)")
    polygon = Polygon(zip(lons.tolist(), lats.tolist(), strict=True))
    if not polygon.is_valid or polygon.area == 0:
        raise RejectedFile(label, "has a footprint that is not a simple polygon "
                                  "(it may cross the antimeridian or a pole)")
    return orient(polygon, sign=1.0)


def ground_resolution(transform: Affine, dataset: DatasetReader, to_lonlat: Transformer) -> float:
    """Mean ground size in metres of one pixel at the raster's centre."""
    col, row = dataset.width / 2, dataset.height / 2
    points = [transform @ (col, row), transform @ (col + 1, row), transform @ (col, row + 1)]
    lons, lats = to_lonlat.transform(*zip(*points, strict=True))
    _, _, across = WGS84_GEOD.inv(lons[0], lats[0], lons[1], lats[1])
    _, _, down = WGS84_GEOD.inv(lons[0], lats[0], lons[2], lats[2])
    return float((across + down) / 2)
