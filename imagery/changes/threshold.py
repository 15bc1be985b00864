"""The adaptive threshold: Otsu's on the change measure, never below the noise level of the
pair (median plus a multiple of the robust spread) nor an absolute floor, so a pair without
change does not have half of its pixels called changed."""

from __future__ import annotations

import numpy as np
from skimage.filters import threshold_otsu

NOISE_SIGMAS = 6.0
FLOOR = 10.0  # Lab units: below this nobody would call it a change


def change_threshold(magnitude: np.ndarray, region: np.ndarray) -> float:
    """The value above which a pixel of `region` counts as changed."""
    values = magnitude[region]
    if values.size < 16:
        return float("inf")
    median = float(np.median(values))
    spread = 1.4826 * float(np.median(np.abs(values - median)))
    otsu = float(threshold_otsu(values)) if values.max() > values.min() else float("inf")
    return max(otsu, median + NOISE_SIGMAS * spread, FLOOR)
