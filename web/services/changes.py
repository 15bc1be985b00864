"""Change detection for one site and one pair of images (变化检测), as the job and the
command line run it: the engine (imagery/changes) compares the stored COGs or drone flights'
photos (web/services/change_sources.py), the polygons' thumbnails go to the store beside the
later image's files (a flight's: its representative photo's), the polygons to the database."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from shapely.geometry import mapping
from sqlalchemy.engine import Engine

from geo.schema import sites
from imagery.store import Store
from inspections.change_pairs import Pair, pairs_after
from inspections.change_review import FoundChange, record_changes
from web.services.change_sources import image_source, photo_sha

if TYPE_CHECKING:
    from web.settings import Settings

BUFFER_M = 20.0


@dataclass(frozen=True)
class Detection:
    """What one run found: the pair, the residual shift and the stored polygons' ids."""

    pair: Pair
    shift_m: float
    change_ids: tuple[int, ...]
    polygons: tuple[FoundChange, ...]

    def lines(self) -> list[dict[str, Any]]:
        """One JSON object per polygon, as `lookback changes detect --json` prints them."""
        return [{"site": self.pair.site_code, "before_photo": self.pair.before_photo_id,
                 "after_photo": self.pair.after_photo_id,
                 "geometry": mapping(p.geometry), "area_m2": round(p.area_m2, 1),
                 "score": round(p.score, 3), "shift_m": round(self.shift_m, 2)}
                for p in self.polygons]


def thumb_variant(data: bytes, side: str) -> str:
    """A polygon thumbnail's variant name, by its content (the same bytes stored once)."""
    return f"change-{hashlib.sha256(data).hexdigest()[:16]}-{side}.jpg"


def _site_geom(conn: sa.Connection, pair: Pair) -> Any:
    return conn.execute(sa.select(sites.c.geom).where(sites.c.id == pair.site_id)).scalar_one()


def detect_pair(engine: Engine, store: Store, pair: Pair, *, min_area_m2: float,
                now: datetime, gsd_m: float | None = None) -> Detection:
    """Compare the pair's images over the site (orthophotos or drone flights, at the
    engine's ground resolution, or `gsd_m`), store the thumbnails and the polygons
    (replacing the pair's unreviewed ones); what was found. Blocking and heavy: run it in a
    job or the command line, never in a request."""
    from imagery.changes import detect_changes  # the raster stack: only where it runs

    with engine.connect() as conn:
        site_geom, after_sha = _site_geom(conn, pair), photo_sha(conn, pair.after_photo_id)
    with image_source(engine, store, site_id=pair.site_id, photo_id=pair.before_photo_id,
                      flight_id=pair.before_flight_id) as before, \
            image_source(engine, store, site_id=pair.site_id, photo_id=pair.after_photo_id,
                         flight_id=pair.after_flight_id) as after:
        # Local COGs by path, an object store's by ranged reads (the engine opens both).
        result = detect_changes(before, after, site_geom, buffer_m=BUFFER_M,
                                min_area_m2=min_area_m2, **({"gsd_m": gsd_m} if gsd_m else {}))
    found = []
    for polygon in result.polygons:
        names = []
        for side, data in (("before", polygon.before_thumb), ("after", polygon.after_thumb)):
            names.append(thumb_variant(data, side))
            store.put(after_sha, data, names[-1])
        found.append(FoundChange(polygon.geometry, polygon.area_m2, polygon.score, *names))
    with engine.begin() as conn:
        ids = record_changes(conn, site_id=pair.site_id, before_photo_id=pair.before_photo_id,
                             after_photo_id=pair.after_photo_id, found=found,
                             shift_m=result.shift_m, detected_at=now)
    return Detection(pair, float(result.shift_m), tuple(ids), tuple(found))


def after_ingest(engine: Engine, settings: Settings, *, gsd_m: float | None = None
                 ) -> Callable[[list[int], datetime], None]:
    """What follows an ingest where no worker runs (the demo scenario): change detection for
    each new orthophoto (at `gsd_m`: the images' own, coarser one), run at once by the
    changes job's service (no queue)."""
    from web.store import file_store

    store = file_store(settings)

    def detect(photo_ids: list[int], now: datetime) -> None:
        for photo_id in photo_ids:
            with engine.connect() as conn:
                pairs = pairs_after(conn, photo_id)
            for pair in pairs:
                detect_pair(engine, store, pair, min_area_m2=settings.change_min_area_m2,
                            now=now, gsd_m=gsd_m)
    return detect
