"""Co-registration: the shift of the later image against the earlier one, found by phase
correlation of their edge images (robust to light and season), and applied to the later one."""

from __future__ import annotations

import numpy as np
from scipy import ndimage
from skimage.filters import window
from skimage.registration import phase_cross_correlation

from imagery.changes.reading import GridImage

MAX_SHIFT_M = 15.0  # a larger shift means the match failed: the images are left as they are


def edges(rgb: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Gradient magnitude of the smoothed grey image, zero outside the data, Hann-windowed."""
    grey = ndimage.gaussian_filter(rgb.mean(axis=2), 1.0)
    magnitude = np.hypot(ndimage.sobel(grey, 0), ndimage.sobel(grey, 1))
    magnitude = np.where(valid, magnitude, 0.0)
    magnitude -= magnitude[valid].mean() if valid.any() else 0.0
    magnitude[~valid] = 0.0
    return magnitude * window("hann", magnitude.shape)


def find_shift(before: GridImage, after: GridImage, gsd: float) -> tuple[float, float]:
    """(rows, cols) to move the later image by so it lies on the earlier one."""
    shift, _error, _phase = phase_cross_correlation(
        edges(before.rgb, before.valid), edges(after.rgb, after.valid),
        upsample_factor=10, normalization=None)
    if float(np.hypot(*shift)) * gsd > MAX_SHIFT_M:
        return 0.0, 0.0
    return float(shift[0]), float(shift[1])


def apply_shift(image: GridImage, shift: tuple[float, float]) -> GridImage:
    """The image moved by (rows, cols) pixels; what moves in from outside is invalid."""
    if shift == (0.0, 0.0):
        return image
    rgb = ndimage.shift(image.rgb, (*shift, 0), order=3, mode="nearest")
    valid = ndimage.shift(image.valid.astype("float32"), shift, order=1, cval=0.0) > 0.99
    return GridImage(np.clip(rgb, 0, 1).astype("float32"), valid, image.label)
