"""The georeferencer and the pHash index, kept per process between uploads.

Building the georeferencer from every grid cell and site of a province takes a second or
two, too long to repeat for each uploaded photo. Each process keeps one per database and
checks it on every use against the layers' revisions and last ids (`geo.layers.revisions`:
one query that reads no layer), so an import done by any process is seen by the next upload
of every process.

The pHash index is brought up to date the same way, without counting the photos (a full
count of a million photos takes most of a second): each use reads the photos above the last
id seen, and again the ids that were missing below it a short while ago (on PostgreSQL a
photo can be committed after one with a higher id). When the last photo seen is gone or
changed (photos deleted and their ids reused) it is read again in full. Hits are confirmed
against the database, so a deleted photo, or one the uploader may not see, is never named.
Nothing lives only here: it is all a copy of the database.
"""

from __future__ import annotations

import threading
import time
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
GAP_SECONDS = 600.0  # a missing id is looked for again this long (a commit comes by then)
GAP_IDS = 5000  # and at most this many of them, the newest
PAGE = 1000  # new photos read per query
_LOCK = threading.Lock()
_GEOREFS: OrderedDict[tuple, tuple[tuple, Georeferencer]] = OrderedDict()
_HASHES: OrderedDict[str, Hashes] = OrderedDict()
_BUILDS = {"georeferencer": 0, "hashes_full": 0, "hashes_added": 0}


@dataclass(frozen=True)
class Hashes:
    """The stored photos' ids and pHashes as of one reading (arrays never written)."""

    ids: np.ndarray
    bits: np.ndarray
    last: int  # the highest photo id read, with a pHash or not (0: none)
    last_phash: str | None  # that photo's pHash, to notice it replaced
    gaps: tuple[tuple[int, float], ...]  # ids missing below `last`, and since when


def builds() -> dict[str, int]:
    """How many times this process built a georeferencer, read every pHash, and added newly
    stored ones (for tests and benchmarks)."""
    with _LOCK:
        return dict(_BUILDS)


def _count(what: str) -> None:
    with _LOCK:
        _BUILDS[what] += 1


def _remember(cache: OrderedDict, key: object, value: object) -> None:
    with _LOCK:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > KEPT:
            cache.popitem(last=False)


def _recall(cache: OrderedDict, key: object) -> object | None:
    with _LOCK:
        return cache.get(key)


def georeferencer(conn: sa.Connection, radius_m: float = DEFAULT_RADIUS_M) -> Georeferencer:
    """The georeferencer of the connection's database, built again only when its grid cells
    or sites changed since this process last built it."""
    key = (str(conn.engine.url), radius_m)
    version = layers.revisions(conn)
    cached = _recall(_GEOREFS, key)
    if cached is not None and cached[0] == version:
        return cached[1]
    fresh = Georeferencer.from_connection(conn, radius_m)
    _count("georeferencer")
    # The version read before the build: a change made meanwhile is seen on the next use.
    _remember(_GEOREFS, key, (version, fresh))
    return fresh


def _new_gaps(seen: list[int], after: int, now: float) -> list[tuple[int, float]]:
    """The ids missing from `seen` (sorted) above `after`, the newest GAP_IDS of them."""
    if not seen:
        return []
    present = np.array(seen, dtype=np.int64)
    span = np.arange(max(after + 1, present[-1] - GAP_IDS), present[-1], dtype=np.int64)
    return [(int(i), now) for i in np.setdiff1d(span, present)]


def _with_rows(base: Hashes | None, rows: list, gaps: list[tuple[int, float]]) -> Hashes:
    """`base` (or nothing) plus the rows read (id, pHash), with the gaps still open."""
    hashed = [r for r in rows if r[1] is not None]
    ids = np.array([r[0] for r in hashed], dtype=np.int64)
    bits = bits_of([r[1] for r in hashed])
    last, last_phash = (base.last, base.last_phash) if base else (0, None)
    if base is not None:
        ids, bits = np.concatenate([base.ids, ids]), np.concatenate([base.bits, bits])
    if rows and rows[-1][0] > last:  # the newest come last, by id
        last, last_phash = rows[-1][0], rows[-1][1]
    ids.setflags(write=False)
    bits.setflags(write=False)
    return Hashes(ids, bits, last, last_phash, tuple(gaps[-GAP_IDS:]))


def _read_all(conn: sa.Connection) -> Hashes:
    """Every pHash, and the ids of the newest photos (with one or not: for the gaps)."""
    recent = sa.select(sa.func.max(photos.c.id) - GAP_IDS).scalar_subquery()
    rows = conn.execute(sa.select(photos.c.id, photos.c.phash)
                        .where(sa.or_(photos.c.phash.is_not(None), photos.c.id > recent))
                        .order_by(photos.c.id)).all()
    _count("hashes_full")
    return _with_rows(None, rows, _new_gaps([r[0] for r in rows], 0, time.monotonic()))


def _unchanged_last(conn: sa.Connection, cached: Hashes) -> bool:
    """Whether the last photo read is still there with the same pHash."""
    if cached.last == 0:
        return True
    found = conn.execute(sa.select(photos.c.id, photos.c.phash)
                         .where(photos.c.id == cached.last)).first()
    return found is not None and found[1] == cached.last_phash


def _after(conn: sa.Connection, last: int) -> list:
    """The photos above an id, by id, a page at a time (a LIMIT keeps PostgreSQL on the
    primary key even before it has statistics of a freshly filled table)."""
    rows: list = []
    while True:
        page = conn.execute(sa.select(photos.c.id, photos.c.phash).where(photos.c.id > last)
                            .order_by(photos.c.id).limit(PAGE)).all()
        rows += page
        if len(page) < PAGE:
            return rows
        last = page[-1][0]


def _filled(conn: sa.Connection, gaps: list[int]) -> list:
    """The photos stored since under ids that were missing."""
    if not gaps:
        return []
    return conn.execute(sa.select(photos.c.id, photos.c.phash).where(photos.c.id.in_(gaps))
                        .order_by(photos.c.id)).all()


def _current(conn: sa.Connection, cached: Hashes | None) -> Hashes:
    """The cached hashes, with the photos stored since added; all of them read again when
    the last one read was replaced."""
    if cached is None or not _unchanged_last(conn, cached):
        return _read_all(conn)
    now = time.monotonic()
    gaps = [(i, since) for i, since in cached.gaps if now - since < GAP_SECONDS]
    rows = _filled(conn, [i for i, _ in gaps]) + _after(conn, cached.last)
    if not rows and len(gaps) == len(cached.gaps):
        return cached
    found = {r[0] for r in rows}
    gaps = [g for g in gaps if g[0] not in found]
    gaps += _new_gaps([r[0] for r in rows if r[0] > cached.last], cached.last, now)
    if rows:
        _count("hashes_added")
    return _with_rows(cached, rows, gaps)


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
