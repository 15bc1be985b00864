"""Thumbnails made ahead of viewing, as a job: a photo indexed without them (a metadata-only
flight) gets its small and large thumbnails rendered by a worker, not by the first page that
shows it."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from imagery.decode import THUMBNAIL
from imagery.schema import photos
from imagery.store import Store
from imagery.thumbs import SIZES
from web.jobs.context import JobRun
from web.jobs.submit import submit
from web.settings import Settings
from web.store import file_store


def lacks_thumbnails(store: Store, sha256: str) -> bool:
    """Whether the photo was indexed without the small thumbnail every ingest makes (lists and
    the map show it; the larger one is otherwise made on first view)."""
    return not store.has(sha256, f"{THUMBNAIL}.jpg")


def submit_thumbnails(engine: Engine, settings: Settings, *, photo_id: int, sha256: str,
                      title: str, user_id: int | None) -> int:
    """Queue the rendering of one photo's thumbnails (once per photo); the job id."""
    return submit(engine, settings, kind="thumbnails", params={"photo_id": photo_id},
                  title=title, user_id=user_id, dedupe_key=f"thumbnails:{sha256[:64]}")


def make_thumbnails(run: JobRun, *, photo_id: int) -> dict[str, Any]:
    """Render the photo's missing thumbnails into the store; the sizes made."""
    from web.services.photos import thumbnail_bytes  # the imaging stack: in the worker only

    with run.engine.connect() as conn:
        photo = conn.execute(sa.select(photos).where(photos.c.id == photo_id)).mappings().first()
    if photo is None:  # deleted since: nothing left to do
        return {"sizes": []}
    store = file_store(run.settings)
    for done, size in enumerate(SIZES):
        run.progress(done, len(SIZES), "jobs.step.thumbnails", force=True)
        thumbnail_bytes(store, photo, size)
    run.progress(len(SIZES), len(SIZES), "jobs.step.thumbnails", force=True)
    return {"sizes": list(SIZES)}
