"""Change detection as a job (变化检测): queued after an orthophoto's ingest, and once a drone
flight's upload is complete, for each site the new image covers that an earlier image
(orthophoto or flight) covers too; run by a worker (reading two images and comparing them
takes seconds to minutes), its polygons stored for the round page's review."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from geo.schema import sites
from inspections.change_pairs import Pair, pairs_after, pairs_after_flight
from web.clock import clock_for
from web.jobs.context import JobRun
from web.jobs.submit import submit
from web.settings import Settings
from web.store import file_store


def dedupe_key(pair: Pair) -> str:
    """One job per site and pair of images (a flight's pair names its flights too)."""
    key = f"changes:{pair.site_id}:{pair.before_photo_id}:{pair.after_photo_id}"
    if pair.before_flight_id is None and pair.after_flight_id is None:
        return key
    return f"{key}:flights:{pair.before_flight_id}:{pair.after_flight_id}"


def submit_pairs(engine: Engine, settings: Settings, pairs: list[Pair],
                 user_id: int | None) -> list[int]:
    """Queue change detection for each pair; the job ids (a pair already queued once keeps
    its job)."""
    return [submit(engine, settings, kind="changes", title=p.site_code,
                   params=p.job_params(), user_id=user_id, dedupe_key=dedupe_key(p))
            for p in pairs]


def submit_changes(engine: Engine, settings: Settings, *, photo_id: int | None,
                   user_id: int | None) -> list[int]:
    """Queue change detection for each site the just-ingested photo covers beside an
    earlier image (none for photos other than orthophotos: a flight's photos wait for the
    flight to be complete); the job ids. Blocking: from async code, run it in a thread."""
    if photo_id is None:
        return []
    with engine.connect() as conn:
        pairs = pairs_after(conn, photo_id)
    return submit_pairs(engine, settings, pairs, user_id)


def submit_flight_changes(engine: Engine, settings: Settings, *, flight_id: int,
                          user_id: int | None) -> list[int]:
    """Queue change detection for each site the completed flight covers beside an earlier
    image; the job ids. Blocking."""
    with engine.connect() as conn:
        pairs = pairs_after_flight(conn, flight_id)
    return submit_pairs(engine, settings, pairs, user_id)


def detect_changes_job(run: JobRun, *, site_id: int, before_photo_id: int,
                       after_photo_id: int, before_flight_id: int | None = None,
                       after_flight_id: int | None = None) -> dict[str, Any]:
    """Compare the pair over the site and store the polygons; how many, and the shift."""
    from web.services.changes import detect_pair  # the raster stack: in the worker only

    with run.engine.connect() as conn:
        code = conn.execute(sa.select(sites.c.code).where(sites.c.id == site_id)).scalar()
    if code is None:  # the site was deleted since: nothing to compare
        return {"polygons": 0}
    run.progress(0, 1, "jobs.step.changes", force=True)
    pair = Pair(site_id, code, before_photo_id, after_photo_id, before_flight_id,
                after_flight_id)
    found = detect_pair(run.engine, file_store(run.settings), pair,
                        min_area_m2=run.settings.change_min_area_m2,
                        now=clock_for(run.settings, run.engine).now())
    run.progress(1, 1, "jobs.step.changes", force=True)
    return {"site": code, "polygons": len(found.change_ids), "shift_m": found.shift_m}
