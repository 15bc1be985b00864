"""The demo scenario's world: the database, the clock, the photos it takes, and a timeline
of events played in order."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import sqlalchemy as sa
from shapely.geometry.base import BaseGeometry
from sqlalchemy.engine import Engine

from geo.layers import SITES
from imagery.demo_photos import PhotoSpec, write_photo
from imagery.ingest import IngestContext, IngestRequest, ingest
from imagery.store import Store
from inspections.cases import find_case
from inspections.clock import DEFAULT_TZ, FixedClock
from inspections.errors import InspectionError


class ScenarioError(InspectionError):
    """The demo scenario could not be played (e.g. the demo layers are missing)."""


@dataclass(frozen=True)
class Site:
    """A site of the demo layers, with a point to photograph it from."""

    id: int
    code: str
    name: str
    kind: str
    town: str | None
    industry: str | None
    lon: float
    lat: float


def local(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A time of day in the demo district (whose zone is the default one, Asia/Shanghai)."""
    return datetime.combine(day, time(hour, minute), DEFAULT_TZ)


@dataclass(order=True)
class Event:
    """Something that happens at a time; ties keep the order they were added in."""

    at: datetime
    seq: int
    action: Callable[[World], None] = field(compare=False)


@dataclass
class World:
    """Everything the scenario's events act on."""

    engine: Engine
    store: Store
    photo_dir: Path
    clock: FixedClock
    sites: dict[str, Site]
    end: datetime  # the scenario stops here: what would come later has not happened yet
    photos_taken: int = 0
    _events: list[Event] = field(default_factory=list)
    _seq: Iterator[int] = field(default_factory=itertools.count)
    notes: dict[str, object] = field(default_factory=dict)
    # Called with the ids of newly ingested orthophotos and the time (the application's
    # jobs that follow such an ingest: change detection); None: nothing follows.
    on_ingest: Callable[[list[int], datetime], None] | None = None

    def at(self, when: datetime, action: Callable[[World], None]) -> None:
        """Schedule an action (dropped when it falls after the end)."""
        if when > self.end:
            return
        heapq.heappush(self._events, Event(when, next(self._seq), action))

    def play(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Run every event in time order (events may schedule more); how many ran."""
        done = 0
        while self._events:
            event = heapq.heappop(self._events)
            self.clock.set(event.at)
            event.action(self)
            done += 1
            if progress:
                progress(done, done + len(self._events))
        return done

    @contextmanager
    def tx(self) -> Iterator[sa.Connection]:
        """One transaction."""
        with self.engine.begin() as conn:
            yield conn

    def case_id(self, reference: str) -> int:
        """The id of a case the scenario opened."""
        with self.engine.connect() as conn:
            return find_case(conn, reference).id

    def take(self, shots: list[tuple[float, float, str, float | None]],
             user: str) -> list[int]:
        """Photos taken now at (lon, lat, scene, drone altitude or None), uploaded at once
        through the ingest a user's upload goes through; their ids."""
        specs = []
        for lon, lat, scene, altitude in shots:
            self.photos_taken += 1
            n = self.photos_taken
            prefix = "DJI" if altitude is not None else "IMG"
            specs.append(PhotoSpec(f"{prefix}_{n:05d}.JPG", lon, lat, self.clock.now(),
                                   seed=20_221_000 + n, scene=scene, drone_altitude_m=altitude))
        paths = [write_photo(spec, self.photo_dir) for spec in specs]
        ids = self.ingest_files(paths, user)
        for path in paths:
            path.unlink()
        return ids

    def ingest_files(self, paths: list[Path], user: str) -> list[int]:
        """Files uploaded now by `user` through the ingest a user's upload goes through,
        then whatever follows an orthophoto's ingest (`on_ingest`); their ids."""
        ctx = IngestContext(engine=self.engine, store=self.store, now=self.clock.now(),
                            user=user, local_tz=self.clock.tz, workers=1)
        results = list(ingest(ctx, [IngestRequest(p) for p in paths]))
        bad = [r for r in results if r.id is None]
        if bad:
            raise ScenarioError(f"demo photo {bad[0].file}: {bad[0].status}: {bad[0].reason}")
        orthophotos = [r.id for r in results if r.id is not None and r.kind == "orthophoto"]
        if self.on_ingest is not None and orthophotos:
            self.on_ingest(orthophotos, self.clock.now())
        return [r.id for r in results if r.id is not None]


def _point(geom: BaseGeometry) -> tuple[float, float]:
    p = geom if geom.geom_type == "Point" else geom.representative_point()
    return p.x, p.y


def load_sites(conn: sa.Connection) -> dict[str, Site]:
    """The demo layers' sites by code."""
    rows = conn.execute(sa.select(SITES.table.c.id, SITES.table.c.code, SITES.table.c.name,
                                  SITES.table.c.kind, SITES.table.c.town,
                                  SITES.table.c.industry, SITES.table.c.geom)
                        .order_by(SITES.table.c.code))
    return {r.code: Site(r.id, r.code, r.name, r.kind, r.town, r.industry, *_point(r.geom))
            for r in rows}
