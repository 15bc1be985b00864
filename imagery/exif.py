"""Where and when a photo was taken, from its EXIF (GPS IFD and Exif IFD) with Pillow."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from PIL import Image

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 0x9003
OFFSET_TIME_ORIGINAL = 0x9011
FOCAL_LENGTH = 0x920A
FOCAL_35MM = 0xA405
MAKE, MODEL = 0x010F, 0x0110


@dataclass(frozen=True)
class ExifInfo:
    """What EXIF says: location (None when absent or unusable), time and camera."""

    lon: float | None = None
    lat: float | None = None
    altitude_m: float | None = None
    taken_at: datetime | None = None  # aware when the offset is known, naive otherwise
    time_source: str | None = None  # "exif_offset", "gps_utc", "exif_naive"
    focal_35mm: float | None = None
    focal_mm: float | None = None
    make: str | None = None
    model: str | None = None


def number(value: Any) -> float | None:
    """A finite float from a rational, int or float; None for 0/0 and garbage."""
    try:
        result = float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return result if math.isfinite(result) else None


def _degrees(value: Any) -> float | None:
    """(deg, min, sec) rationals, or decimal degrees packed into the first (or only) one."""
    parts = value if isinstance(value, tuple | list) else (value,)
    nums = [number(p) for p in parts[:3]]
    if not nums or nums[0] is None:
        return None
    nums = [n if n is not None else 0.0 for n in nums] + [0.0] * (3 - len(nums))
    return nums[0] + nums[1] / 60.0 + nums[2] / 3600.0


def _ref(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", "ignore")
    return str(value or "").strip().upper()[:1]


def gps_location(gps: dict) -> tuple[float | None, float | None, float | None]:
    """(lon, lat, altitude) from a GPS IFD; (None, None, alt) when unusable or at (0, 0)."""
    lat, lon = _degrees(gps.get(2)), _degrees(gps.get(4))
    altitude = number(gps.get(6))
    if altitude is not None and gps.get(5) in (1, b"\x01"):
        altitude = -altitude  # altitude ref 1: below sea level
    if lat is None or lon is None:
        return None, None, altitude
    lat = -lat if _ref(gps.get(1)) == "S" else lat
    lon = -lon if _ref(gps.get(3)) == "W" else lon
    if abs(lat) > 90 or abs(lon) > 180 or (abs(lat) < 1e-9 and abs(lon) < 1e-9):
        return None, None, altitude  # (0, 0) is a missing fix, not the Gulf of Guinea
    return lon, lat, altitude


def _parse_offset(text: Any) -> timezone | None:
    text = str(text or "").strip()
    if len(text) != 6 or text[0] not in "+-" or text[3] != ":":
        return None
    try:
        delta = timedelta(hours=int(text[1:3]), minutes=int(text[4:6]))
    except ValueError:
        return None
    return timezone(-delta if text[0] == "-" else delta)


def _parse_exif_time(text: Any) -> datetime | None:
    try:
        return datetime.strptime(str(text).strip().rstrip("\x00"), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None


def _gps_utc(gps: dict) -> datetime | None:
    date_text, stamp = gps.get(29), gps.get(7)
    if not date_text or not isinstance(stamp, tuple | list) or len(stamp) != 3:
        return None
    hms = [number(v) for v in stamp]
    day = _parse_exif_time(f"{str(date_text).strip()} 00:00:00")
    if day is None or any(v is None for v in hms):
        return None
    return (day + timedelta(hours=hms[0], minutes=hms[1], seconds=hms[2])).replace(tzinfo=UTC)


def taken_at(exif_ifd: dict, gps: dict) -> tuple[datetime | None, str | None]:
    """DateTimeOriginal with its offset; else the GPS UTC stamp; else the naive local time."""
    local = _parse_exif_time(exif_ifd.get(DATETIME_ORIGINAL))
    offset = _parse_offset(exif_ifd.get(OFFSET_TIME_ORIGINAL))
    if local is not None and offset is not None:
        return local.replace(tzinfo=offset), "exif_offset"
    utc = _gps_utc(gps)
    if utc is not None:
        return utc, "gps_utc"
    if local is not None:
        return local, "exif_naive"
    return None, None


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "ignore")
    text = str(value).strip().strip("\x00") if value is not None else ""
    return text or None


def read_exif(image: Image.Image) -> ExifInfo:
    """Read location, time and camera from an opened image (pixels are not decoded)."""
    exif = image.getexif()
    gps = dict(exif.get_ifd(GPS_IFD))
    exif_ifd = dict(exif.get_ifd(EXIF_IFD))
    lon, lat, altitude = gps_location(gps)
    when, source = taken_at(exif_ifd, gps)
    focal_35 = number(exif_ifd.get(FOCAL_35MM))
    return ExifInfo(
        lon=lon, lat=lat, altitude_m=altitude, taken_at=when, time_source=source,
        focal_35mm=focal_35 if focal_35 else None,
        focal_mm=number(exif_ifd.get(FOCAL_LENGTH)) or None,
        make=_text(exif.get(MAKE)), model=_text(exif.get(MODEL)),
    )
