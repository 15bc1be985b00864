"""EXIF location and time, the awkward cases cameras and phones really write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from fractions import Fraction

import pytest
from PIL.TiffImagePlugin import IFDRational

from imagery.exif import gps_location, taken_at

N, E = b"N", b"E"


def r(num: int, den: int = 1) -> IFDRational:
    return IFDRational(num, den)


def test_degrees_minutes_seconds() -> None:
    # 28 deg 42' 3.6" N = 28.701, 121 deg 24' 36" E = 121.41
    gps = {1: N, 2: (r(28), r(42), r(36, 10)), 3: E, 4: (r(121), r(24), r(36))}
    lon, lat, _ = gps_location(gps)
    assert (round(lon, 6), round(lat, 6)) == (121.41, 28.701)


def test_decimal_degrees_packed_into_the_degrees_rational() -> None:
    gps = {1: N, 2: (r(28701, 1000), r(0), r(0)), 3: E, 4: (r(12141, 100), r(0), r(0))}
    assert gps_location(gps)[:2] == (121.41, 28.701)


def test_zero_over_zero_minutes_and_seconds_count_as_zero() -> None:
    gps = {1: N, 2: (r(28), r(0, 0), r(0, 0)), 3: E, 4: (r(121), r(30), r(0, 0))}
    assert gps_location(gps)[:2] == (121.5, 28.0)


def test_zero_over_zero_degrees_is_no_location() -> None:
    gps = {1: N, 2: (r(0, 0), r(0, 0), r(0, 0)), 3: E, 4: (r(121), r(0), r(0))}
    assert gps_location(gps)[:2] == (None, None)


def test_missing_refs_mean_north_and_east() -> None:
    assert gps_location({2: (r(28), r(30), r(0)), 4: (r(121), r(30), r(0))})[:2] == (121.5,
                                                                                     28.5)


def test_south_and_west_refs() -> None:
    gps = {1: "S", 2: (r(33), r(0), r(0)), 3: "W", 4: (r(70), r(30), r(0))}
    assert gps_location(gps)[:2] == (-70.5, -33.0)


def test_null_island_is_no_location() -> None:
    gps = {1: N, 2: (r(0), r(0), r(0)), 3: E, 4: (r(0), r(0), r(0))}
    assert gps_location(gps)[:2] == (None, None)


def test_out_of_range_is_no_location() -> None:
    gps = {1: N, 2: (r(128), r(0), r(0)), 3: E, 4: (r(121), r(0), r(0))}
    assert gps_location(gps)[:2] == (None, None)


def test_altitude_ref_below_sea_level() -> None:
    assert gps_location({5: 1, 6: r(125, 10)})[2] == -12.5
    assert gps_location({5: 0, 6: r(125, 10)})[2] == 12.5
    assert gps_location({6: Fraction(30)})[2] == 30.0


def test_time_with_offset() -> None:
    when, source = taken_at({0x9003: "2022:05:01 10:00:00", 0x9011: "+08:00"}, {})
    assert when == datetime(2022, 5, 1, 2, 0, tzinfo=UTC)
    assert when.utcoffset() == timedelta(hours=8)
    assert source == "exif_offset"


def test_gps_utc_stamp_when_no_offset() -> None:
    gps = {29: "2022:05:01", 7: (r(2), r(0), r(30))}
    when, source = taken_at({0x9003: "2022:05:01 10:00:00"}, gps)
    assert (when, source) == (datetime(2022, 5, 1, 2, 0, 30, tzinfo=UTC), "gps_utc")


def test_naive_local_time_is_marked() -> None:
    when, source = taken_at({0x9003: "2022:05:01 10:00:00"}, {})
    assert (when, when.tzinfo, source) == (datetime(2022, 5, 1, 10, 0), None, "exif_naive")


@pytest.mark.parametrize("bad", ["0000:00:00 00:00:00", "yesterday", "", None])
def test_unparseable_time_is_no_time(bad: str | None) -> None:
    assert taken_at({0x9003: bad, 0x9011: "+08:00"}, {}) == (None, None)


def test_negative_offset() -> None:
    when, _ = taken_at({0x9003: "2022:05:01 10:00:00", 0x9011: "-03:30"}, {})
    assert when.tzinfo == timezone(-timedelta(hours=3, minutes=30))
