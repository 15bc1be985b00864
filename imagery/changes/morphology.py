"""Clean-up of the changed pixels: opening removes specks, closing joins fragments, holes are
filled, and regions smaller than the minimum area are dropped."""

from __future__ import annotations

import numpy as np
from scipy import ndimage
from skimage.morphology import disk, remove_small_objects


def clean_mask(changed: np.ndarray, gsd: float, min_area_m2: float) -> np.ndarray:
    """The changed pixels after opening (1 m), closing (1.5 m), hole filling and size filter."""
    open_px = max(1, round(1.0 / gsd))
    close_px = max(1, round(1.5 / gsd))
    mask = ndimage.binary_opening(changed, disk(open_px))
    mask = ndimage.binary_closing(mask, disk(close_px))
    mask = ndimage.binary_fill_holes(mask)
    min_px = max(1, int(min_area_m2 / (gsd * gsd)))
    return remove_small_objects(mask, max_size=min_px - 1) if min_px > 1 else mask
