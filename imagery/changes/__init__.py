"""Change detection between two look-back rounds' images of a site (issue 16).

`detect_changes(before, after, site)` reads both images windowed onto one ground grid,
co-registers them (phase correlation), normalises colour (histogram matching), compares them
in Lab plus texture, thresholds adaptively, cleans up and returns polygons in EPSG:4326 with
their area, score and before/after thumbnails. `imagery.changes.synthetic` builds real
GeoTIFF pairs with planted changes for tests, the benchmark and the demo."""

from imagery.changes.detect import detect_changes
from imagery.changes.nadir import NadirPhoto, nadir_photo
from imagery.changes.result import ChangePolygon, ChangeResult

__all__ = ["ChangePolygon", "ChangeResult", "NadirPhoto", "detect_changes", "nadir_photo"]
