"""Change detection between two look-back rounds' images of a site (issue 16).

`detect_changes(before, after, site)` reads both images windowed onto one ground grid,
co-registers them (phase correlation), normalises colour (histogram matching), compares them
in Lab plus texture, thresholds adaptively, cleans up and returns polygons in EPSG:4326 with
their area, score and before/after thumbnails. `imagery.changes.synthetic` builds real
GeoTIFF pairs with planted changes for tests, the benchmark and the demo.

The names are loaded on first use (scikit-image and scipy.signal take a second or more to
import), so importing `imagery.changes.synthetic` or this package costs nothing until
detection runs."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from imagery.changes.detect import detect_changes
    from imagery.changes.nadir import NadirPhoto, nadir_photo
    from imagery.changes.result import ChangePolygon, ChangeResult

__all__ = ["ChangePolygon", "ChangeResult", "NadirPhoto", "detect_changes", "nadir_photo"]

_HOMES = {"ChangePolygon": "result", "ChangeResult": "result", "NadirPhoto": "nadir",
          "nadir_photo": "nadir", "detect_changes": "detect"}


def __getattr__(name: str) -> object:
    """Load an exported name from its module the first time it is asked for."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"imagery.changes.{_HOMES[name]}"), name)
