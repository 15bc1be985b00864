"""Tests of camera fields of view and ground footprints, with hand-checkable numbers."""

from __future__ import annotations

import math
import time
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import Polygon

from imagery.footprint import Camera, camera_from_exif, ground_footprint, local_footprint

GEOD = Geod(ellps="WGS84")
LON, LAT = 120.15, 30.28  # the camera position used throughout
CAMERA = Camera(focal_35mm=24.0, width_px=6000, height_px=4000)  # 3:2, so a 36 x 24 mm frame


def footprint(**overrides: float) -> Polygon | None:
    """ground_footprint at (LON, LAT), 100 m up, nadir, yaw 0, unless overridden."""
    args = dict(
        lon=LON,
        lat=LAT,
        altitude_m=100.0,
        yaw_deg=0.0,
        pitch_deg=-90.0,
        roll_deg=0.0,
        camera=CAMERA,
    )
    args.update(overrides)
    return ground_footprint(**args)


def to_metres(coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """lon/lat points as geodesic (east, north) metres from the camera at (LON, LAT)."""
    lons, lats = [c[0] for c in coords], [c[1] for c in coords]
    count = len(coords)
    azimuths, _, distances = GEOD.inv([LON] * count, [LAT] * count, lons, lats)
    return [
        (d * math.sin(math.radians(a)), d * math.cos(math.radians(a)))
        for a, d in zip(azimuths, distances, strict=True)
    ]


def local_metres(polygon: Polygon) -> list[tuple[float, float]]:
    """The polygon's vertices as (east, north) metres from the camera."""
    return to_metres(list(polygon.exterior.coords))


def extents(polygon: Polygon) -> tuple[float, float]:
    """East-west and north-south extents of the polygon, in metres."""
    points = local_metres(polygon)
    easts = [p[0] for p in points]
    norths = [p[1] for p in points]
    return max(easts) - min(easts), max(norths) - min(norths)


def area_m2(polygon: Polygon) -> float:
    """Geodesic area of the polygon in square metres."""
    return abs(GEOD.geometry_area_perimeter(polygon)[0])


def centroid_metres(polygon: Polygon) -> tuple[float, float]:
    """The polygon's centroid as (east, north) metres from the camera."""
    return to_metres([polygon.centroid.coords[0]])[0]


# --- Camera --------------------------------------------------------------------------------


def test_fov_of_a_3_2_image_uses_the_36_by_24_frame() -> None:
    # 2*atan(36/2/24) = 2*atan(0.75) = 73.74 deg; 2*atan(24/2/24) = 2*atan(0.5) = 53.13 deg
    horizontal, vertical = CAMERA.fov_deg()
    assert horizontal == pytest.approx(73.7398, abs=1e-3)
    assert vertical == pytest.approx(53.1301, abs=1e-3)


def test_fov_of_a_4_3_image_keeps_the_43_27_mm_diagonal() -> None:
    # 4:3 on a 43.27 mm diagonal (a 3-4-5 triangle): 34.61 x 25.96 mm; focal 24 mm
    horizontal, vertical = Camera(focal_35mm=24.0, width_px=4000, height_px=3000).fov_deg()
    assert horizontal == pytest.approx(math.degrees(2 * math.atan(34.613 / 48)), abs=1e-2)
    assert vertical == pytest.approx(math.degrees(2 * math.atan(25.960 / 48)), abs=1e-2)


def test_fov_of_a_portrait_image_swaps_the_axes() -> None:
    horizontal, vertical = Camera(focal_35mm=24.0, width_px=4000, height_px=6000).fov_deg()
    assert (horizontal, vertical) == pytest.approx((53.1301, 73.7398), abs=1e-3)


@pytest.mark.parametrize(
    ("focal", "width", "height"), [(0.0, 10, 10), (-24.0, 10, 10), (math.nan, 10, 10), (24, 0, 10)]
)
def test_camera_rejects_an_impossible_lens_or_size(focal: float, width: int, height: int) -> None:
    with pytest.raises(ValueError, match="must be (positive|a positive finite number)"):
        Camera(focal_35mm=focal, width_px=width, height_px=height)


def test_camera_from_exif_uses_the_35mm_value_directly() -> None:
    camera = camera_from_exif(
        focal_35mm=28.0, focal_mm=8.8, sensor_width_mm=13.2, width_px=6000, height_px=4000
    )
    assert camera == Camera(focal_35mm=28.0, width_px=6000, height_px=4000)


@pytest.mark.parametrize(("width", "height"), [(5472, 3648), (3648, 5472)])
def test_camera_from_exif_converts_a_one_inch_sensor(width: int, height: int) -> None:
    # DJI Phantom 4 Pro: 8.8 mm on a 13.2 x 8.8 mm (3:2) sensor; crop 36 / 13.2 = 2.727 -> 24 mm
    camera = camera_from_exif(
        focal_35mm=None, focal_mm=8.8, sensor_width_mm=13.2, width_px=width, height_px=height
    )
    assert camera is not None
    assert camera.focal_35mm == pytest.approx(24.0, abs=1e-9)


def test_camera_from_exif_uses_the_diagonal_for_other_aspect_ratios() -> None:
    # 4:3 sensor 6.4 mm wide: 6.4 x 4.8, diagonal 8.0 mm; crop 43.27 / 8 = 5.408; 4.5 mm -> 24.34
    camera = camera_from_exif(
        focal_35mm=None, focal_mm=4.5, sensor_width_mm=6.4, width_px=4000, height_px=3000
    )
    assert camera is not None
    assert camera.focal_35mm == pytest.approx(4.5 * math.hypot(36, 24) / 8.0)


def test_camera_from_exif_falls_back_when_the_35mm_value_is_zero() -> None:
    camera = camera_from_exif(
        focal_35mm=0.0, focal_mm=8.8, sensor_width_mm=13.2, width_px=6000, height_px=4000
    )
    assert camera is not None
    assert camera.focal_35mm == pytest.approx(24.0)


@pytest.mark.parametrize(
    ("focal_35mm", "focal_mm", "sensor_width_mm", "width", "height"),
    [
        (None, None, None, 6000, 4000),
        (None, 8.8, None, 6000, 4000),
        (None, None, 13.2, 6000, 4000),
        (0.0, 0.0, 13.2, 6000, 4000),
        (None, 8.8, 0.0, 6000, 4000),
        (-24.0, -8.8, 13.2, 6000, 4000),
        (math.nan, math.inf, 13.2, 6000, 4000),
        (24.0, None, None, 0, 4000),
    ],
)
def test_camera_from_exif_without_usable_values_is_none(
    focal_35mm: float | None,
    focal_mm: float | None,
    sensor_width_mm: float | None,
    width: int,
    height: int,
) -> None:
    camera = camera_from_exif(
        focal_35mm=focal_35mm,
        focal_mm=focal_mm,
        sensor_width_mm=sensor_width_mm,
        width_px=width,
        height_px=height,
    )
    assert camera is None


# --- Nadir ---------------------------------------------------------------------------------


def test_nadir_footprint_is_150_by_100_metres_centred_on_the_camera() -> None:
    # half-width 100 * 36/2/24 = 75 m, half-height 100 * 24/2/24 = 50 m
    polygon = footprint()
    assert polygon is not None
    assert polygon.is_valid and polygon.exterior.is_ccw
    assert len(polygon.exterior.coords) == 5
    assert extents(polygon) == pytest.approx((150.0, 100.0), abs=0.01)
    assert area_m2(polygon) == pytest.approx(15_000.0, abs=1.0)
    assert centroid_metres(polygon) == pytest.approx((0.0, 0.0), abs=0.01)


def test_nadir_footprint_turned_90_degrees_runs_north_south() -> None:
    polygon = footprint(yaw_deg=90.0)
    assert polygon is not None
    assert extents(polygon) == pytest.approx((100.0, 150.0), abs=0.01)
    assert area_m2(polygon) == pytest.approx(15_000.0, abs=1.0)


def test_nadir_footprint_turned_45_degrees_keeps_its_area() -> None:
    # the 150 x 100 rectangle turned 45 deg spans (150 + 100) / sqrt(2) = 176.78 m both ways
    polygon = footprint(yaw_deg=45.0)
    assert polygon is not None
    assert extents(polygon) == pytest.approx((176.777, 176.777), abs=0.01)
    assert area_m2(polygon) == pytest.approx(15_000.0, abs=1.0)


def test_nadir_footprint_scales_with_altitude() -> None:
    polygon = footprint(altitude_m=50.0)
    assert polygon is not None
    assert extents(polygon) == pytest.approx((75.0, 50.0), abs=0.01)


@pytest.mark.parametrize("lat", [-60.0, 0.0, 60.0, 85.0])
def test_nadir_footprint_is_measured_in_metres_at_any_latitude(lat: float) -> None:
    polygon = footprint(lat=lat)
    assert polygon is not None
    assert area_m2(polygon) == pytest.approx(15_000.0, abs=1.0)


def test_nadir_footprint_across_the_antimeridian_stays_one_piece() -> None:
    polygon = footprint(lon=179.9995, lat=0.0)
    assert polygon is not None
    assert polygon.is_valid
    assert max(polygon.exterior.coords.xy[0]) > 180.0
    assert area_m2(polygon) == pytest.approx(15_000.0, abs=1.0)


# --- Oblique and horizon -------------------------------------------------------------------


def test_oblique_footprint_lies_north_when_facing_north() -> None:
    # pitch -45, half vfov 26.57: near edge 100/tan(71.57) = 33.3 m, far edge 100/tan(18.43) = 300 m
    polygon = footprint(pitch_deg=-45.0)
    assert polygon is not None
    norths = [p[1] for p in local_metres(polygon)]
    assert min(norths) == pytest.approx(33.333, abs=0.01)
    assert max(norths) == pytest.approx(300.0, abs=0.05)
    east, north = centroid_metres(polygon)
    assert north > 100.0
    assert east == pytest.approx(0.0, abs=0.01)


def test_oblique_footprint_lies_east_when_facing_east() -> None:
    polygon = footprint(pitch_deg=-45.0, yaw_deg=90.0)
    assert polygon is not None
    east, north = centroid_metres(polygon)
    assert east > 100.0
    assert north == pytest.approx(0.0, abs=0.01)


def test_roll_right_side_down_brings_the_right_side_nearer() -> None:
    # facing north, the image's right side is east; rolled right-side-down it sees nearer ground
    polygon = footprint(pitch_deg=-45.0, roll_deg=10.0)
    assert polygon is not None
    points = local_metres(polygon)
    west_far = max(p[1] for p in points if p[0] < 0)
    east_far = max(p[1] for p in points if p[0] > 0)
    assert east_far < west_far


def test_opposite_rolls_mirror_each_other() -> None:
    left = local_footprint(
        altitude_m=100.0, yaw_deg=0.0, pitch_deg=-45.0, roll_deg=-10.0, camera=CAMERA
    )
    right = local_footprint(
        altitude_m=100.0, yaw_deg=0.0, pitch_deg=-45.0, roll_deg=10.0, camera=CAMERA
    )
    assert left is not None and right is not None
    mirrored = [value for e, n in sorted((-e, n) for e, n in left) for value in (e, n)]
    assert [value for point in sorted(right) for value in point] == pytest.approx(mirrored)


def test_horizon_view_is_clamped_to_the_maximum_range() -> None:
    # pitch 0: the bottom edge looks 26.57 deg down and meets the ground 100/0.5 = 200 m ahead
    polygon = footprint(pitch_deg=0.0)
    assert polygon is not None
    assert polygon.is_valid and polygon.exterior.is_ccw
    points = local_metres(polygon)
    assert all(math.hypot(*p) <= 1000.0 + 1.0 for p in points)
    assert min(p[1] for p in points) == pytest.approx(200.0, abs=0.05)


def test_horizon_view_honours_a_shorter_range() -> None:
    polygon = footprint(pitch_deg=-5.0, yaw_deg=200.0, roll_deg=7.0, max_range_m=400.0)
    assert polygon is not None
    assert all(math.hypot(*p) <= 400.0 + 1.0 for p in local_metres(polygon))


def test_view_above_the_horizon_has_no_footprint() -> None:
    # 100 mm lens: half vfov = atan(12/100) = 6.8 deg, so at pitch +30 every corner looks up
    narrow = Camera(focal_35mm=100.0, width_px=6000, height_px=4000)
    assert footprint(pitch_deg=30.0, camera=narrow) is None


def test_footprint_beyond_range_is_cut_to_a_disc() -> None:
    # at 2000 m the nadir rectangle is 3000 x 2000 m; only the 1000 m disc around it is kept
    polygon = footprint(altitude_m=2000.0)
    assert polygon is not None
    points = local_metres(polygon)
    assert all(math.hypot(*p) <= 1000.0 + 1.0 for p in points)
    assert area_m2(polygon) == pytest.approx(math.pi * 1000.0**2, rel=0.01)


def test_corners_just_beyond_range_are_trimmed() -> None:
    # nadir corners are hypot(75, 50) = 90.1 m away; a 90 m range trims slivers off each corner
    points = local_footprint(
        altitude_m=100.0,
        yaw_deg=0.0,
        pitch_deg=-90.0,
        roll_deg=0.0,
        camera=CAMERA,
        max_range_m=90.0,
    )
    assert points is not None
    area = Polygon(points).area
    assert 14_900.0 < area < 15_000.0


@pytest.mark.parametrize(
    "overrides",
    [
        {"altitude_m": 0.0},
        {"altitude_m": -10.0},
        {"altitude_m": math.nan},
        {"altitude_m": math.inf},
        {"yaw_deg": math.nan},
        {"pitch_deg": math.inf},
        {"roll_deg": -math.inf},
        {"lat": 91.0},
        {"lat": 90.0},
        {"lon": 181.0},
        {"lon": math.nan},
        {"max_range_m": 0.0},
    ],
)
def test_absurd_inputs_have_no_footprint(overrides: dict[str, float]) -> None:
    assert footprint(**overrides) is None


@settings(max_examples=200, deadline=None)
@given(
    yaw=st.floats(-360, 360),
    pitch=st.floats(-120, 60),
    roll=st.floats(-45, 45),
    altitude=st.floats(1, 3000),
    focal=st.floats(10, 200),
)
def test_any_footprint_is_valid_ccw_and_within_range(
    yaw: float, pitch: float, roll: float, altitude: float, focal: float
) -> None:
    camera = Camera(focal_35mm=focal, width_px=4000, height_px=3000)
    polygon = footprint(
        yaw_deg=yaw, pitch_deg=pitch, roll_deg=roll, altitude_m=altitude, camera=camera
    )
    if polygon is None:
        return
    assert polygon.is_valid and polygon.exterior.is_ccw
    assert all(math.hypot(*p) <= 1000.0 + 1.0 for p in local_metres(polygon))


@settings(max_examples=50, deadline=None)
@given(yaw=st.floats(-720, 720))
def test_nadir_area_does_not_depend_on_yaw(yaw: float) -> None:
    polygon = footprint(yaw_deg=yaw)
    assert polygon is not None
    assert area_m2(polygon) == pytest.approx(15_000.0, abs=1.0)


def test_a_footprint_takes_well_under_a_millisecond() -> None:
    calls = 500
    start = time.perf_counter()
    for i in range(calls):
        footprint(yaw_deg=float(i), pitch_deg=-60.0)
    assert (time.perf_counter() - start) / calls < 1e-3


def test_exif_rationals_and_numpy_scalars_are_accepted() -> None:
    camera = camera_from_exif(
        focal_35mm=None,
        focal_mm=Fraction(88, 10),
        sensor_width_mm=np.float32(13.2),
        width_px=6000,
        height_px=4000,
    )
    assert camera is not None and camera.focal_35mm == pytest.approx(24.0, rel=1e-6)
    polygon = footprint(altitude_m=np.float32(100.0), yaw_deg=Fraction(0), lon=np.float64(LON))
    assert polygon is not None and area_m2(polygon) == pytest.approx(15_000.0, abs=1.0)


@pytest.mark.parametrize("bad", [None, "100", object()])
def test_non_numbers_have_no_footprint(bad: object) -> None:
    assert footprint(altitude_m=bad) is None
