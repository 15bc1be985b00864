"""The georeferencer and the pHash index, kept per process between uploads.

Building the georeferencer from every grid cell and site of a province takes a second or
two, too long to repeat for each uploaded photo. Each process keeps one per database and
checks it on every use against the layers' versions read from the database (count, last id,
last update: one cheap query), so an import done by any process is seen by the next upload
of every process. The pHash index is brought up to date the same way: only the photos added
since it was read are loaded; when the photos' count, last id or id sum no longer match
(a delete, or a photo committed late under a lower id) it is read again in full. Hits from
it are confirmed against the database, so a photo deleted meanwhile, or one the uploader may
not see, is never named. Nothing lives only here: it is all a copy of the database.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import sqlalchemy as sa

from geo import layers
from geo.locate import DEFAULT_RADIUS_M
from imagery.georef import Georeferencer
from imagery.schema import photos
from imagery.similarity import PhashIndex, Visible, bits_of

KEPT = 4  # databases remembered per process (tests open many; a server uses one)
_LOCK = threading.Lock()
_GEOREFS: OrderedDict[tuple, tuple[tuple, Georeferencer]] = OrderedDict()
_HASHES: OrderedDict[str, Hashes] = OrderedDict()
_BUILDS = {"georeferencer": 0, "hashes_full": 0, "hashes_added": 0}


@dataclass(frozen=True)
class Hashes:
    """Every stored photo's id and pHash as of one reading, with their fingerprint."""

    ids: np.ndarray
    bits: np.ndarray

    @property
    def version(self) -> tuple[int, int | None, int | None]:
        """Count, last id and id sum, as `_hashes_version` reads them from the database."""
        if len(self.ids) == 0:
            return 0, None, None
        return len(self.ids), int(self.ids.max()), int(self.ids.sum())


def builds() -> dict[str, int]:
    """How many times this process built a georeferencer, read every pHash and read only the
    new ones (for tests and benchmarks)."""
    with _LOCK:
        return dict(_BUILDS)


def _remember(cache: OrderedDict, key: object, value: object) -> None:
    with _LOCK:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > KEPT:
            cache.popitem(last=False)


def _recall(cache: OrderedDict, key: object) -> object | None:
    with _LOCK:
        return cache.get(key)


def _layers_version(conn: sa.Connection) -> tuple:
    return layers.version(conn, layers.GRID_CELLS) + layers.version(conn, layers.SITES)


def georeferencer(conn: sa.Connection, radius_m: float = DEFAULT_RADIUS_M) -> Georeferencer:
    """The georeferencer of the connection's database, built again only when its grid cells
    or sites changed since this process last built it."""
    key = (str(conn.engine.url), radius_m)
    version = _layers_version(conn)
    cached = _recall(_GEOREFS, key)
    if cached is not None and cached[0] == version:
        return cached[1]
    fresh = Georeferencer.from_connection(conn, radius_m)
    with _LOCK:
        _BUILDS["georeferencer"] += 1
    # The version read before the build: a change made meanwhile is seen on the next use.
    _remember(_GEOREFS, key, (version, fresh))
    return fresh


def _hashes_version(conn: sa.Connection) -> tuple[int, int | None, int | None]:
    c = photos.c
    count, last, total = conn.execute(
        sa.select(sa.func.count(), sa.func.max(c.id), sa.func.sum(c.id))
        .where(c.phash.is_not(None))).one()
    return int(count), last, None if total is None else int(total)


def _read(conn: sa.Connection, after: int | None) -> Hashes:
    stmt = sa.select(photos.c.id, photos.c.phash).where(photos.c.phash.is_not(None))
    if after is not None:
        stmt = stmt.where(photos.c.id > after)
    rows = conn.execute(stmt.order_by(photos.c.id)).all()
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    return Hashes(ids, bits_of([r[1] for r in rows]))


def _frozen(ids: np.ndarray, bits: np.ndarray) -> Hashes:
    ids.setflags(write=False)
    bits.setflags(write=False)
    return Hashes(ids, bits)


def _current(conn: sa.Connection, cached: Hashes | None) -> Hashes:
    """The cached hashes if still current, else those plus the newer photos, else all."""
    version = _hashes_version(conn)
    if cached is not None and cached.version == version:
        return cached
    if cached is not None and len(cached.ids):
        added = _read(conn, int(cached.ids.max()))
        grown = _frozen(np.concatenate([cached.ids, added.ids]),
                        np.concatenate([cached.bits, added.bits]))
        if grown.version == version:
            with _LOCK:
                _BUILDS["hashes_added"] += 1
            return grown
    full = _read(conn, None)
    with _LOCK:
        _BUILDS["hashes_full"] += 1
    return _frozen(full.ids, full.bits)


def _visible(engine: sa.Engine, scope: sa.ColumnElement[bool] | None) -> Visible:
    """Which of some photo ids still exist and lie in the scope (one query)."""
    def visible(ids: list[int]) -> set[int]:
        stmt = sa.select(photos.c.id).where(photos.c.id.in_(ids))
        if scope is not None:
            stmt = stmt.where(scope)
        with engine.connect() as conn:
            return set(conn.execute(stmt).scalars())
    return visible


def phash_index(conn: sa.Connection,
                scope: sa.ColumnElement[bool] | None = None) -> PhashIndex:
    """A pHash index of the photos `scope` selects (None: all) for one ingest, over the
    process's copy of every photo's hash brought up to date; the ingest may add to it
    without touching the copy."""
    key = str(conn.engine.url)
    hashes = _current(conn, _recall(_HASHES, key))
    _remember(_HASHES, key, hashes)
    return PhashIndex.over(hashes.ids, hashes.bits, _visible(conn.engine, scope))
