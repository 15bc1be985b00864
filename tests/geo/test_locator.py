"""The in-memory batch locator answers exactly as the database queries do."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from geo.locate import locate
from geo.locator import NO_CELL, Locator
from tests.geo import sample

NOW = datetime(2022, 5, 1, tzinfo=UTC)


@pytest.fixture
def conn(engine):  # noqa: ANN001, ANN201
    sample.load(engine)
    with engine.connect() as c:
        yield c


def test_batch_matches_single_point_queries(conn) -> None:  # noqa: ANN001
    rng = np.random.default_rng(7)
    lons = rng.uniform(121.398, 121.442, 400)
    lats = rng.uniform(28.688, 28.714, 400)
    locator = Locator.from_connection(conn)
    batch = locator.locate(lons, lats, 150.0)
    for i, (lon, lat) in enumerate(zip(lons, lats, strict=True)):
        one = locate(conn, float(lon), float(lat), 150.0)
        cell = locator.cells[batch.cell[i]]["code"] if batch.cell[i] != NO_CELL else None
        assert cell == (one.grid_cell.code if one.grid_cell else None)
        mine = batch.point == i
        got = [(locator.sites[s]["code"], round(float(d), 2))
               for s, d in zip(batch.site[mine], batch.distance_m[mine], strict=True)]
        assert got == [(s.code, s.distance_m) for s in one.sites]


def test_hand_checked_point(conn) -> None:  # noqa: ANN001
    batch = Locator.from_connection(conn).locate([121.405, 121.405], [28.7, 28.705])
    assert batch.cell.tolist() == [0, NO_CELL]  # on C1's edge; in C1's pond
    assert batch.point.tolist() == [0, 0]
    assert np.round(batch.distance_m, 2).tolist() == [87.95, 99.75]
