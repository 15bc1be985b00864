"""Real image files for tests: JPEG with EXIF (piexif), DJI XMP spliced in, PNG, TIFF, HEIC."""

from __future__ import annotations

import io
import struct
import zlib
from fractions import Fraction
from pathlib import Path

import numpy as np
import piexif
import pillow_heif
from PIL import Image

from imagery.demo_photos import dji_packet, with_xmp

__all__ = ["dji_packet", "with_xmp"]  # re-exported for the tests that build drone photos


def picture(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A picture with coarse random structure, so different seeds hash far apart."""
    rng = np.random.default_rng(seed)
    blocks = rng.integers(0, 256, (6, 8, 3), dtype=np.uint8)
    return Image.fromarray(blocks).resize(size, Image.Resampling.BICUBIC)


def _rational(value: float) -> tuple[int, int]:
    f = Fraction(value).limit_denominator(1_000_000)
    return f.numerator, f.denominator


def dms(value: float) -> tuple[tuple[int, int], ...]:
    """Degrees as (deg, min, sec) rationals, as cameras write them."""
    deg = int(value)
    minutes = int((value - deg) * 60)
    seconds = (value - deg - minutes / 60) * 3600
    return (deg, 1), (minutes, 1), _rational(round(seconds, 4))


def exif_bytes(*, lon: float | None = None, lat: float | None = None,
               taken: str | None = "2022:05:01 10:00:00", offset: str | None = "+08:00",
               gps: dict | None = None, focal_35mm: int | None = None,
               orientation: int | None = None, make: str = "Apple") -> bytes:
    """An EXIF block; `gps` adds or overrides raw GPS IFD entries."""
    gps_ifd: dict = {}
    if lon is not None and lat is not None:
        gps_ifd |= {piexif.GPSIFD.GPSLatitudeRef: b"N" if lat >= 0 else b"S",
                    piexif.GPSIFD.GPSLatitude: dms(abs(lat)),
                    piexif.GPSIFD.GPSLongitudeRef: b"E" if lon >= 0 else b"W",
                    piexif.GPSIFD.GPSLongitude: dms(abs(lon))}
    gps_ifd |= gps or {}
    exif_ifd: dict = {}
    if taken:
        exif_ifd[piexif.ExifIFD.DateTimeOriginal] = taken.encode()
    if offset:
        exif_ifd[piexif.ExifIFD.OffsetTimeOriginal] = offset.encode()
    if focal_35mm:
        exif_ifd[piexif.ExifIFD.FocalLengthIn35mmFilm] = focal_35mm
    zeroth = {piexif.ImageIFD.Make: make.encode()}
    if orientation:
        zeroth[piexif.ImageIFD.Orientation] = orientation
    return piexif.dump({"0th": zeroth, "Exif": exif_ifd, "GPS": gps_ifd})


def jpeg(path: Path, *, seed: int = 1, size: tuple[int, int] = (640, 480), exif: bytes = b"",
         xmp: bytes | None = None, quality: int = 90) -> Path:
    """Write a JPEG with optional EXIF and an XMP packet in an APP1 segment."""
    out = io.BytesIO()
    picture(seed, size).save(out, "JPEG", quality=quality, exif=exif)
    data = out.getvalue()
    if xmp is not None:
        data = with_xmp(data, xmp)
    path.write_bytes(data)
    return path


def png(path: Path, *, seed: int = 3) -> Path:
    """A PNG photo (no location)."""
    picture(seed).save(path, "PNG")
    return path


def tiff_photo(path: Path, *, seed: int = 4) -> Path:
    """A plain TIFF photo without georeferencing."""
    picture(seed).save(path, "TIFF")
    return path


def heic(path: Path, *, seed: int = 5, exif: bytes = b"") -> Path:
    """An iPhone-style HEIC with EXIF."""
    heif = pillow_heif.from_pillow(picture(seed))
    heif.save(path, quality=80, exif=exif)
    return path


def png_claiming(path: Path, width: int, height: int) -> Path:
    """A tiny PNG whose header claims width x height pixels (a pixel flood)."""
    raw = io.BytesIO()
    picture(6, (8, 8)).save(raw, "PNG")
    data = bytearray(raw.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    path.write_bytes(bytes(data))
    return path
