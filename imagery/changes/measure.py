"""The change measure: change vector analysis in CIE Lab (lightness down-weighted, so shade
and light weigh less than a change of colour), plus a texture change (local contrast).

Before measuring, the difference vector's smooth background (its median over a window larger
than the changes sought) is taken out: what a cloud shadow, haze or an uneven exposure adds
spreads over more ground than a dump pile, and goes with it."""

from __future__ import annotations

import math

import numpy as np
from scipy import ndimage
from skimage.color import rgb2lab

LIGHTNESS_WEIGHT = 0.4  # a shadow or light change mostly moves L
TEXTURE_WEIGHT = 1.0  # per unit of local standard deviation of L
SMOOTH_PX = 1.0  # smoothing before comparing: JPEG blocks, sub-pixel misregistration
TEXTURE_M = 2.5  # side of the window for local contrast, metres
BACKGROUND_M = 60.0  # window of the difference's background median, metres
BACKGROUND_CELL_M = 4.0  # the background is computed on cells this large


def local_contrast(lightness: np.ndarray, size_px: int) -> np.ndarray:
    """Standard deviation of L in a `size_px` window."""
    mean = ndimage.uniform_filter(lightness, size_px)
    square = ndimage.uniform_filter(lightness * lightness, size_px)
    return np.sqrt(np.clip(square - mean * mean, 0, None))


def background(delta: np.ndarray, valid: np.ndarray, gsd: float) -> np.ndarray:
    """The smooth part of a difference image: means of the valid pixels in cells, cells
    without data filled from the nearest cell with data, a wide median, back to full size."""
    cell = max(1, round(BACKGROUND_CELL_M / gsd))
    rows, cols = (math.ceil(n / cell) for n in delta.shape)
    sums = np.zeros((rows * cell, cols * cell), dtype="float64")
    counts = np.zeros_like(sums)
    sums[:delta.shape[0], :delta.shape[1]] = np.where(valid, delta, 0.0)
    counts[:delta.shape[0], :delta.shape[1]] = valid
    counts = counts.reshape(rows, cell, cols, cell).sum(axis=(1, 3))
    blocks = sums.reshape(rows, cell, cols, cell).sum(axis=(1, 3)) / np.maximum(counts, 1)
    empty = counts < cell * cell / 4
    if empty.all():
        return np.zeros_like(delta)
    if empty.any():
        nearest = ndimage.distance_transform_edt(empty, return_distances=False,
                                                 return_indices=True)
        blocks = blocks[tuple(nearest)]
    size = max(3, round(BACKGROUND_M / (cell * gsd)) | 1)
    smooth = ndimage.median_filter(blocks, size=size, mode="nearest")
    full = ndimage.zoom(smooth, cell, order=1, grid_mode=True, mode="nearest")
    return full[:delta.shape[0], :delta.shape[1]].astype("float32")


def change_magnitude(before: np.ndarray, after: np.ndarray, valid: np.ndarray,
                     gsd: float) -> np.ndarray:
    """Per-pixel change between two co-registered, colour-matched RGB images (0..1)."""
    lab_b = rgb2lab(ndimage.gaussian_filter(before, (SMOOTH_PX, SMOOTH_PX, 0)))
    lab_a = rgb2lab(ndimage.gaussian_filter(after, (SMOOTH_PX, SMOOTH_PX, 0)))
    delta = lab_a - lab_b
    for band in range(3):
        delta[..., band] -= background(delta[..., band], valid, gsd)
    colour = np.sqrt((LIGHTNESS_WEIGHT * delta[..., 0]) ** 2 + delta[..., 1] ** 2
                     + delta[..., 2] ** 2)
    size = max(3, round(TEXTURE_M / gsd))
    texture = np.abs(local_contrast(rgb2lab(after)[..., 0], size)
                     - local_contrast(rgb2lab(before)[..., 0], size))
    return ndimage.gaussian_filter(colour + TEXTURE_WEIGHT * texture, 1.5).astype("float32")
