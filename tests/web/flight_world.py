"""Test helpers for drone flights (航飞批次) over LF1: real JPEG nadir photos cut from the
synthetic orthophoto scenes of tests/web/change_world.py, each with the EXIF (time, GPS,
35 mm focal length) and the DJI XMP (position, height above take-off, gimbal angles) from
which the ingest and the change engine place it on the ground where its pixels came from;
and a flight handed over as the flight page does (created over the API, its files received
and ingested by the ingest_received jobs)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import rasterio
import sqlalchemy as sa
from fastapi.testclient import TestClient
from PIL import Image
from pyproj import Geod, Transformer
from sqlalchemy.engine import Engine

from geo.db import create_engine
from imagery.footprint import Camera
from inspections.schema import received_files
from tests.imagery.images import dji_packet, exif_bytes, with_xmp
from tests.web.client import headers
from web.accounts.users import find_user
from web.jobs import records
from web.jobs.attempt import run_claimed
from web.jobs.local import claim_token
from web.jobs.received_job import submit_received
from web.jobs.schema import jobs
from web.services.received import Finished, record_finished
from web.settings import Settings

GEOD = Geod(ellps="WGS84")
FOCAL_35MM = 24
HALVES = (slice(0, 400), slice(240, 640))  # two overlapping photos across the 640 px scene
BEFORE_TAKEN = "2021:11:02 10:00:00"  # +08:00: the previous survey, before round 1
AFTER_TAKEN = "2022:05:02 09:00:00"  # +08:00: inside round 1, before the tests' "now"


@dataclass(frozen=True)
class DronePhoto:
    """A photo written, and the lon/lat of its image corners (TL, TR, BR, BL) as cut."""

    path: Path
    corners: tuple[tuple[float, float], ...]


def run_next(settings: Settings) -> tuple[str, str]:
    """Claim and run the next queued job as a worker does; its kind and final state."""
    engine = create_engine(settings.database_url)
    token = claim_token()
    with engine.begin() as conn:
        job_id = records.claim_next(conn, now=datetime.now(UTC), lease=60, token=token)
        assert job_id is not None, "no job queued"
        kind = conn.execute(sa.select(jobs.c.kind).where(jobs.c.id == job_id)).scalar_one()
    engine.dispose()
    return kind, run_claimed(settings, job_id, token).state


def drone_photos(tif: Path, folder: Path, *, taken: str, prefix: str) -> list[DronePhoto]:
    """Two overlapping nadir photos cut from a scene GeoTIFF, as a flight's JPEGs."""
    folder.mkdir(parents=True, exist_ok=True)
    with rasterio.open(tif) as dataset:
        data = dataset.read([1, 2, 3])
        transform, crs = dataset.transform, dataset.crs.to_string()
    to_lonlat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return [_photo(data[:, :, cols], transform, to_lonlat, cols.start,
                   folder / f"{prefix}_{k:04d}.JPG", taken)
            for k, cols in enumerate(HALVES, 1)]


def _photo(pixels: np.ndarray, transform: rasterio.Affine, to_lonlat: Transformer, col0: int,
           path: Path, taken: str) -> DronePhoto:
    rows, width = pixels.shape[1], pixels.shape[2]
    centre = to_lonlat.transform(*(transform @ (col0 + width / 2, rows / 2)))
    top = to_lonlat.transform(*(transform @ (col0 + width / 2, 0)))
    yaw = GEOD.inv(*centre, *top)[0]  # the image's up, clockwise from true north
    tan_h, _ = Camera(FOCAL_35MM, width, rows).half_tangents()
    altitude = width * abs(transform.a) / 2 / tan_h  # the height that sees the cut's width
    out = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(np.moveaxis(pixels, 0, -1))).save(
        out, "JPEG", quality=90, exif=exif_bytes(lon=centre[0], lat=centre[1], taken=taken,
                                                 focal_35mm=FOCAL_35MM, make="DJI"))
    packet = dji_packet(lat=centre[1], lon=centre[0], relative_altitude=altitude, yaw=yaw)
    path.write_bytes(with_xmp(out.getvalue(), packet))
    pixel = [(col0, 0), (col0 + width, 0), (col0 + width, rows), (col0, rows)]
    return DronePhoto(path, tuple(to_lonlat.transform(*(transform @ p)) for p in pixel))


def new_flight(client: TestClient, round_id: int, name: str) -> int:
    """A flight for the round, created over the API as the flight page does; its id."""
    answer = client.post("/api/flights", headers=headers(client),
                         json={"name": name, "round_id": round_id})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def receive(engine: Engine, settings: Settings, flight_id: int, photos: list[DronePhoto],
            folder: Path, user: str = "inspector") -> None:
    """The flight's photos received whole over tus and their ingest jobs queued (the
    received copies are consumed by the ingest, as the tus scratch files are)."""
    folder.mkdir(parents=True, exist_ok=True)
    with engine.connect() as conn:
        uploader = find_user(conn, user)[0]
    for photo in photos:
        received = folder / f"{flight_id}-{photo.path.name}"
        received.write_bytes(photo.path.read_bytes())
        item = Finished(f"tus-{flight_id}-{photo.path.stem}", received, uploader.id,
                        {"filename": photo.path.name, "kind": "photo",
                         "flight": str(flight_id)})
        record_finished(engine, item, uploader)
        submit_received(engine, settings, item)


def stored_ids(engine: Engine, flight_id: int) -> list[int]:
    """The ids of the flight's stored photos, lowest first."""
    with engine.connect() as conn:
        return sorted(conn.execute(sa.select(received_files.c.photo_id).where(
            received_files.c.flight_id == flight_id,
            received_files.c.state == "stored")).scalars())


def fly(client: TestClient, engine: Engine, settings: Settings, round_id: int,
        photos: list[DronePhoto], folder: Path, name: str) -> tuple[int, list[int]]:
    """A whole flight handed over and ingested (not yet said complete); its id and its
    photos' ids."""
    flight_id = new_flight(client, round_id, name)
    receive(engine, settings, flight_id, photos, folder)
    assert [run_next(settings) for _ in photos] == [("ingest_received", "succeeded")] * len(
        photos)
    ids = stored_ids(engine, flight_id)
    assert len(ids) == len(photos), "every photo of the flight should be stored"
    return flight_id, ids
