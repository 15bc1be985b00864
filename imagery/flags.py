"""Evidence-integrity flags: what a reviewer should look at twice."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from pyproj import Geod

from imagery.analysis import Analysis
from imagery.georef import Georef

GEOD = Geod(ellps="WGS84")
DEVICE_EXIF_LIMIT_M = 200.0
CLOCK_SLACK = timedelta(minutes=10)


def device_far_from_exif(photo: Analysis, device: tuple[float, float] | None) -> float | None:
    """Metres between the device's and the photo's own position, when over the limit."""
    if device is None or photo.lon is None or photo.location_source not in ("exif", "xmp"):
        return None
    metres = GEOD.inv(device[0], device[1], photo.lon, photo.lat)[2]
    return metres if metres > DEVICE_EXIF_LIMIT_M else None


def in_future(taken_at: datetime | None, now: datetime, local_tz: ZoneInfo) -> bool:
    """Taken after now (a naive time is read in the district's time zone)."""
    if taken_at is None:
        return False
    aware = taken_at if taken_at.tzinfo else taken_at.replace(tzinfo=local_tz)
    return aware > now + CLOCK_SLACK


def photo_flags(photo: Analysis, *, located: bool, georef: Georef,
                device: tuple[float, float] | None, similar_to: list[int], now: datetime,
                local_tz: ZoneInfo) -> list[str]:
    """Every flag that applies to a photo about to be stored."""
    flags = list(photo.flags)
    if not located:
        flags.append("needs_location")
    elif georef.grid_cell_id is None:
        flags.append("outside_grid")
    if similar_to:
        flags.append("similar_to_earlier_photo")
    far = device_far_from_exif(photo, device)
    if far is not None:
        flags.append(f"device_far_from_exif: {far:.0f} m")
    if in_future(photo.taken_at, now, local_tz):
        flags.append("time_in_future")
    if photo.taken_at is not None and photo.taken_at.tzinfo is None:
        flags.append("time_without_offset")
    return flags
