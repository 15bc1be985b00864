"""Convert an accepted GeoTIFF to a Cloud-Optimized GeoTIFF, written atomically."""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

import rasterio
import rasterio.shutil
from rasterio.errors import RasterioError

from imagery.errors import RejectedFile
from imagery.ortho.gdal import display_name, first_line, open_geotiff
from imagery.ortho.inspect import inspect_geotiff

# GDAL COG driver creation options: 512 px internal tiles, overviews down to one tile,
# lossless DEFLATE with a predictor, BigTIFF only when the output may exceed 4 GB.
COG_OPTIONS: dict[str, str] = {
    "COMPRESS": "DEFLATE",
    "PREDICTOR": "YES",
    "BLOCKSIZE": "512",
    "OVERVIEWS": "IGNORE_EXISTING",
    "OVERVIEW_RESAMPLING": "AVERAGE",
    "BIGTIFF": "IF_SAFER",
    "NUM_THREADS": "2",
}
# GDAL's block cache while converting, in MB. The driver works through the raster a strip of
# tiles at a time, so memory stays near this whatever the size (a 30000 x 30000 px raster
# took 1.6 GB with GDAL's default of 5 % of RAM, about 90 MB above the process with this).
COG_CACHE_MB = 128


def to_cog(src: Path, dst: Path) -> None:
    """Write `src` (an accepted GeoTIFF) to `dst` as a COG in the same CRS, atomically."""
    inspect_geotiff(src)
    label = display_name(src, None)
    temporary = dst.parent / f".{dst.name}.{uuid.uuid4().hex}.partial"
    try:
        write_cog(src, temporary, label)
        fsync_file(temporary)
        os.replace(temporary, dst)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def write_cog(src: Path, dst: Path, label: str) -> None:
    """Copy `src` into a new COG file `dst` with GDAL's COG driver, in bounded memory."""
    with open_geotiff(src, label) as dataset, rasterio.Env(GDAL_CACHEMAX=COG_CACHE_MB):
        try:
            rasterio.shutil.copy(dataset, dst, driver="COG", **COG_OPTIONS)
        except RasterioError as error:
            raise RejectedFile(label, f"could not be converted ({first_line(error)})") from error


def fsync_file(path: Path) -> None:
    """Flush a written file to disk so the later rename publishes complete bytes."""
    with path.open("rb") as handle:
        os.fsync(handle.fileno())
