"""The per-process georeferencer and pHash index: reused while the database is unchanged,
brought up to date from what other connections wrote (new photos, a photo committed late
under a lower id, a deleted photo), never naming a photo outside the uploader's scope."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from shapely.geometry import Point, box
from sqlalchemy.engine import Engine

from geo import layers
from geo.db import create_engine
from imagery import georef_cache
from imagery.schema import photos

NOW = datetime(2022, 6, 1, tzinfo=UTC)
HASH = "c3a5a5a5a5a5a5c3"
NEAR = "c3a5a5a5a5a5a5c0"  # two bits away


@pytest.fixture
def other(engine: Engine) -> Iterator[Engine]:
    """A second engine on the same database: another process's connections."""
    second = create_engine(engine.url.render_as_string(hide_password=False))
    yield second
    second.dispose()


def _photo(conn: sa.Connection, phash: str, by: str = "a", photo_id: int | None = None) -> int:
    values = {"sha256": f"{phash}{by}{photo_id}".ljust(64, "0"), "kind": "field",
              "media_type": "image/jpeg", "original_name": "p.jpg", "size_bytes": 1,
              "original_stored": True, "width": 1, "height": 1, "location_source": "none",
              "flags": [], "similar_to": [], "uploaded_at": NOW, "uploaded_by": by,
              "phash": phash}
    if photo_id is not None:
        values["id"] = photo_id
    return conn.execute(sa.insert(photos).values(values).returning(photos.c.id)).scalar_one()


def _similar(engine: Engine, scope: sa.ColumnElement[bool] | None = None) -> list[int]:
    with engine.connect() as conn:
        return georef_cache.phash_index(conn, scope).similar(HASH)


def test_the_georeferencer_is_reused_until_a_layer_changes(engine: Engine,
                                                            other: Engine) -> None:
    with engine.begin() as conn:
        layers.upsert(conn, layers.GRID_CELLS, [layers.Feature("G1", "一", box(0, 0, 1, 1))],
                      now=NOW)
    with engine.connect() as conn:
        first = georef_cache.georeferencer(conn)
        builds = georef_cache.builds()["georeferencer"]
        assert georef_cache.georeferencer(conn) is first
        assert georef_cache.builds()["georeferencer"] == builds
    with other.begin() as conn:  # moved in place, at the same (frozen) time
        layers.upsert(conn, layers.GRID_CELLS, [layers.Feature("G1", "一", box(5, 5, 6, 6))],
                      now=NOW)
    with engine.connect() as conn:
        fresh = georef_cache.georeferencer(conn)
    assert fresh is not first and georef_cache.builds()["georeferencer"] == builds + 1
    assert fresh.locate(5.5, 5.5).grid_cell["code"] == "G1"
    assert fresh.locate(0.5, 0.5).grid_cell is None


def test_a_site_added_elsewhere_is_seen(engine: Engine, other: Engine) -> None:
    with engine.connect() as conn:
        assert georef_cache.georeferencer(conn).locate(1.0, 1.0).sites == []
    with other.begin() as conn:
        layers.upsert(conn, layers.SITES, [layers.Feature("S1", "厂", Point(1.0, 1.0),
                                                          kind="enterprise")], now=NOW)
    with engine.connect() as conn:
        [site] = georef_cache.georeferencer(conn).locate(1.0, 1.0).sites
    assert site.code == "S1"


def test_photos_added_by_another_connection_are_read_without_reading_all(
        engine: Engine, other: Engine) -> None:
    with engine.begin() as conn:
        first = _photo(conn, HASH)
    assert _similar(engine) == [first]
    before = georef_cache.builds()
    with other.begin() as conn:
        second = _photo(conn, NEAR)
    assert _similar(engine) == [first, second]
    after = georef_cache.builds()
    assert after["hashes_added"] == before["hashes_added"] + 1
    assert after["hashes_full"] == before["hashes_full"]
    assert _similar(engine) == [first, second]
    assert georef_cache.builds() == after  # unchanged: nothing read again


def test_a_late_commit_under_a_lower_id_is_found_without_reading_all(
        engine: Engine, other: Engine) -> None:
    with engine.begin() as conn:
        kept = _photo(conn, HASH, photo_id=10)
        last = _photo(conn, NEAR, photo_id=20)
    assert _similar(engine) == [kept, last]
    before = georef_cache.builds()["hashes_full"]
    with other.begin() as conn:  # committed after the cache read id 20, under id 15
        late = _photo(conn, NEAR, "b", photo_id=15)
    assert _similar(engine) == [kept, late, last]
    assert georef_cache.builds()["hashes_full"] == before  # the missing id was asked for


def test_the_last_photo_deleted_and_its_id_reused_reads_all_again(
        engine: Engine, other: Engine) -> None:
    with engine.begin() as conn:
        kept = _photo(conn, HASH, photo_id=10)
        last = _photo(conn, NEAR, photo_id=20)
    assert _similar(engine) == [kept, last]
    before = georef_cache.builds()["hashes_full"]
    with other.begin() as conn:
        conn.execute(sa.delete(photos).where(photos.c.id.in_([kept, last])))
        _photo(conn, "0f0f0f0f0f0f0f0f", "c", photo_id=10)  # nothing like HASH
        _photo(conn, "0f0f0f0f0f0f0f0e", "c", photo_id=20)
    assert _similar(engine) == []
    assert georef_cache.builds()["hashes_full"] == before + 1


def test_a_deleted_photo_is_never_named_even_before_a_reload(engine: Engine,
                                                              other: Engine) -> None:
    with engine.begin() as conn:
        gone = _photo(conn, HASH)
    with engine.connect() as conn:
        index = georef_cache.phash_index(conn)
    with other.begin() as conn:
        conn.execute(sa.delete(photos).where(photos.c.id == gone))
    assert index.similar(HASH) == []


def test_only_photos_in_scope_are_named_and_the_batch_still_sees_its_own(
        engine: Engine) -> None:
    with engine.begin() as conn:
        mine = _photo(conn, HASH, "a")
        theirs = _photo(conn, NEAR, "b")
    assert _similar(engine) == [mine, theirs]
    with engine.connect() as conn:
        index = georef_cache.phash_index(conn, photos.c.uploaded_by == "a")
    assert index.similar(HASH) == [mine]
    index.add(-1, NEAR)  # a photo of the batch, not stored yet
    assert index.similar(HASH) == [mine, -1]
    assert _similar(engine) == [mine, theirs]  # the process's copy is untouched

