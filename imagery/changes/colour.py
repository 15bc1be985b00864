"""Colour normalisation: the later image's histograms matched to the earlier one's, over the
pixels both images cover, so a change of light or camera does not read as a change."""

from __future__ import annotations

import numpy as np
from skimage.exposure import match_histograms


def match_colours(after: np.ndarray, before: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """`after` (rows, cols, 3) with each band's histogram matched to `before`'s on `valid`."""
    if not valid.any():
        return after
    matched = after.copy()
    source = after[valid][:, None, :]
    reference = before[valid][:, None, :]
    matched[valid] = match_histograms(source, reference, channel_axis=-1)[:, 0, :]
    return matched
