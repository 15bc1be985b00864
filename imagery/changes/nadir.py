"""Drone nadir photos as an image of the site: each photo placed on the ground by the ground
points of its four corners (from the camera's position, height and angles, as
imagery.footprint computes a footprint), warped onto the analysis grid through those four
ground control points, and the photos of one flight mosaicked (the first photo covering a
pixel gives it). Good for photos looking straight down over flat ground; an orthophoto is
better wherever there is one."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from imagery.errors import RejectedFile
from imagery.footprint import Camera, _corner_rays, _ground_hit, _to_lonlat, camera_axes

LonLat = tuple[float, float]


@dataclass(frozen=True)
class NadirPhoto:
    """A drone photo and the lon/lat of its image corners: top-left, top-right,
    bottom-right, bottom-left."""

    path: Path | str
    corners: tuple[LonLat, LonLat, LonLat, LonLat]


def nadir_photo(path: Path | str, *, lon: float, lat: float, altitude_m: float,
                camera: Camera, yaw_deg: float = 0.0, pitch_deg: float = -90.0,
                roll_deg: float = 0.0) -> NadirPhoto:
    """Place a photo taken at lon/lat, `altitude_m` above the ground, with DJI gimbal
    angles; refuse it when a corner of the image does not look at the ground."""
    forward, right, up = camera_axes(yaw_deg, pitch_deg, roll_deg)
    hits = [_ground_hit(ray, altitude_m) for ray in _corner_rays(forward, right, up, camera)]
    if not math.isfinite(altitude_m) or altitude_m <= 0 or any(hit is None for hit in hits):
        raise RejectedFile(str(path), "相机没有朝向地面（或高度无效），无法把照片投到地面上")
    corners = _to_lonlat([hit for hit in hits if hit is not None], lon=lon, lat=lat)
    return NadirPhoto(path, tuple(corners))  # type: ignore[arg-type]


def is_flight(source: object) -> bool:
    """Whether a source is one nadir photo or a sequence of them."""
    if isinstance(source, NadirPhoto):
        return True
    return (isinstance(source, Sequence) and not isinstance(source, str) and len(source) > 0
            and all(isinstance(item, NadirPhoto) for item in source))


def flight_label(source: NadirPhoto | Sequence[NadirPhoto]) -> str:
    """A name for a flight in messages: its one photo, or its first photo and how many."""
    photos = [source] if isinstance(source, NadirPhoto) else list(source)
    first = str(photos[0].path)
    return first if len(photos) == 1 else f"{first} 等 {len(photos)} 张照片"
