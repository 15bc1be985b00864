"""The change measure: change vector analysis in CIE Lab (lightness down-weighted, so shade
and light weigh less than a change of colour), plus a texture change (local contrast)."""

from __future__ import annotations

import numpy as np
from scipy import ndimage
from skimage.color import rgb2lab

LIGHTNESS_WEIGHT = 0.4  # a shadow or light change mostly moves L
TEXTURE_WEIGHT = 0.5  # per unit of local standard deviation of L
SMOOTH_PX = 1.0  # smoothing before comparing: JPEG blocks, sub-pixel misregistration
TEXTURE_PX = 5  # side of the window for local contrast


def local_contrast(lightness: np.ndarray) -> np.ndarray:
    """Standard deviation of L in a TEXTURE_PX window."""
    mean = ndimage.uniform_filter(lightness, TEXTURE_PX)
    square = ndimage.uniform_filter(lightness * lightness, TEXTURE_PX)
    return np.sqrt(np.clip(square - mean * mean, 0, None))


def change_magnitude(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Per-pixel change between two co-registered, colour-matched RGB images (0..1)."""
    lab_b = rgb2lab(ndimage.gaussian_filter(before, (SMOOTH_PX, SMOOTH_PX, 0)))
    lab_a = rgb2lab(ndimage.gaussian_filter(after, (SMOOTH_PX, SMOOTH_PX, 0)))
    delta = lab_a - lab_b
    colour = np.sqrt((LIGHTNESS_WEIGHT * delta[..., 0]) ** 2 + delta[..., 1] ** 2
                     + delta[..., 2] ** 2)
    texture = np.abs(local_contrast(rgb2lab(after)[..., 0])
                     - local_contrast(rgb2lab(before)[..., 0]))
    return ndimage.gaussian_filter(colour + TEXTURE_WEIGHT * texture, 1.5).astype("float32")
