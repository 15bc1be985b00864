"""A stored GeoTIFF as a path a raster reader opens itself: a local file's path, or an object
store's /vsis3/ path inside a GDAL environment that reaches the store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import rasterio
from rasterio.session import AWSSession

from imagery.ortho.source import REMOTE_GDAL_OPTIONS
from imagery.store.base import Raster


@contextmanager
def raster_path(raster: Raster) -> Iterator[str]:
    """The path to hand to rasterio while the context lasts."""
    if isinstance(raster, Path):
        yield str(raster)
        return
    options = dict(raster.options)
    session = AWSSession(aws_access_key_id=raster.access_key,
                         aws_secret_access_key=raster.secret_key,
                         region_name=options.get("AWS_REGION"),
                         endpoint_url=options.get("AWS_S3_ENDPOINT"))
    with rasterio.Env(session=session, **REMOTE_GDAL_OPTIONS, **options):
        yield raster.vsi_path
