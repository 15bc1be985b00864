"""Change detection as a job (变化检测): queued after an orthophoto's ingest for each site it
covers that an earlier orthophoto covers too, run by a worker (reading two COGs and comparing
them takes seconds to minutes), its polygons stored for the round page's review."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from geo.schema import sites
from inspections.change_pairs import Pair, pairs_after
from web.clock import clock_for
from web.jobs.context import JobRun
from web.jobs.submit import submit
from web.settings import Settings
from web.store import file_store


def submit_changes(engine: Engine, settings: Settings, *, photo_id: int | None,
                   user_id: int | None) -> list[int]:
    """Queue change detection for each site the just-ingested photo covers beside an
    earlier orthophoto (none for other photos); the job ids. Blocking: from async code, run
    it in a thread."""
    if photo_id is None:
        return []
    with engine.connect() as conn:
        pairs = pairs_after(conn, photo_id)
    return [submit(engine, settings, kind="changes", title=p.site_code,
                   params={"site_id": p.site_id, "before_photo_id": p.before_photo_id,
                           "after_photo_id": p.after_photo_id}, user_id=user_id,
                   dedupe_key=f"changes:{p.site_id}:{p.before_photo_id}:{p.after_photo_id}")
            for p in pairs]


def detect_changes_job(run: JobRun, *, site_id: int, before_photo_id: int,
                       after_photo_id: int) -> dict[str, Any]:
    """Compare the pair over the site and store the polygons; how many, and the shift."""
    from web.services.changes import detect_pair  # the raster stack: in the worker only

    with run.engine.connect() as conn:
        code = conn.execute(sa.select(sites.c.code).where(sites.c.id == site_id)).scalar()
    if code is None:  # the site was deleted since: nothing to compare
        return {"polygons": 0}
    run.progress(0, 1, "jobs.step.changes", force=True)
    found = detect_pair(run.engine, file_store(run.settings),
                        Pair(site_id, code, before_photo_id, after_photo_id),
                        min_area_m2=run.settings.change_min_area_m2,
                        now=clock_for(run.settings, run.engine).now())
    run.progress(1, 1, "jobs.step.changes", force=True)
    return {"site": code, "polygons": len(found.change_ids), "shift_m": found.shift_m}
