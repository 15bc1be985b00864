"""Town and district boundaries dissolved from grid cells: one outline per town with its
label inside, one of all; a layer without cells has none."""

from __future__ import annotations

import pytest
from shapely.geometry import Point, box

from geo.boundaries import dissolve

A1, A2 = box(0, 0, 1, 1), box(1, 0, 2, 1)  # town A: two cells side by side
B1 = box(0, 1, 2, 2)  # town B: one cell above them
LOOSE = box(2, 0, 3, 1)  # a cell of no town


def test_cells_dissolve_into_their_towns_and_the_district() -> None:
    found = dissolve([("A", A1), ("B", B1), ("A", A2), (None, LOOSE)], version=(1,))
    towns = {t.name: t for t in found.towns}
    assert sorted(towns) == ["A", "B"]
    assert towns["A"].geometry.geom_type == "Polygon"
    assert towns["A"].geometry.area == pytest.approx(2.0)
    assert towns["B"].geometry.area == pytest.approx(2.0)
    assert found.district.area == pytest.approx(5.0)
    assert found.district.geom_type == "Polygon"
    for town in found.towns:
        assert town.geometry.contains(Point(town.label))
    assert found.version == (1,)


def test_neighbouring_towns_keep_a_common_edge() -> None:
    found = dissolve([("A", A1), ("A", A2), ("B", B1)])
    a, b = (t.geometry for t in found.towns)
    assert a.intersection(b).length == pytest.approx(2.0)
    assert a.intersection(b).area == pytest.approx(0.0)


def test_cells_a_hair_apart_still_dissolve() -> None:
    found = dissolve([("A", A1), ("A", box(1 + 1e-9, 0, 2, 1))])
    assert found.towns[0].geometry.geom_type == "Polygon"


def test_no_cells_no_boundaries() -> None:
    found = dissolve([])
    assert found.district is None and found.towns == ()
