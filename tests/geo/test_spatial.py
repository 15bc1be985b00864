"""The spatial-query API on both backends, with values that can be checked by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from shapely.geometry import LineString, box

from geo import layers, spatial
from geo.errors import QueryError
from geo.layers import Feature
from tests.geo.sample import grid_frame, landfill_frame, sites_frame

NOW = datetime(2022, 5, 1, tzinfo=UTC)


def _features(frame, kind=None):  # noqa: ANN001, ANN202
    return [Feature(r.code, r.name, r.geometry, town=r.town, kind=kind)
            for r in frame.itertuples()]


@pytest.fixture
def loaded(engine):  # noqa: ANN001, ANN201
    with engine.begin() as conn:
        layers.upsert(conn, layers.GRID_CELLS, _features(grid_frame()), now=NOW)
        layers.upsert(conn, layers.SITES, _features(sites_frame(), "enterprise"), now=NOW)
        layers.upsert(conn, layers.SITES, _features(landfill_frame(), "landfill"), now=NOW)
    with engine.connect() as conn:
        yield conn


def codes(rows) -> list[str]:  # noqa: ANN001
    return [r["code"] for r in rows]


def test_bbox_returns_features_whose_geometry_meets_the_box(loaded) -> None:  # noqa: ANN001
    assert codes(spatial.in_bbox(loaded, layers.GRID_CELLS, (121.411, 28.701, 121.412, 28.702))) \
        == ["C2"]
    # The box lies inside C1's hole: C1's bounding box meets it but C1 itself does not.
    assert spatial.in_bbox(loaded, layers.GRID_CELLS, (121.404, 28.704, 121.405, 28.705)) == []
    assert codes(spatial.in_bbox(loaded, layers.SITES, (121.40, 28.69, 121.42, 28.72))) == \
        ["E1", "E2", "LF1"]


def test_intersecting_a_line_finds_every_cell_it_crosses(loaded) -> None:  # noqa: ANN001
    line = LineString([(121.401, 28.695), (121.415, 28.705)])
    assert codes(spatial.intersecting(loaded, layers.GRID_CELLS, line)) == ["C1", "C2", "C3"]


def test_containing_honours_holes_and_islands(loaded) -> None:  # noqa: ANN001
    assert spatial.containing(loaded, layers.GRID_CELLS, 121.401, 28.701)["code"] == "C1"
    assert spatial.containing(loaded, layers.GRID_CELLS, 121.405, 28.705) is None  # the pond
    assert spatial.containing(loaded, layers.GRID_CELLS, 121.435, 28.695)["code"] == "C3"
    assert spatial.containing(loaded, layers.GRID_CELLS, 121.425, 28.695) is None  # the sea
    # On the edge shared by C1 and C2 the lower id wins, the same on both backends.
    assert spatial.containing(loaded, layers.GRID_CELLS, 121.41, 28.705)["code"] == "C1"


def test_within_distance_gives_geodesic_metres_nearest_first(loaded) -> None:  # noqa: ANN001
    near = spatial.within_distance(loaded, layers.SITES, 121.405, 28.7, 100)
    # E2 is 0.0009 deg east (87.95 m at 28.7 N), E1 0.0009 deg north (99.75 m).
    assert [(n.feature["code"], round(n.distance_m, 2)) for n in near] == \
        [("E2", 87.95), ("E1", 99.75)]
    assert codes(n.feature for n in spatial.within_distance(
        loaded, layers.SITES, 121.405, 28.7, 95)) == ["E2"]


def test_distance_to_a_polygon_is_to_its_edge_and_zero_inside(loaded) -> None:  # noqa: ANN001
    near = spatial.within_distance(loaded, layers.SITES, 121.415, 28.708, 300)
    assert [(n.feature["code"], round(n.distance_m, 2)) for n in near] == [("LF1", 221.66)]
    inside = spatial.within_distance(loaded, layers.SITES, 121.415, 28.711, 10)
    assert [(n.feature["code"], n.distance_m) for n in inside] == [("LF1", 0.0)]


def test_queries_can_be_filtered_by_column(loaded) -> None:  # noqa: ANN001
    where = layers.SITES.table.c.kind == "landfill"
    assert codes(spatial.in_bbox(loaded, layers.SITES, (121.40, 28.69, 121.42, 28.72), where)) \
        == ["LF1"]


@pytest.mark.parametrize(("call", "message"), [
    (lambda c: spatial.in_bbox(c, layers.SITES, (121.5, 28.7, 121.4, 28.8)), "bbox"),
    (lambda c: spatial.containing(c, layers.GRID_CELLS, 28.7, 121.4), "not a longitude"),
    (lambda c: spatial.within_distance(c, layers.SITES, 121.4, 28.7, -5), "radius -5"),
    (lambda c: spatial.intersecting(c, layers.SITES, box(0, 0, 0, 0).boundary.difference(
        box(-1, -1, 1, 1))), "empty"),
])
def test_bad_query_arguments_are_explained(loaded, call, message) -> None:  # noqa: ANN001
    with pytest.raises(QueryError, match=message):
        call(loaded)
