"""Small GeoTIFFs and impostor files for orthophoto tests, built on the spot."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import rasterio
import rasterio.errors
from affine import Affine
from pyproj import Transformer
from rasterio.io import MemoryFile

# The demo district: lon 121.45, lat 28.68 (Taizhou, Zhejiang).
CENTRE_LON = 121.45
CENTRE_LAT = 28.68


def projected_centre(crs: str = "EPSG:4549") -> tuple[float, float]:
    """The demo centre (lon 121.45, lat 28.68) as x, y in `crs`; about 641,500 / 3,173,800."""
    transformer = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    return transformer.transform(CENTRE_LON, CENTRE_LAT)


def centred_origin(
    crs: str = "EPSG:4549", *, width: int = 256, height: int = 256, pixel_size: float = 0.5
) -> tuple[float, float]:
    """The top-left corner that puts a raster's centre on the demo centre."""
    x, y = projected_centre(crs)
    return x - width * pixel_size / 2, y + height * pixel_size / 2


def pattern(bands: int, height: int, width: int, dtype: str) -> np.ndarray:
    """A checkerboard with per-band gradients: every pixel is non-zero, easy to eyeball."""
    rows, cols = np.mgrid[0:height, 0:width]
    checker = ((rows // 16 + cols // 16) % 2) * 100
    layers = [(checker + 20 + (rows + cols * (b + 1)) % 120) for b in range(bands)]
    return np.stack(layers).astype(dtype)


def write_geotiff(
    path: Path,
    *,
    crs: str | None = "EPSG:4549",
    width: int = 256,
    height: int = 256,
    bands: int = 3,
    origin: tuple[float, float] | None = None,
    pixel_size: float = 0.5,
    dtype: str = "uint8",
) -> Path:
    """Write a patterned GeoTIFF centred on lon 121.45, lat 28.68; 4 bands means RGBA."""
    if origin is None:
        origin = centred_origin(crs or "EPSG:4549", width=width, height=height,
                                pixel_size=pixel_size)
    profile = {
        "driver": "GTiff",
        "width": width,
        "height": height,
        "count": bands,
        "dtype": dtype,
        "transform": Affine(pixel_size, 0.0, origin[0], 0.0, -pixel_size, origin[1]),
    }
    if crs is not None:
        profile["crs"] = crs
    data = pattern(bands, height, width, dtype)
    if bands == 4:
        data[3] = rgba_alpha(height, width).astype(dtype)
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data)
    return path


def rgba_alpha(height: int, width: int) -> np.ndarray:
    """An alpha band (GDAL marks band 4 of uint8 as alpha): left quarter clear, rest opaque."""
    alpha = np.full((height, width), 255, dtype="uint8")
    alpha[:, : width // 4] = 0
    return alpha


@contextmanager
def ungeoreferenced() -> Iterator[None]:
    """Silence rasterio's warning when we write a raster without georeferencing on purpose."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", rasterio.errors.NotGeoreferencedWarning)
        yield


def write_plain_tiff(path: Path, *, width: int = 64, height: int = 64) -> Path:
    """Write an ordinary TIFF with neither CRS nor geotransform."""
    profile = {"driver": "GTiff", "width": width, "height": height, "count": 1,
               "dtype": "uint8"}
    with ungeoreferenced(), rasterio.open(path, "w", **profile) as dst:
        dst.write(pattern(1, height, width, "uint8"))
    return path


def write_vrt_named_tif(path: Path, target: Path) -> Path:
    """Write a GDAL VRT (XML pointing at `target`) under a .tif name."""
    path.write_text(
        '<VRTDataset rasterXSize="64" rasterYSize="64">\n'
        '  <VRTRasterBand dataType="Byte" band="1">\n'
        "    <SimpleSource>\n"
        f'      <SourceFilename relativeToVRT="0">{target}</SourceFilename>\n'
        "      <SourceBand>1</SourceBand>\n"
        "    </SimpleSource>\n"
        "  </VRTRasterBand>\n"
        "</VRTDataset>\n"
    )
    return path


def write_png_named_tif(path: Path) -> Path:
    """Write a real PNG image under a .tif name."""
    return write_with_driver(path, "PNG")


def write_jpeg_named_tif(path: Path) -> Path:
    """Write a real JPEG image under a .tif name."""
    return write_with_driver(path, "JPEG")


def write_with_driver(path: Path, driver: str) -> Path:
    """Write a small 3-band image with a GDAL driver (PNG, JPEG) to `path`."""
    with ungeoreferenced(), MemoryFile() as memfile:
        with memfile.open(driver=driver, width=32, height=32, count=3, dtype="uint8") as dst:
            dst.write(pattern(3, 32, 32, "uint8"))
        path.write_bytes(memfile.read())
    return path


def write_envi_header_named_tif(path: Path) -> Path:
    """Write an ENVI header (plain text) under a .tif name."""
    path.write_text("ENVI\nsamples = 64\nlines = 64\nbands = 1\ndata type = 1\n")
    return path


def truncate_half(path: Path) -> Path:
    """Cut a file to half its length, as an interrupted upload would."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path
