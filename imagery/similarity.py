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
    """Every stored photo's 64-bit pHash, for Hamming-distance look-ups, and the photos of
    the ingest under way (a few, kept apart: adding one never copies the stored arrays)."""

    def __init__(self, ids: list[int], hashes: list[str]) -> None:
        self._ids = np.array(ids, dtype=np.int64)
        self._bits = bits_of(hashes)
        self._visible: Visible | None = None
        self._added: list[tuple[int, int]] = []  # (id or placeholder, pHash) added since

    @classmethod
    def over(cls, ids: np.ndarray, bits: np.ndarray, visible: Visible) -> PhashIndex:
        """An index over shared arrays (never written) whose hits are kept only when
        `visible` says they still name photos the uploader may see; photos added
        afterwards are kept as they are."""
        index = cls([], [])
        index._ids, index._bits, index._visible = ids, bits, visible
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
        """Ids of photos within `max_bits` differing bits, closest first (then by id)."""
        target = int(phash, 16)
        found = self._stored_hits(target, max_bits) + [
            ((bits ^ target).bit_count(), photo_id) for photo_id, bits in self._added
            if (bits ^ target).bit_count() <= max_bits]
        return [photo_id for _, photo_id in sorted(found)]

    def _stored_hits(self, target: int, max_bits: int) -> list[tuple[int, int]]:
        """(distance, id) of the stored photos within `max_bits`, confirmed visible."""
        if len(self._ids) == 0:
            return []
        distance = np.bitwise_count(self._bits ^ np.uint64(target))
        hits = np.flatnonzero(distance <= max_bits)
        if len(hits) and self._visible is not None:
            allowed = self._visible(self._ids[hits].tolist())
            hits = hits[np.isin(self._ids[hits], list(allowed))]
        return list(zip(distance[hits].tolist(), self._ids[hits].tolist(), strict=True))

    def add(self, photo_id: int, phash: str) -> None:
        """Remember a photo about to be stored, so later ones in the batch are compared with
        it; before its row exists it goes under a negative placeholder id."""
        self._added.append((photo_id, int(phash, 16)))
