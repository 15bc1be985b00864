"""Where a stored orthophoto is read from: a local file, or an object in S3-compatible storage
that GDAL reads with ranged requests (/vsis3/), only the blocks a tile needs."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import rasterio
from rasterio.errors import NotGeoreferencedWarning, RasterioIOError
from rasterio.io import DatasetReader
from rasterio.session import AWSSession

from imagery.errors import StoreUnavailable
from imagery.ortho.gdal import first_line, open_geotiff
from imagery.store.base import Raster, RemoteRaster

# GDAL reads the one object it is given (no listing for side-cars, no PAM writes) over HTTP.
REMOTE_GDAL_OPTIONS: dict[str, str] = {
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
    "GDAL_PAM_ENABLED": "NO",
    "GDAL_GEOREF_SOURCES": "INTERNAL",
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".tif",
    "GDAL_HTTP_TIMEOUT": "30",
    "GDAL_HTTP_CONNECTTIMEOUT": "5",
    "GDAL_HTTP_MAX_RETRY": "2",
    "GDAL_HTTP_MERGE_CONSECUTIVE_RANGES": "YES",
    "GDAL_HTTP_MULTIPLEX": "YES",
    "VSI_CACHE": "TRUE",
}


__all__ = ["Raster", "RemoteRaster", "open_raster"]


@contextmanager
def open_raster(raster: Raster) -> Iterator[DatasetReader]:
    """Open a stored GeoTIFF: a local one in the sealed environment, a remote one over the
    network with its store's options."""
    if isinstance(raster, Path):
        with open_geotiff(raster, raster.name) as dataset:
            yield dataset
        return
    options = dict(raster.options)
    session = AWSSession(aws_access_key_id=raster.access_key,
                         aws_secret_access_key=raster.secret_key,
                         region_name=options.get("AWS_REGION"),
                         endpoint_url=options.get("AWS_S3_ENDPOINT"))
    with rasterio.Env(session=session, **REMOTE_GDAL_OPTIONS, **options):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", NotGeoreferencedWarning)
                dataset = rasterio.open(raster.vsi_path, driver="GTiff")
        except RasterioIOError as error:
            raise StoreUnavailable(
                "unreadable", f"{raster.store}: cannot read {raster.name} ({first_line(error)})",
                store=raster.store, name=raster.name, endpoint=raster.endpoint,
                reason=first_line(error)) from error
        with dataset:
            yield dataset
