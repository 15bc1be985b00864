"""The photo query behind the list and the API: the bounding-box path orders and pages like
the database does, the count agrees with the listing, and bad values are named."""

from __future__ import annotations

import pytest

from geo.db import create_engine
from inspections.errors import InvalidInput
from tests.scenario import Played
from web.accounts.users import find_user
from web.services.photos import PhotoQuery, count_photos, list_photos

DISTRICT = (120.0, 27.0, 123.0, 30.0)  # a box round the whole demo district


@pytest.mark.parametrize("oldest_first", [False, True])
def test_the_bbox_listing_orders_and_pages_as_the_database_does(played: Played,
                                                                oldest_first: bool) -> None:
    engine = create_engine(played.env["url"])
    with engine.connect() as conn:
        leader = find_user(conn, "leader")[0]
        plain = PhotoQuery(kind="drone", oldest_first=oldest_first, offset=40, limit=30)
        boxed = PhotoQuery(bbox=DISTRICT, kind="drone", oldest_first=oldest_first,
                           offset=40, limit=30)
        by_database = [r["id"] for r in list_photos(conn, leader, plain)]
        by_box = [r["id"] for r in list_photos(conn, leader, boxed)]
        total = count_photos(conn, leader, PhotoQuery(kind="drone"))
        every = list_photos(conn, leader, PhotoQuery(kind="drone", limit=500))
    engine.dispose()
    assert len(by_database) == 30 and by_box == by_database
    assert total == len(every) and {r["kind"] for r in every} == {"drone"}


@pytest.mark.parametrize(("query", "message"), [
    (PhotoQuery(kind="selfie"), "kind 'selfie': use one of field, drone, orthophoto"),
    (PhotoQuery(offset=-1), "offset -1: must not be negative"),
    (PhotoQuery(limit=0), "limit 0: must be 1 to 500"),
])
def test_bad_query_values_are_named(played: Played, query: PhotoQuery, message: str) -> None:
    engine = create_engine(played.env["url"])
    with engine.connect() as conn, pytest.raises(InvalidInput, match=message):
        list_photos(conn, find_user(conn, "leader")[0], query)
    engine.dispose()


def test_a_count_takes_no_bounding_box(played: Played) -> None:
    engine = create_engine(played.env["url"])
    with engine.connect() as conn, pytest.raises(InvalidInput, match="bbox: photos are "
                                                                      "counted without"):
        count_photos(conn, find_user(conn, "leader")[0], PhotoQuery(bbox=DISTRICT))
    engine.dispose()
