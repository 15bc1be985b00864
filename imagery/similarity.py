"""Perceptual-hash matching: a new photo too close to a stored one may be reused evidence."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sqlalchemy as sa

from imagery.schema import photos

SIMILAR_BITS = 6  # of 64; re-saved or resized copies differ by a few bits, new shots by many


Visible = Callable[[list[int]], set[int]]


def bits_of(hashes: list[str]) -> np.ndarray:
    """Hex pHashes as 64-bit integers."""
    return np.array([int(h, 16) for h in hashes], dtype=np.uint64)


class PhashIndex:
    """Every stored photo's 64-bit pHash, for Hamming-distance look-ups."""

    def __init__(self, ids: list[int], hashes: list[str]) -> None:
        self._ids = np.array(ids, dtype=np.int64)
        self._bits = bits_of(hashes)
        self._visible: Visible | None = None
        self._checked = 0  # the first entries, whose hits `_visible` must confirm

    @classmethod
    def over(cls, ids: np.ndarray, bits: np.ndarray, visible: Visible) -> PhashIndex:
        """An index over shared arrays (never written: `add` and `relabel` make new ones)
        whose hits are kept only when `visible` says they still name photos the uploader
        may see; photos added afterwards are kept as they are."""
        index = cls([], [])
        index._ids, index._bits = ids, bits
        index._visible, index._checked = visible, len(ids)
        return index

    @classmethod
    def from_connection(cls, conn: sa.Connection,
                        scope: sa.ColumnElement[bool] | None = None) -> PhashIndex:
        """Load the hashes of every stored photo (of those `scope` selects, when given: an
        uploader is only told of photos they may see)."""
        stmt = sa.select(photos.c.id, photos.c.phash).where(photos.c.phash.is_not(None))
        if scope is not None:
            stmt = stmt.where(scope)
        rows = conn.execute(stmt.order_by(photos.c.id)).all()
        return cls([r[0] for r in rows], [r[1] for r in rows])

    def similar(self, phash: str, max_bits: int = SIMILAR_BITS) -> list[int]:
        """Ids of stored photos within `max_bits` differing bits, closest first."""
        if len(self._ids) == 0:
            return []
        distance = np.bitwise_count(self._bits ^ np.uint64(int(phash, 16)))
        hits = np.flatnonzero(distance <= max_bits)
        hits = self._confirmed(hits)
        order = np.lexsort((self._ids[hits], distance[hits]))
        return self._ids[hits][order].tolist()

    def _confirmed(self, hits: np.ndarray) -> np.ndarray:
        """The hits left once the checked entries among them are confirmed."""
        checked = hits < self._checked
        if self._visible is None or not checked.any():
            return hits
        allowed = self._visible(self._ids[hits[checked]].tolist())
        return hits[~checked | np.isin(self._ids[hits], list(allowed))]

    def add(self, photo_id: int, phash: str) -> None:
        """Remember a photo about to be stored, so later ones in the batch are compared with
        it; before its row exists it goes under a negative placeholder id."""
        self._ids = np.append(self._ids, photo_id)
        self._bits = np.append(self._bits, np.uint64(int(phash, 16)))

    def relabel(self, ids: dict[int, int]) -> None:
        """Give placeholders their real ids; placeholders not named are forgotten."""
        keep = (self._ids >= 0) | np.isin(self._ids, list(ids))
        self._ids = np.array([ids.get(int(i), int(i)) for i in self._ids[keep]], dtype=np.int64)
        self._bits = self._bits[keep]
