"""GeoTIFFs exported without their projection: a geotransform but no CRS. Such a file is
refused (as a photo it would have no place), unless its owner declares the CRS (`lookback
ingest --crs EPSG:4549`); the declared CRS is then written into a work copy, which the
orthophoto path reads, and the original is kept as it came."""

from __future__ import annotations

import math
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import rasterio
from affine import Affine
from pyproj import CRS
from pyproj.exceptions import CRSError
from rasterio.crs import CRS as RasterioCRS

from imagery.errors import DeclaredCrsError, RejectedFile
from imagery.ortho.gdal import display_name, first_line, open_geotiff, sealed_env

NO_CRS_DECLARED = ("has a geotransform but no CRS (it was exported without its projection), "
                   "so it cannot be placed; declare its CRS with --crs, e.g. `lookback ingest "
                   "FILE --crs EPSG:4549`, or export it again with its projection")


def lacks_crs(path: Path, *, name: str | None = None) -> bool:
    """Whether a TIFF has a usable geotransform but no CRS; only the header is read."""
    label = display_name(path, name)
    try:
        with open_geotiff(path, label) as dataset:
            if dataset.crs is not None and dataset.crs.to_wkt():
                return False
            return _usable(dataset.transform)
    except RejectedFile:
        return False


def _usable(transform: Affine) -> bool:
    return not (transform.is_identity or transform.is_degenerate
                or not all(math.isfinite(v) for v in transform[:6]))


def parse_declared_crs(text: str) -> str:
    """The CRS a person declared (EPSG:4549, 4549, a WKT or PROJ string) as `EPSG:n` when it
    has a code, else as WKT; DeclaredCrsError when PROJ does not know it."""
    value = text.strip()
    try:
        crs = CRS.from_user_input(int(value) if value.isdigit() else value)
    except CRSError as exc:
        raise DeclaredCrsError(text, first_line(exc)) from exc
    code = crs.to_epsg()
    return f"EPSG:{code}" if code else crs.to_wkt()


@contextmanager
def declared(path: Path, crs: str | None, scratch: Path, name: str) -> Iterator[Path]:
    """`path` itself when no CRS is declared; else a work copy carrying `crs` (under the
    file's own name, so refusals still name it), removed afterwards."""
    if crs is None:
        yield path
        return
    folder = scratch / f"declared-crs-{uuid.uuid4().hex}"
    folder.mkdir(parents=True)
    copy = folder / (Path(name).name[-200:] or "orthophoto.tif")
    try:
        shutil.copyfile(path, copy)
        with sealed_env(), rasterio.open(copy, "r+", driver="GTiff") as dataset:
            dataset.crs = RasterioCRS.from_user_input(crs)
        yield copy
    finally:
        shutil.rmtree(folder, ignore_errors=True)
