"""The adaptive threshold: Otsu's on the change measure, never below the noise level of the
pair (median plus a multiple of the robust spread) nor an absolute floor, so a pair without
change does not have half of its pixels called changed."""

from __future__ import annotations

import numpy as np
from skimage.filters import apply_hysteresis_threshold, threshold_otsu

NOISE_SIGMAS = 6.0
FLOOR = 10.0  # Lab units: below this nobody would call it a change
GROW = 0.6  # a changed region grows into neighbours above this share of the threshold


def change_threshold(magnitude: np.ndarray, region: np.ndarray) -> float:
    """The value above which a pixel of `region` counts as changed."""
    values = magnitude[region]
    if values.size < 16:
        return float("inf")
    median = float(np.median(values))
    spread = 1.4826 * float(np.median(np.abs(values - median)))
    otsu = float(threshold_otsu(values)) if values.max() > values.min() else float("inf")
    return max(otsu, median + NOISE_SIGMAS * spread, FLOOR)


def changed_pixels(magnitude: np.ndarray, threshold: float, region: np.ndarray) -> np.ndarray:
    """Pixels of `region` above the threshold, grown (hysteresis) into connected pixels above
    GROW times it, so a change is outlined whole and not only its strongest core."""
    if not np.isfinite(threshold):
        return np.zeros_like(region)
    return apply_hysteresis_threshold(np.where(region, magnitude, 0), GROW * threshold,
                                      threshold)
