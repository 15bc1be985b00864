"""Batches of stored files: each written to a local scratch name first (no waiting for the
disk or the network), then made durable together before the rows that name them."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from imagery.store.base import TEMP_PREFIX, Store


@dataclass(frozen=True)
class Staged:
    """A file written to a scratch name, not yet durable nor in place (picklable: worker
    processes stage, their parent commits)."""

    scratch: Path
    store: Store
    sha256: str
    variant: str


def stage(store: Store, sha256: str, data: bytes, variant: str = "original") -> Staged | None:
    """Write bytes to a scratch name without waiting for the disk (None if already stored);
    `commit` makes a batch of them durable and puts them in place."""
    if store.touch(sha256, variant):
        return None
    fd, tmp = tempfile.mkstemp(dir=store.scratch_dir(), prefix=TEMP_PREFIX)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return Staged(Path(tmp), store, sha256, variant)


def commit(staged: list[Staged]) -> None:
    """Make every staged file durable at its name (each store's own way, its waits overlapped
    on threads): afterwards every file is whole at its name, or not there. Raises OSError
    (StoreUnavailable for a store that cannot be reached) when that cannot be done."""
    by_store: dict[str, list[Staged]] = {}
    for item in staged:
        by_store.setdefault(item.store.describe(), []).append(item)
    for items in by_store.values():
        items[0].store.commit_staged(items)
