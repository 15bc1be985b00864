"""Colour normalisation of the later image to the earlier one: first an even illumination
(the local brightness gain, the median ratio over a window wider than the changes sought,
taken out: cloud shadows, haze, uneven exposure), then histogram matching over the pixels both
images cover, so a change of light, season or camera does not read as a change."""

from __future__ import annotations

import numpy as np
from skimage.exposure import match_histograms

from imagery.changes.measure import background

EPSILON = 0.02


def even_illumination(after: np.ndarray, before: np.ndarray, valid: np.ndarray,
                      gsd: float) -> np.ndarray:
    """`after` divided by its smooth brightness gain against `before` (one gain for all bands:
    shade is grey, a change of colour is left to the histogram matching and the measure)."""
    log_ratio = np.log((after.mean(axis=2) + EPSILON) / (before.mean(axis=2) + EPSILON))
    gain = np.exp(-background(log_ratio, valid, gsd))[..., None]
    return np.clip((after + EPSILON) * gain - EPSILON, 0, 1).astype("float32")


def match_colours(after: np.ndarray, before: np.ndarray, valid: np.ndarray,
                  gsd: float) -> np.ndarray:
    """`after` (rows, cols, 3) evenly lit and histogram-matched to `before` on `valid`."""
    if not valid.any():
        return after
    matched = even_illumination(after, before, valid, gsd)
    source = matched[valid][:, None, :]
    reference = before[valid][:, None, :]
    matched[valid] = match_histograms(source, reference, channel_axis=-1)[:, 0, :]
    return matched
