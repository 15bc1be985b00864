"""Open local GeoTIFFs with GDAL sealed off from the network and from sibling files."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import rasterio
from rasterio.errors import NotGeoreferencedWarning, RasterioIOError
from rasterio.io import DatasetReader

from imagery.errors import RejectedFile

# GDAL may only read the one file it is given: no directory listing (so no .aux.xml, .ovr,
# .msk, world files), no PAM side-car writes, no HTTP, no external georeferencing.
SEALED_GDAL_OPTIONS: dict[str, str | int | bool] = {
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
    "GDAL_PAM_ENABLED": "NO",
    "GDAL_GEOREF_SOURCES": "INTERNAL",
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".lookback-no-remote-access",
    "GDAL_HTTP_TIMEOUT": 1,
    "GDAL_HTTP_MAX_RETRY": 0,
    "GDAL_HTTP_PROXY": "127.0.0.1:9",
    "CPL_VSIL_CURL_USE_HEAD": "NO",
    "GTIFF_REPORT_COMPD_CS": "NO",
}

TIFF_MAGICS = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")

# Leading bytes of formats people rename to .tif, so the refusal can say what the file is.
KNOWN_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"<VRTDataset", "VRT"),
    (b"<?xml", "XML"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"EHFA_HEADER_TAG", "ERDAS Imagine (HFA)"),
    (b"ENVI", "an ENVI header"),
    (b"\x00\x00\x00\x0cjP", "JPEG 2000"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"%PDF", "PDF"),
    (b"BM", "BMP"),
)


def display_name(path: Path, name: str | None) -> str:
    """The name to put in error messages: the caller's name, else the file name."""
    return name if name else path.name


def sniff_format(head: bytes) -> str:
    """A human name for the format a file's first bytes suggest."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    for signature, label in KNOWN_SIGNATURES:
        if stripped.startswith(signature):
            return label
    if stripped.startswith(b"<"):
        return "XML/text"
    return "an unknown format"


def check_local_file(path: Path, name: str) -> None:
    """Refuse anything that is not a plain local file: GDAL virtual paths, URLs, folders."""
    text = str(path)
    if text.startswith("/vsi") or "://" in text or text.startswith(("http:", "https:")):
        raise RejectedFile(name, "only local files are accepted, not GDAL virtual paths or URLs")
    if not path.is_file():
        raise RejectedFile(name, "is not a regular local file")


def check_tiff_magic(path: Path, name: str) -> None:
    """Refuse a file whose first bytes are not a TIFF or BigTIFF header."""
    with path.open("rb") as handle:
        head = handle.read(64)
    if head[:4] not in TIFF_MAGICS:
        raise RejectedFile(name, f"is not a GeoTIFF (the file looks like {sniff_format(head)})")


@contextmanager
def sealed_env() -> Iterator[None]:
    """A rasterio.Env in which GDAL cannot reach the network or other files."""
    with rasterio.Env(**SEALED_GDAL_OPTIONS):
        yield


@contextmanager
def open_geotiff(path: Path, name: str) -> Iterator[DatasetReader]:
    """Open a local file as a GeoTIFF only, inside the sealed environment."""
    check_local_file(path, name)
    check_tiff_magic(path, name)
    with sealed_env():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", NotGeoreferencedWarning)
                dataset = rasterio.open(path, driver="GTiff")
        except RasterioIOError as error:
            raise RejectedFile(name, f"is not a readable GeoTIFF ({first_line(error)})") from error
        with dataset:
            if dataset.driver != "GTiff":
                raise RejectedFile(name, f"is not a GeoTIFF (GDAL sees {dataset.driver})")
            yield dataset


def first_line(error: BaseException) -> str:
    """The first line of an exception's message, for embedding in a refusal reason."""
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__

