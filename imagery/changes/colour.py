"""Colour normalisation of the later image to the earlier one: first an even illumination
(the local brightness gain, the median ratio over a window wider than the changes sought,
taken out: cloud shadows, haze, uneven exposure), then histogram matching over the pixels both
images cover, so a change of light, season or camera does not read as a change."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from imagery.changes.measure import background

EPSILON = 0.02
BINS = 64
MIN_BIN = 20  # pixels a bin needs for its median to count
MIN_STABLE = 1000  # fewer stable pixels than this: measure on all valid ones


def even_illumination(after: np.ndarray, before: np.ndarray, valid: np.ndarray,
                      gsd: float) -> np.ndarray:
    """`after` divided by its smooth brightness gain against `before` (one gain for all bands:
    shade is grey, a change of colour is left to the histogram matching and the measure)."""
    log_ratio = np.log((after.mean(axis=2) + EPSILON) / (before.mean(axis=2) + EPSILON))
    gain = np.exp(-background(log_ratio, valid, gsd))[..., None]
    return np.clip((after + EPSILON) * gain - EPSILON, 0, 1).astype("float32")


def match_histogram(values: np.ndarray, source: np.ndarray, reference: np.ndarray
                    ) -> np.ndarray:
    """`values` mapped through the tone curve that takes `source` to `reference`, two
    co-registered samples of the same pixels: in each of BINS bins of `source`, the median of
    `reference` (monotone; bins with too few pixels interpolated). Matching pixel pairs, not
    two separate histograms, keeps the curve right when a change or a season alters how much
    of each kind of ground there is. Beyond the measured ends values move with the ends."""
    index = np.clip((source * BINS).astype(int), 0, BINS - 1)
    counts = np.bincount(index, minlength=BINS)
    medians = np.asarray(ndimage.median(reference, index, np.arange(BINS)), dtype="float64")
    centres = (np.arange(BINS) + 0.5) / BINS
    known = counts >= MIN_BIN
    if known.sum() < 2:
        return values
    curve = np.maximum.accumulate(medians[known])
    xs = centres[known]
    mapped = np.interp(values, xs, curve)
    mapped = np.where(values > xs[-1], values - xs[-1] + curve[-1], mapped)
    return np.where(values < xs[0], values - xs[0] + curve[0], mapped)


def match_colours(after: np.ndarray, before: np.ndarray, valid: np.ndarray, gsd: float,
                  stable: np.ndarray | None = None) -> np.ndarray:
    """`after` (rows, cols, 3) evenly lit and histogram-matched to `before` on `valid`, the
    gains and histograms measured on `stable` (by default `valid`): the pixels not already
    known to have changed, so a large bright change does not light up its surroundings."""
    stable = valid if stable is None or stable.sum() < MIN_STABLE else stable
    if not stable.any():
        return after
    matched = even_illumination(after, before, stable, gsd)
    for band in range(matched.shape[2]):
        channel = matched[..., band]
        channel[valid] = match_histogram(channel[valid], channel[stable],
                                         before[..., band][stable])
    return matched
