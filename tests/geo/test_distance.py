"""Distances in metres agree with the geodesic on the WGS 84 ellipsoid."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import LineString, Point, box

from geo.distance import degree_margins, distances_m

GEOD = Geod(ellps="WGS84")
lons = st.floats(73.5, 134.5)
lats = st.floats(18.0, 53.0)
offsets = st.floats(-0.012, 0.012)


def test_one_degree_of_latitude_at_the_district() -> None:
    """0.001 deg north of 28.7 N is 110.83 m along the meridian (a degree there: 110.83 km)."""
    assert distances_m([121.4], [28.7], [Point(121.4, 28.701)])[0] == pytest.approx(110.83,
                                                                                    abs=0.01)


def test_inside_a_polygon_is_zero() -> None:
    assert distances_m([121.405], [28.705], [box(121.4, 28.7, 121.41, 28.71)])[0] == 0.0


@settings(max_examples=200, deadline=None)
@given(lons, lats, offsets, offsets)
def test_point_to_point_is_the_geodesic(lon: float, lat: float, dx: float, dy: float) -> None:
    expected = GEOD.inv(lon, lat, lon + dx, lat + dy)[2]
    got = distances_m([lon], [lat], [Point(lon + dx, lat + dy)])[0]
    assert got == pytest.approx(expected, abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(lons, lats, offsets, offsets, offsets, offsets)
def test_point_to_segment_within_half_a_metre_at_a_kilometre(
        lon: float, lat: float, ax: float, ay: float, bx: float, by: float) -> None:
    """Against a brute force: the geodesic to points every ~0.2 m along the segment."""
    assume(abs(ax - bx) + abs(ay - by) > 1e-5)
    segment = LineString([(lon + ax, lat + ay), (lon + bx, lat + by)])
    dense = shapely.get_coordinates(shapely.segmentize(segment, 2e-6))
    brute = GEOD.inv(np.full(len(dense), lon), np.full(len(dense), lat),
                     dense[:, 0], dense[:, 1])[2].min()
    got = distances_m([lon], [lat], [segment])[0]
    assert got <= brute + 1e-3  # never more than the true distance (to a millimetre)
    assert got == pytest.approx(brute, abs=0.5)


def test_degree_margins_hold_the_circle() -> None:
    dlon, dlat = degree_margins(np.array([28.7]), 100.0)
    assert GEOD.inv(121.4, 28.7, 121.4 + dlon[0], 28.7)[2] > 100.0
    assert GEOD.inv(121.4, 28.7, 121.4, 28.7 + dlat[0])[2] > 100.0
    assert GEOD.inv(121.4, 28.7, 121.4 + dlon[0], 28.7)[2] < 102.0
