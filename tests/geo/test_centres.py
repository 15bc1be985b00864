"""Layer centres held in memory: read once, read again when the layer changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from shapely.geometry import Point
from sqlalchemy.engine import Engine

from geo import layers
from geo.centres import layer_centres
from geo.layers import SITES, Feature
from geo.spatial import grid_clusters
from tests.geo import sample

BOX = (121.3, 28.6, 121.5, 28.8)


def test_the_centres_count_like_the_database(engine: Engine) -> None:
    sample.load(engine)
    with engine.connect() as conn:
        centres = layer_centres(conn, SITES, ("kind",))
        keep = centres.mask(BOX)
        ours = centres.clusters(BOX, 0.05, keep)
        theirs = grid_clusters(conn, SITES, BOX, 0.05)
    assert sorted((c.count, round(c.lon, 6)) for c in ours) == \
        sorted((c.count, round(c.lon, 6)) for c in theirs)
    assert int(keep.sum()) == 3
    assert int(centres.mask(BOX, kind="landfill").sum()) == 1


def test_the_centres_are_read_again_after_a_change(engine: Engine) -> None:
    sample.load(engine)
    with engine.connect() as conn:
        first = layer_centres(conn, SITES)
        assert layer_centres(conn, SITES) is first  # unchanged: from memory
    with engine.begin() as conn:
        layers.upsert(conn, SITES, [Feature("E9", "新企业", Point(121.45, 28.75),
                                            kind="enterprise")],
                      now=datetime(2023, 1, 1, tzinfo=UTC))
    with engine.connect() as conn:
        again = layer_centres(conn, SITES)
    assert again is not first
    assert len(again.xy) == len(first.xy) + 1
    # The new site's centre is among them (rows come in no set order).
    assert any(xy == pytest.approx((121.45, 28.75)) for xy in again.xy.tolist())
