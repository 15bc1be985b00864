"""Orthophotos (正射影像): accept GeoTIFFs, convert to COG, render tiles, clips and previews."""

from imagery.ortho.cog import to_cog
from imagery.ortho.inspect import MAX_ORTHO_BANDS, MAX_ORTHO_PIXELS, OrthoInfo, inspect_geotiff
from imagery.ortho.render import clip_png, preview_jpeg, tile_png

__all__ = [
    "MAX_ORTHO_BANDS",
    "MAX_ORTHO_PIXELS",
    "OrthoInfo",
    "clip_png",
    "inspect_geotiff",
    "preview_jpeg",
    "tile_png",
    "to_cog",
]
