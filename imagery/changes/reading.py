"""Read one image onto the ground grid: only the window covering the site plus its buffer,
decimated to the analysis resolution as it is read (GDAL uses the overviews when the file has
them), then resampled onto the grid. Memory stays bounded by the grid, not the image."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from affine import Affine
from rasterio.control import GroundControlPoint
from rasterio.enums import Resampling
from rasterio.io import DatasetReader
from rasterio.warp import reproject, transform_bounds
from rasterio.windows import Window, from_bounds
from shapely.geometry import Polygon

from imagery.changes.grid import GroundGrid, to_crs
from imagery.changes.nadir import NadirPhoto, flight_label, is_flight
from imagery.changes.sources import Source, open_photo, open_source, source_label
from imagery.errors import RejectedFile

NO_OVERLAP = "与地块（含缓冲区）没有重叠"
Flight = NadirPhoto | Sequence[NadirPhoto]
THREADS = 2


@dataclass(frozen=True)
class GridImage:
    """An image on the ground grid: RGB in 0..1 (rows, cols, 3) and where it has data."""

    rgb: np.ndarray  # float32
    valid: np.ndarray  # bool
    label: str


def read_on_grid(source: Source | Flight, grid: GroundGrid) -> GridImage:
    """Read `source` (a raster, or drone nadir photos) over `grid`; refuse it when it does not
    cover the site."""
    if is_flight(source):
        return read_flight(source, grid)
    label = source_label(source)
    with open_source(source) as dataset:
        window, out_shape = grid_window(dataset, grid, label)
        bands = [1, 2, 3] if dataset.count >= 3 else [1]
        data = dataset.read(bands, window=window, out_shape=(len(bands), *out_shape),
                            resampling=Resampling.average)
        mask = dataset.dataset_mask(window=window, out_shape=out_shape)
        src_transform = dataset.window_transform(window) @ Affine.scale(
            window.width / out_shape[1], window.height / out_shape[0])
        rgb, valid = onto_grid(data, mask, src_transform, dataset.crs, grid)
    if not (valid & grid.area_mask).any():
        raise RejectedFile(label, NO_OVERLAP)
    if rgb.shape[2] == 1:
        rgb = np.repeat(rgb, 3, axis=2)
    return GridImage(unit_scale(rgb, valid, data.dtype), valid, label)


def grid_window(dataset: DatasetReader, grid: GroundGrid,
                label: str) -> tuple[Window, tuple[int, int]]:
    """The pixel window of `dataset` under the grid, and the decimated shape to read it at."""
    left, bottom, right, top = transform_bounds(grid.rio_crs, dataset.crs, *grid.bounds,
                                                densify_pts=21)
    window = from_bounds(left, bottom, right, top, dataset.transform)
    col0 = max(0, math.floor(min(window.col_off, window.col_off + window.width)))
    row0 = max(0, math.floor(min(window.row_off, window.row_off + window.height)))
    col1 = min(dataset.width, math.ceil(max(window.col_off, window.col_off + window.width)))
    row1 = min(dataset.height, math.ceil(max(window.row_off, window.row_off + window.height)))
    if col1 - col0 < 2 or row1 - row0 < 2:
        raise RejectedFile(label, NO_OVERLAP)
    window = Window(col0, row0, col1 - col0, row1 - row0)
    grid_px = (right - left) / grid.width  # one grid pixel, in the dataset's units
    factor = max(1.0, grid_px / abs(dataset.transform.a))
    out_shape = (max(2, math.ceil(window.height / factor)),
                 max(2, math.ceil(window.width / factor)))
    return window, out_shape


def onto_grid(data: np.ndarray, mask: np.ndarray, src_transform: Affine, src_crs: object,
              grid: GroundGrid) -> tuple[np.ndarray, np.ndarray]:
    """Resample bands (bilinear) and their mask (nearest) onto the grid."""
    rgb = np.zeros((data.shape[0], *grid.shape), dtype="float32")
    reproject(data.astype("float32"), rgb, src_transform=src_transform, src_crs=src_crs,
              dst_transform=grid.transform, dst_crs=grid.rio_crs,
              resampling=Resampling.bilinear, num_threads=THREADS)
    valid = np.zeros(grid.shape, dtype="uint8")
    reproject(mask.astype("uint8"), valid, src_transform=src_transform, src_crs=src_crs,
              dst_transform=grid.transform, dst_crs=grid.rio_crs,
              resampling=Resampling.nearest, num_threads=THREADS)
    return np.moveaxis(rgb, 0, -1), valid > 0


def unit_scale(rgb: np.ndarray, valid: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Values brought to 0..1: 8-bit by 255, others by their 1st-99th percentiles."""
    if np.dtype(dtype) == np.uint8:
        return np.clip(rgb / 255.0, 0, 1).astype("float32")
    values = rgb[valid]
    if values.size == 0:
        return np.zeros_like(rgb)
    low, high = np.percentile(values, [1, 99])
    return np.clip((rgb - low) / max(high - low, 1e-6), 0, 1).astype("float32")


def read_flight(source: Flight, grid: GroundGrid) -> GridImage:
    """Drone nadir photos warped onto the grid through their corners, mosaicked in order."""
    photos = [source] if isinstance(source, NadirPhoto) else list(source)
    rgb = np.zeros((*grid.shape, 3), dtype="float32")
    valid = np.zeros(grid.shape, dtype=bool)
    for photo in photos:
        photo_rgb, photo_valid = photo_on_grid(photo, grid)
        fresh = photo_valid & ~valid
        rgb[fresh] = photo_rgb[fresh]
        valid |= fresh
    label = flight_label(source)
    if not (valid & grid.area_mask).any():
        raise RejectedFile(label, NO_OVERLAP)
    return GridImage(rgb, valid, label)


def photo_on_grid(photo: NadirPhoto, grid: GroundGrid) -> tuple[np.ndarray, np.ndarray]:
    """One photo on the grid (0..1 RGB) and where it lands, read decimated to about the
    grid's resolution."""
    label = str(photo.path)
    with open_photo(photo.path, label) as dataset:
        side_m = ground_side_m(photo, grid)
        photo_gsd = side_m / max(dataset.width, dataset.height)
        factor = max(1.0, grid.gsd / photo_gsd)
        out_shape = (max(2, math.ceil(dataset.height / factor)),
                     max(2, math.ceil(dataset.width / factor)))
        bands = [1, 2, 3] if dataset.count >= 3 else [1]
        data = dataset.read(bands, out_shape=(len(bands), *out_shape),
                            resampling=Resampling.average)
    rows, cols = out_shape
    pixel_corners = ((0, 0), (0, cols), (rows, cols), (rows, 0))
    gcps = [GroundControlPoint(row, col, lon, lat)
            for (row, col), (lon, lat) in zip(pixel_corners, photo.corners, strict=True)]
    rgb = np.zeros((len(bands), *grid.shape), dtype="float32")
    reproject(data.astype("float32"), rgb, gcps=gcps, src_crs="EPSG:4326",
              dst_transform=grid.transform, dst_crs=grid.rio_crs,
              resampling=Resampling.bilinear, num_threads=THREADS)
    valid = np.zeros(grid.shape, dtype="uint8")
    reproject(np.full(out_shape, 255, dtype="uint8"), valid, gcps=gcps, src_crs="EPSG:4326",
              dst_transform=grid.transform, dst_crs=grid.rio_crs,
              resampling=Resampling.nearest, num_threads=THREADS)
    rgb = np.moveaxis(rgb, 0, -1)
    if rgb.shape[2] == 1:
        rgb = np.repeat(rgb, 3, axis=2)
    inside = valid > 0
    return unit_scale(rgb, inside, data.dtype), inside


def ground_side_m(photo: NadirPhoto, grid: GroundGrid) -> float:
    """The longer side of the photo's ground quadrilateral, metres."""
    corners = to_crs(Polygon(photo.corners), "EPSG:4326", grid.crs).exterior.coords
    return max(math.dist(corners[i], corners[i + 1]) for i in range(4))
