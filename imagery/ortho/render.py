"""Render orthophoto COGs: web-mercator tiles, clips around a geometry, JPEG previews."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image
from pyproj import Geod
from rasterio.crs import CRS as RasterioCRS
from rasterio.errors import RasterioError
from rio_tiler.errors import RioTilerError, TileOutsideBounds
from rio_tiler.io import Reader
from rio_tiler.models import ImageData
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from imagery.errors import TileOutside
from imagery.ortho.source import Raster, open_raster

WGS84 = RasterioCRS.from_epsg(4326)
WGS84_GEOD = Geod(ellps="WGS84")
STRETCH_PERCENTILES = (2.0, 98.0)
STRETCH_SAMPLE_SIZE = 512
PREVIEW_BACKGROUND = 255  # masked pixels become white in thumbnails
JPEG_QUALITY = 85


@contextmanager
def open_reader(cog: Raster) -> Iterator[Reader]:
    """A rio-tiler Reader over a GeoTIFF opened GTiff-only: a local one with the sealed GDAL,
    a stored object with ranged reads (see `open_raster`)."""
    with open_raster(cog) as dataset, Reader(dataset.name, dataset=dataset) as reader:
        yield reader


def tile_png(cog: Raster, x: int, y: int, z: int, *, size: int = 256) -> bytes:
    """A web-mercator XYZ tile of the orthophoto as PNG, transparent outside the image."""
    with open_reader(cog) as reader:
        indexes = display_bands(reader.dataset.count)
        try:
            image = reader.tile(x, y, z, tilesize=size, indexes=indexes)
        except TileOutsideBounds as error:
            raise TileOutside(f"{cog.name}: tile {z}/{x}/{y} does not overlap it") from error
        return encode_png(to_display(image, stretch_for(cog, reader, indexes)))


def clip_png(
    cog: Raster, geometry: BaseGeometry, *, margin_m: float = 30.0, max_size: int = 1024
) -> bytes:
    """The orthophoto around a lon/lat geometry plus `margin_m` metres, in its own CRS, as PNG."""
    bbox = padded_bounds(geometry, margin_m)
    with open_reader(cog) as reader:
        if not box(*bbox).intersects(box(*reader.get_geographic_bounds(WGS84))):
            raise TileOutside(f"{cog.name}: the clip area does not overlap it")
        indexes = display_bands(reader.dataset.count)
        try:
            image = reader.part(bbox, dst_crs=reader.crs, bounds_crs=WGS84,
                                max_size=max_size, indexes=indexes)
        except (TileOutsideBounds, RasterioError, RioTilerError) as error:
            raise TileOutside(f"{cog.name}: the clip area cannot be read from it") from error
        return encode_png(to_display(image, stretch_for(cog, reader, indexes)))


def preview_jpeg(cog: Raster, *, max_size: int) -> bytes:
    """A small RGB JPEG of the whole orthophoto from its overviews, without metadata."""
    with open_reader(cog) as reader:
        indexes = display_bands(reader.dataset.count)
        image = reader.preview(indexes=indexes, max_size=max_size)
        rgba = to_display(image, stretch_for(cog, reader, indexes))
    rgb = flatten(rgba, PREVIEW_BACKGROUND)
    buffer = io.BytesIO()
    Image.fromarray(rgb, mode="RGB").save(buffer, format="JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue()


def display_bands(count: int) -> tuple[int, ...]:
    """Bands to show: grey for 1-2 bands, else the first three as RGB (alpha is a mask)."""
    return (1,) if count < 3 else (1, 2, 3)


def padded_bounds(geometry: BaseGeometry, margin_m: float) -> tuple[float, float, float, float]:
    """The geometry's lon/lat bounds grown by `margin_m` metres on every side."""
    west, south, east, north = geometry.bounds
    lon, lat = (west + east) / 2, (south + north) / 2
    east_lon, _, _ = WGS84_GEOD.fwd(lon, lat, 90.0, margin_m)
    _, north_lat, _ = WGS84_GEOD.fwd(lon, lat, 0.0, margin_m)
    dlon, dlat = abs(east_lon - lon), abs(north_lat - lat)
    return (max(west - dlon, -180.0), max(south - dlat, -90.0),
            min(east + dlon, 180.0), min(north + dlat, 90.0))


def stretch_for(cog: Raster, reader: Reader,
                indexes: tuple[int, ...]) -> tuple[float, float] | None:
    """The value range mapped to 0..255: None for uint8, else a percentile stretch."""
    if reader.dataset.dtypes[0] == "uint8":
        return None
    if isinstance(cog, Path):
        stat = cog.stat()
        return cached_stretch(cog, (stat.st_mtime_ns, stat.st_size), indexes)
    return cached_stretch(cog, (), indexes)  # a stored object's name says what it holds


@lru_cache(maxsize=64)
def cached_stretch(
    cog: Raster, version: tuple[int, ...], indexes: tuple[int, ...]
) -> tuple[float, float]:
    """The 2nd-98th percentile range of valid pixels, from a small overview read (`version`
    tells a local file's new bytes from its old ones)."""
    with open_reader(cog) as reader:
        sample = reader.preview(indexes=indexes, max_size=STRETCH_SAMPLE_SIZE).array
    valid = sample.compressed()
    valid = valid[np.isfinite(valid)]
    if valid.size == 0:
        return (0.0, 1.0)
    low, high = np.percentile(valid, STRETCH_PERCENTILES)
    return (float(low), float(high) if high > low else float(low) + 1.0)


def to_display(image: ImageData, stretch: tuple[float, float] | None) -> np.ndarray:
    """An (h, w, 4) uint8 RGBA array: bands scaled to 0..255, alpha from the mask."""
    data = image.array.data.astype("float64") if stretch else image.array.data
    if stretch:
        low, high = stretch
        data = np.clip((np.nan_to_num(data, nan=low) - low) / (high - low) * 255.0, 0, 255)
    bands = data.astype("uint8")
    if bands.shape[0] == 1:
        bands = np.repeat(bands, 3, axis=0)
    valid = ~np.ma.getmaskarray(image.array).any(axis=0)
    alpha = np.where(valid, 255, 0).astype("uint8")
    if image.alpha_mask is not None and image.alpha_mask.dtype == np.uint8:
        alpha = np.maximum(alpha, image.alpha_mask)  # keep a source alpha band's soft edges
    return np.dstack([bands[0], bands[1], bands[2], alpha])


def flatten(rgba: np.ndarray, background: int) -> np.ndarray:
    """RGB with transparent pixels painted in a flat background grey level."""
    rgb = rgba[..., :3].copy()
    rgb[rgba[..., 3] == 0] = background
    return rgb


def encode_png(rgba: np.ndarray) -> bytes:
    """Encode an RGBA array as PNG (Pillow writes no metadata chunks by default)."""
    buffer = io.BytesIO()
    Image.fromarray(rgba, mode="RGBA").save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()
