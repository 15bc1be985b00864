"""Camera fields of view and the ground footprint of a photo taken from the air."""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real

from pyproj import Geod
from shapely.geometry import Polygon

FULL_FRAME_DIAGONAL_MM = math.hypot(36.0, 24.0)  # 43.27 mm, the 35 mm film frame's diagonal
DISC_VERTICES = 72  # the max_range circle is approximated by this many vertices
MIN_AREA_M2 = 1e-6  # a clipped footprint smaller than this is treated as empty

WGS84 = Geod(ellps="WGS84")

Vec = tuple[float, float, float]
Point = tuple[float, float]

# Image corners as (right, up) signs, in order: top-left, top-right, bottom-right, bottom-left.
CORNER_SIGNS = ((-1.0, 1.0), (1.0, 1.0), (1.0, -1.0), (-1.0, -1.0))


@dataclass(frozen=True)
class Camera:
    """A camera by its 35 mm-equivalent focal length and its image size in pixels."""

    focal_35mm: float
    width_px: int
    height_px: int

    def __post_init__(self) -> None:
        """Reject a camera that cannot form an image."""
        if not (math.isfinite(self.focal_35mm) and self.focal_35mm > 0):
            raise ValueError(
                f"focal_35mm: must be a positive finite number, got {self.focal_35mm!r}"
            )
        if self.width_px <= 0 or self.height_px <= 0:
            raise ValueError(f"image size: must be positive, got {self.width_px}x{self.height_px}")

    def equivalent_frame_mm(self) -> tuple[float, float]:
        """Width and height of the full-frame-equivalent sensor with this image's aspect ratio."""
        diagonal_px = math.hypot(self.width_px, self.height_px)
        scale = FULL_FRAME_DIAGONAL_MM / diagonal_px
        return self.width_px * scale, self.height_px * scale

    def half_tangents(self) -> tuple[float, float]:
        """tan of half the horizontal and half the vertical field of view."""
        width_mm, height_mm = self.equivalent_frame_mm()
        return width_mm / 2 / self.focal_35mm, height_mm / 2 / self.focal_35mm

    def fov_deg(self) -> tuple[float, float]:
        """Horizontal (along the image width) and vertical fields of view, in degrees."""
        tan_h, tan_v = self.half_tangents()
        return math.degrees(2 * math.atan(tan_h)), math.degrees(2 * math.atan(tan_v))


def camera_from_exif(
    *,
    focal_35mm: float | None,
    focal_mm: float | None,
    sensor_width_mm: float | None,
    width_px: int,
    height_px: int,
) -> Camera | None:
    """A Camera from EXIF focal lengths and the sensor's width (its long side), or None."""
    if width_px <= 0 or height_px <= 0:
        return None
    equivalent = _positive(focal_35mm)
    focal, sensor_width = _positive(focal_mm), _positive(sensor_width_mm)
    if equivalent is None and focal is not None and sensor_width is not None:
        diagonal_mm = sensor_width * math.hypot(width_px, height_px) / max(width_px, height_px)
        equivalent = focal * FULL_FRAME_DIAGONAL_MM / diagonal_mm
    if equivalent is None:
        return None
    return Camera(focal_35mm=equivalent, width_px=width_px, height_px=height_px)


def ground_footprint(
    *,
    lon: float,
    lat: float,
    altitude_m: float,
    yaw_deg: float,
    pitch_deg: float,
    roll_deg: float,
    camera: Camera,
    max_range_m: float = 1000.0,
) -> Polygon | None:
    """The ground a photo covers (EPSG:4326, counter-clockwise), or None if absurd or skyward."""
    position = _finite(lon, lat)
    if position is None or not (-180.0 <= position[0] <= 180.0 and -90.0 < position[1] < 90.0):
        return None
    local = local_footprint(
        altitude_m=altitude_m,
        yaw_deg=yaw_deg,
        pitch_deg=pitch_deg,
        roll_deg=roll_deg,
        camera=camera,
        max_range_m=max_range_m,
    )
    if local is None:
        return None
    polygon = Polygon(_to_lonlat(local, lon=position[0], lat=position[1]))
    return polygon if polygon.is_valid and not polygon.is_empty else None


def local_footprint(
    *,
    altitude_m: float,
    yaw_deg: float,
    pitch_deg: float,
    roll_deg: float,
    camera: Camera,
    max_range_m: float = 1000.0,
) -> list[Point] | None:
    """The footprint as counter-clockwise (east, north) metres around the camera, or None."""
    numbers = _finite(altitude_m, yaw_deg, pitch_deg, roll_deg, max_range_m)
    if numbers is None or numbers[0] <= 0 or numbers[4] <= 0:
        return None
    altitude_m, yaw_deg, pitch_deg, roll_deg, max_range_m = numbers
    forward, right, up = camera_axes(yaw_deg, pitch_deg, roll_deg)
    corners = _corner_rays(forward, right, up, camera)
    if all(ray[2] >= 0.0 for ray in corners):
        return None
    hits = [_ground_hit(ray, altitude_m) for ray in corners]
    if all(hit is not None and math.hypot(*hit) <= max_range_m for hit in hits):
        points = [hit for hit in hits if hit is not None]
    else:
        points = _clip_disc_to_frustum(corners, forward, altitude_m, max_range_m)
    points = _dedupe(points)
    area = _signed_area(points)
    if len(points) < 3 or abs(area) < MIN_AREA_M2:
        return None
    return points if area > 0 else points[::-1]


def camera_axes(yaw_deg: float, pitch_deg: float, roll_deg: float) -> tuple[Vec, Vec, Vec]:
    """Optical axis, image-right and image-up unit vectors in (east, north, up), DJI angles."""
    pitch, roll = math.radians(pitch_deg), math.radians(roll_deg)
    sin_p, cos_p = math.sin(pitch), math.cos(pitch)
    forward = (0.0, cos_p, sin_p)
    level_right, level_up = (1.0, 0.0, 0.0), (0.0, -sin_p, cos_p)
    right = _combine(math.cos(roll), level_right, -math.sin(roll), level_up)
    up = _combine(math.sin(roll), level_right, math.cos(roll), level_up)
    return _yawed(forward, yaw_deg), _yawed(right, yaw_deg), _yawed(up, yaw_deg)


def _finite(*numbers: float) -> tuple[float, ...] | None:
    """numbers as floats (EXIF rationals and numpy scalars included), or None if any is not."""
    if not all(isinstance(x, Real) for x in numbers):
        return None
    values = tuple(float(x) for x in numbers)
    return values if all(math.isfinite(x) for x in values) else None


def _positive(value: float | None) -> float | None:
    """value as a float when it is a finite number greater than zero, else None."""
    numbers = None if value is None else _finite(value)
    return numbers[0] if numbers is not None and numbers[0] > 0 else None


def _combine(a: float, u: Vec, b: float, v: Vec) -> Vec:
    """a*u + b*v."""
    return (a * u[0] + b * v[0], a * u[1] + b * v[1], a * u[2] + b * v[2])


def _yawed(v: Vec, yaw_deg: float) -> Vec:
    """v turned clockwise (seen from above) by yaw_deg about the vertical."""
    yaw = math.radians(yaw_deg)
    sin_y, cos_y = math.sin(yaw), math.cos(yaw)
    return (v[0] * cos_y + v[1] * sin_y, -v[0] * sin_y + v[1] * cos_y, v[2])


def _cross(u: Vec, v: Vec) -> Vec:
    """The cross product u x v."""
    return (u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0])


def _dot(u: Vec, v: Vec) -> float:
    """The dot product u . v."""
    return u[0] * v[0] + u[1] * v[1] + u[2] * v[2]


def _corner_rays(forward: Vec, right: Vec, up: Vec, camera: Camera) -> list[Vec]:
    """Directions of the rays through the four image corners, TL, TR, BR, BL."""
    tan_h, tan_v = camera.half_tangents()
    rays = []
    for sign_right, sign_up in CORNER_SIGNS:
        side = _combine(sign_right * tan_h, right, sign_up * tan_v, up)
        rays.append((forward[0] + side[0], forward[1] + side[1], forward[2] + side[2]))
    return rays


def _ground_hit(ray: Vec, altitude_m: float) -> Point | None:
    """Where ray meets the ground altitude_m below the camera, or None if it never does."""
    if ray[2] >= 0.0:
        return None
    t = altitude_m / -ray[2]
    return (t * ray[0], t * ray[1])


def _clip_disc_to_frustum(
    corners: list[Vec], forward: Vec, altitude_m: float, max_range_m: float
) -> list[Point]:
    """The ground seen by the camera within max_range_m: a disc cut by the four image sides."""
    step = 2 * math.pi / DISC_VERTICES
    polygon = [
        (max_range_m * math.cos(i * step), max_range_m * math.sin(i * step))
        for i in range(DISC_VERTICES)
    ]
    for i, corner in enumerate(corners):
        normal = _cross(corner, corners[(i + 1) % len(corners)])
        if _dot(normal, forward) < 0:
            normal = (-normal[0], -normal[1], -normal[2])
        # A ground point (e, n, -altitude) is inside this side of the frustum when normal . p >= 0.
        polygon = _clip_half_plane(polygon, normal[0], normal[1], normal[2] * altitude_m)
        if not polygon:
            break
    return polygon


def _clip_half_plane(polygon: list[Point], a: float, b: float, c: float) -> list[Point]:
    """The part of a convex polygon where a*x + b*y >= c (Sutherland-Hodgman)."""
    clipped: list[Point] = []
    for i, p in enumerate(polygon):
        q = polygon[(i + 1) % len(polygon)]
        fp = a * p[0] + b * p[1] - c
        fq = a * q[0] + b * q[1] - c
        if fp >= 0:
            clipped.append(p)
        if (fp >= 0) != (fq >= 0):
            t = fp / (fp - fq)
            clipped.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return clipped


def _dedupe(points: list[Point], tolerance_m: float = 1e-6) -> list[Point]:
    """points without consecutive (and last-first) near-duplicates."""
    kept: list[Point] = []
    for p in points:
        if not kept or math.dist(p, kept[-1]) > tolerance_m:
            kept.append(p)
    while len(kept) > 1 and math.dist(kept[0], kept[-1]) <= tolerance_m:
        kept.pop()
    return kept


def _signed_area(points: list[Point]) -> float:
    """Shoelace area, positive when points run counter-clockwise."""
    total = 0.0
    for i, (x1, y1) in enumerate(points):
        x2, y2 = points[(i + 1) % len(points)]
        total += x1 * y2 - x2 * y1
    return total / 2


def _to_lonlat(points: list[Point], *, lon: float, lat: float) -> list[Point]:
    """(east, north) metres around (lon, lat) to lon/lat: the inverse azimuthal equidistant."""
    azimuths = [math.degrees(math.atan2(east, north)) for east, north in points]
    distances = [math.hypot(east, north) for east, north in points]
    count = len(points)
    lons, lats, _ = WGS84.fwd([lon] * count, [lat] * count, azimuths, distances)
    # Keep the ring continuous across the antimeridian: longitudes stay within 180 of lon.
    return [(lon + (x - lon + 180.0) % 360.0 - 180.0, y) for x, y in zip(lons, lats, strict=True)]
