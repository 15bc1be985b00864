"""An image of a site as the change-detection engine reads it (变化检测影像来源): an
orthophoto's stored COG (a local path, or ranged reads from an object store), or a drone
flight's nadir photos covering the site, each placed on the ground from its stored pose
(position, height above the take-off point, gimbal angles, 35 mm focal length: as the
ingest computed its footprint). Photos in an object store are copied to a scratch folder
for the time of the comparison (the engine decodes local JPEGs)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from imagery.errors import RejectedFile
from imagery.footprint import Camera
from imagery.schema import photos
from imagery.store import Store
from inspections.change_images import flight_photo_ids

if TYPE_CHECKING:
    from imagery.changes.nadir import NadirPhoto
    from imagery.changes.sources import Source

COG = "cog.tif"
POSE = (photos.c.id, photos.c.sha256, photos.c.original_name, photos.c.geom,
        photos.c.relative_altitude_m, photos.c.yaw_deg, photos.c.pitch_deg, photos.c.roll_deg,
        photos.c.focal_35mm, photos.c.width, photos.c.height)


def photo_sha(conn: sa.Connection, photo_id: int) -> str:
    """A photo's content hash (its name in the store)."""
    return conn.execute(sa.select(photos.c.sha256).where(photos.c.id == photo_id)).scalar_one()


def local_original(store: Store, sha256: str, scratch: Path) -> Path:
    """A local path of a stored original: where it is in a folder store, else a copy in
    `scratch`, streamed a block at a time."""
    where = store.raster(sha256, "original")
    if isinstance(where, Path):
        return where
    copy = scratch / f"{sha256}.jpg"
    with copy.open("wb") as out:
        for block in store.open(sha256).chunks():
            out.write(block)
    return copy


def placed(row: Any, path: Path) -> NadirPhoto:
    """A drone photo placed on the ground from its stored pose; RejectedFile (in Chinese,
    naming the photo) when the pose is incomplete."""
    from imagery.changes.nadir import nadir_photo

    label = f"照片 {row.id}（{row.original_name}）"
    if row.geom is None or row.relative_altitude_m is None or not row.focal_35mm:
        raise RejectedFile(label, "缺少位置、相对高度或等效焦距，无法把照片投到地面上")
    try:
        placed_photo = nadir_photo(
            path, lon=row.geom.x, lat=row.geom.y, altitude_m=row.relative_altitude_m,
            camera=Camera(row.focal_35mm, row.width, row.height),
            yaw_deg=row.yaw_deg or 0.0,
            pitch_deg=-90.0 if row.pitch_deg is None else row.pitch_deg,
            roll_deg=row.roll_deg or 0.0)
    except RejectedFile as exc:
        raise RejectedFile(label, exc.reason) from exc
    return placed_photo


def flight_photos(conn: sa.Connection, store: Store, site_id: int, flight_id: int,
                  scratch: Path) -> list[NadirPhoto]:
    """The flight's stored drone photos covering the site, placed on the ground, by id."""
    ids = flight_photo_ids(conn, site_id, flight_id)
    rows = conn.execute(sa.select(*POSE).where(photos.c.id.in_(ids)).order_by(photos.c.id))
    return [placed(row, local_original(store, row.sha256, scratch)) for row in rows]


@contextmanager
def image_source(engine: Engine, store: Store, *, site_id: int, photo_id: int,
                 flight_id: int | None) -> Iterator[Source | list[NadirPhoto]]:
    """What the engine reads for one side of a pair: the orthophoto's COG, or the
    flight's photos (their scratch copies removed afterwards). No connection is held while
    the caller compares."""
    if flight_id is None:
        with engine.connect() as conn:
            sha = photo_sha(conn, photo_id)
        yield store.raster(sha, COG)
        return
    scratch = Path(tempfile.mkdtemp(prefix="changes-", dir=store.scratch_dir()))
    try:
        with engine.connect() as conn:
            photos_placed = flight_photos(conn, store, site_id, flight_id, scratch)
        yield photos_placed
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
