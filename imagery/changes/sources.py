"""Open the two images compared: local GeoTIFFs (GDAL sealed off from the network and side
files), GDAL virtual paths such as /vsis3/... (opened as given, in the caller's rasterio.Env),
or rasters of the file store. Every refusal is a RejectedFile with a Chinese reason naming
the file."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import rasterio
from rasterio.errors import NotGeoreferencedWarning, RasterioIOError
from rasterio.io import DatasetReader

from imagery.errors import RejectedFile
from imagery.ortho.gdal import TIFF_MAGICS, first_line, sealed_env, sniff_format
from imagery.ortho.source import open_raster
from imagery.store.base import RemoteRaster

Source = Path | str | RemoteRaster

VIRTUAL_PREFIXES = ("/vsi",)


def source_label(source: Source) -> str:
    """The name of an image in error messages: its path as given, or its stored name."""
    if isinstance(source, RemoteRaster):
        return source.name
    return str(source)


@contextmanager
def open_source(source: Source) -> Iterator[DatasetReader]:
    """Open one image for reading; refuse what is not a georeferenced raster."""
    label = source_label(source)
    if isinstance(source, RemoteRaster):
        with open_raster(source) as dataset:
            check_georeferenced(dataset, label)
            yield dataset
        return
    text = str(source)
    if not text.startswith(VIRTUAL_PREFIXES):
        check_local(Path(text), label)
    with sealed_env() if not text.startswith(VIRTUAL_PREFIXES) else rasterio.Env():
        dataset = open_dataset(text, label)
        with dataset:
            check_georeferenced(dataset, label)
            yield dataset


def open_dataset(path: str, label: str) -> DatasetReader:
    """rasterio.open, its failure turned into a refusal."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NotGeoreferencedWarning)
            return rasterio.open(path)
    except RasterioIOError as error:
        raise RejectedFile(label, f"无法作为栅格影像读取（{first_line(error)}）") from error


def check_local(path: Path, label: str) -> None:
    """Refuse a missing file, a folder, or a file that is not a TIFF."""
    if not path.exists():
        raise RejectedFile(label, "文件不存在")
    if not path.is_file():
        raise RejectedFile(label, "不是文件（可能是文件夹）")
    with path.open("rb") as handle:
        head = handle.read(64)
    if head[:4] not in TIFF_MAGICS:
        raise RejectedFile(label, f"不是栅格影像（GeoTIFF），内容看起来是 {sniff_format(head)}")


def check_georeferenced(dataset: DatasetReader, label: str) -> None:
    """Refuse a raster without a CRS or a geotransform: it cannot be put on the ground."""
    if dataset.crs is None:
        raise RejectedFile(label, "没有坐标参考系（CRS），无法与地块对齐")
    if dataset.transform.is_identity:
        raise RejectedFile(label, "没有地理变换参数（未做地理配准），无法与地块对齐")
    if dataset.count < 1:
        raise RejectedFile(label, "没有波段")


PHOTO_MAGICS = (b"\xff\xd8\xff", *TIFF_MAGICS)


@contextmanager
def open_photo(path: Path | str, label: str) -> Iterator[DatasetReader]:
    """Open a drone photo (JPEG or TIFF, a local file) for reading its pixels."""
    local = Path(path)
    if not local.exists():
        raise RejectedFile(label, "文件不存在")
    if not local.is_file():
        raise RejectedFile(label, "不是文件（可能是文件夹）")
    with local.open("rb") as handle:
        head = handle.read(64)
    if not head.startswith(PHOTO_MAGICS):
        raise RejectedFile(label, f"不是 JPEG 或 TIFF 照片，内容看起来是 {sniff_format(head)}")
    with sealed_env(), warnings.catch_warnings():
        warnings.simplefilter("ignore", NotGeoreferencedWarning)
        dataset = open_dataset(str(local), label)
        with dataset:
            yield dataset
