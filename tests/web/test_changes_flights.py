"""Change detection between drone flights (航飞批次), on both backends: a flight before and a
flight after over LF1, real JPEG nadir photos with EXIF and DJI XMP cut from a synthetic
scene with a planted change; the changes job queued once the later flight's upload is
complete (not photo by photo) and run; its polygons on the round page; `lookback changes
detect` picking flights, a flight's photo naming its flight, the JSON contract and the
errors in Chinese; who may say a flight is complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from PIL import Image
from pyproj import Geod
from sqlalchemy.engine import Engine

from imagery.changes.nadir import nadir_photo
from imagery.footprint import Camera
from imagery.ingest import IngestContext, IngestRequest, ingest
from imagery.store import FileStore
from imagery.xmp import find_xmp_packet, parse_dji_xmp
from inspections.change_review import list_changes
from tests.s3 import S3Server, s3_server  # noqa: F401 (the fixture)
from tests.web.change_world import CN, IN_ROUND_1, ChangeWorld, lf1_world, orthophoto_pair
from tests.web.cli import json_lines, run
from tests.web.client import headers, sign_in
from tests.web.flight_world import (
    AFTER_TAKEN,
    BEFORE_TAKEN,
    FOCAL_35MM,
    DronePhoto,
    drone_photos,
    fly,
    new_flight,
    receive,
    run_next,
    stored_ids,
)
from web.app import create_app
from web.jobs.schema import jobs
from web.settings import Settings

KEYS = {"site", "before_photo", "after_photo", "geometry", "area_m2", "score", "shift_m"}
GEOD = Geod(ellps="WGS84")


def _settings(database_url: str, data_dir: Path, **store: str) -> Settings:
    return Settings(database_url=database_url, data_dir=data_dir, job_runner="local",
                    now=IN_ROUND_1, **store)


def _client(settings: Settings, name: str) -> TestClient:
    client = TestClient(create_app(settings), follow_redirects=False)
    assert sign_in(client, name).status_code == 303
    return client


@pytest.fixture
def world(engine: Engine) -> ChangeWorld:
    return lf1_world(engine)


@pytest.fixture
def flights(tmp_path: Path) -> tuple[list[DronePhoto], list[DronePhoto], object]:
    """The earlier flight's photos, the later flight's (with the planted change), and the
    change planted."""
    before, after, planted = orthophoto_pair(tmp_path / "scene")
    return (drone_photos(before, tmp_path / "f1", taken=BEFORE_TAKEN, prefix="DJI_A"),
            drone_photos(after, tmp_path / "f2", taken=AFTER_TAKEN, prefix="DJI_B"), planted)


def _complete(client: TestClient, flight_id: int):  # noqa: ANN202
    return client.post(f"/api/flights/{flight_id}/complete", headers=headers(client))


def _changes_jobs(engine: Engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(
            sa.select(jobs.c.id, jobs.c.params).where(jobs.c.kind == "changes")).mappings()]


def test_a_photo_lands_where_its_pixels_came_from(flights: tuple) -> None:
    """The test photos' XMP pose puts their corners back where they were cut (< 0.5 m)."""
    for photo in flights[0]:
        data = photo.path.read_bytes()
        xmp = parse_dji_xmp(find_xmp_packet(data))
        with Image.open(photo.path) as image:
            width, height = image.size
        placed = nadir_photo(photo.path, lon=xmp.lon, lat=xmp.lat,
                             altitude_m=xmp.relative_altitude,
                             camera=Camera(FOCAL_35MM, width, height), yaw_deg=xmp.gimbal_yaw)
        for got, cut in zip(placed.corners, photo.corners, strict=True):
            assert GEOD.inv(*got, *cut)[2] < 0.5


def test_the_job_runs_once_the_later_flight_is_complete(
        engine: Engine, world: ChangeWorld, database_url: str, tmp_path: Path,
        flights: tuple) -> None:
    first_photos, second_photos, planted = flights
    settings = _settings(database_url, tmp_path / "data")
    client = _client(settings, "inspector")
    first, first_ids = fly(client, engine, settings, world.round_id, first_photos,
                           tmp_path / "tus", "2021年11月航飞")
    assert _changes_jobs(engine) == []  # a flight's photos queue nothing one by one
    done = _complete(client, first)
    assert done.status_code == 200, done.text
    assert done.json()["changes_jobs"] == []  # nothing earlier to compare with
    assert "LF1" in [s["code"] for s in done.json()["sites"]]

    second = new_flight(client, world.round_id, "2022年5月航飞")
    receive(engine, settings, second, second_photos, tmp_path / "tus")
    early = _complete(client, second)
    assert early.status_code == 409
    assert f"航飞批次 {second}：还有 2 个文件在处理中" in early.json()["detail"]
    assert [run_next(settings) for _ in second_photos] == [
        ("ingest_received", "succeeded")] * 2
    assert _changes_jobs(engine) == []
    done = _complete(client, second)
    assert done.status_code == 200, done.text
    [job] = _changes_jobs(engine)
    assert done.json()["changes_jobs"] == [job["id"]]
    assert _complete(client, second).json()["changes_jobs"] == [job["id"]]  # said again
    assert len(_changes_jobs(engine)) == 1
    assert run_next(settings) == ("changes", "succeeded")

    with engine.connect() as conn:
        found = list_changes(conn, site_ids=[world.site_id])
    second_ids = stored_ids(engine, second)
    assert found and planted is not None
    assert {(c.before_photo_id, c.after_photo_id) for c in found} == {
        (first_ids[0], second_ids[0])}  # each flight by its first photo over the site
    best = max(found, key=lambda c: c.geometry.intersection(planted.geometry).area)
    overlap = best.geometry.intersection(planted.geometry).area
    assert overlap / best.geometry.union(planted.geometry).area >= 0.5
    page = client.get(f"/review/{world.round_id}")
    assert page.status_code == 200
    assert all(f'id="change-{c.id}"' in page.text for c in found)
    thumb = client.get(f"/changes/{best.id}/after.jpg")
    assert thumb.status_code == 200 and thumb.content[:3] == b"\xff\xd8\xff"


def test_the_cli_picks_flights_and_a_flights_photo_names_its_flight(
        engine: Engine, world: ChangeWorld, database_url: str, tmp_path: Path,
        flights: tuple) -> None:
    first_photos, second_photos, _ = flights
    settings = _settings(database_url, tmp_path / "data")
    client = _client(settings, "inspector")
    _, first_ids = fly(client, engine, settings, world.round_id, first_photos,
                       tmp_path / "tus", "前期航飞")
    _, second_ids = fly(client, engine, settings, world.round_id, second_photos,
                        tmp_path / "tus", "本期航飞")
    env = {"LOOKBACK_DATA_DIR": str(settings.data_dir)}
    for args in ((), ("--before", str(first_ids[1]), "--after", str(second_ids[1]))):
        done = run(database_url, "changes", "detect", "--site", "LF1", *args, "--json", **env)
        assert done.exit_code == 0, done.output
        lines = json_lines(done.stdout)
        assert lines and all(set(line) == KEYS for line in lines)
        assert {(x["site"], x["before_photo"], x["after_photo"]) for x in lines} == {
            ("LF1", first_ids[0], second_ids[0])}
        assert all(x["area_m2"] >= 25 and 0 <= x["score"] <= 1 for x in lines)
    help_text = re.sub(r"[\s│]+", " ", run(database_url, "changes", "detect", "--help").output)
    assert "photo of a drone flight, meaning that flight's photos" in help_text


def test_the_cli_names_what_is_wrong_with_a_flights_photo(
        engine: Engine, world: ChangeWorld, database_url: str, tmp_path: Path,
        flights: tuple) -> None:
    first_photos, _, _ = flights
    settings = _settings(database_url, tmp_path / "data")
    client = _client(settings, "inspector")
    _, ids = fly(client, engine, settings, world.round_id, first_photos, tmp_path / "tus",
                 "前期航飞")
    [other] = drone_photos(tmp_path / "scene" / "前期_3.tif", tmp_path / "loose",
                           taken="2021:12:01 10:00:00", prefix="DJI_C")[:1]
    ctx = IngestContext(engine=engine, store=FileStore(settings.data_dir), now=IN_ROUND_1,
                        workers=1, local_tz=CN, user="inspector")
    [loose] = list(ingest(ctx, [IngestRequest(other.path)]))  # a drone photo, no flight
    assert loose.status == "stored" and loose.id is not None, loose
    env = {"LOOKBACK_DATA_DIR": str(settings.data_dir)}
    cases = [
        (("--before", str(ids[0]), "--after", str(ids[1])),
         f"点位 LF1：前后两期是同一张影像（照片 {ids[0]}）", "same_photo"),
        (("--after", str(loose.id)),
         f"照片 {loose.id}：这张无人机照片不是随航飞批次上传的", "no_flight"),
        ((), "点位 LF1：只有 1 期影像（正射影像或航飞）覆盖，变化检测需要前后两期", "no_pair"),
    ]
    for args, said, problem in cases:
        done = run(database_url, "changes", "detect", "--site", "LF1", *args, **env)
        assert done.exit_code == 1 and said in done.output, (args, done.output)
        as_json = run(database_url, "changes", "detect", "--site", "LF1", *args, "--json",
                      **env)
        assert as_json.exit_code == 1
        assert json_lines(as_json.stdout)[0]["problem"] == problem


def test_only_the_uploader_says_a_flight_is_complete(
        engine: Engine, world: ChangeWorld, database_url: str, tmp_path: Path) -> None:
    settings = _settings(database_url, tmp_path / "data")
    inspector = _client(settings, "inspector")
    flight = new_flight(inspector, world.round_id, "航飞")
    other = _client(settings, "other")
    assert _complete(other, flight).status_code == 404
    leader = _client(settings, "leader")
    assert _complete(leader, flight).status_code == 403
    assert _complete(inspector, 999999).status_code == 404
    no_csrf = inspector.post(f"/api/flights/{flight}/complete")
    assert no_csrf.status_code == 403
    empty = _complete(inspector, flight)  # no photo: nothing to compare, nothing queued
    assert empty.status_code == 200 and empty.json()["changes_jobs"] == []


def test_flights_in_the_object_store_are_compared(
        engine: Engine, world: ChangeWorld, database_url: str, tmp_path: Path,
        flights: tuple, s3_server: S3Server) -> None:  # noqa: F811
    """The job copies the flights' photos out of the object store for the comparison (and
    leaves no copy behind)."""
    first_photos, second_photos, _ = flights
    settings = _settings(database_url, tmp_path / "data",
                         **s3_server.settings(s3_server.new_prefix()))
    client = _client(settings, "inspector")
    first, _ = fly(client, engine, settings, world.round_id, first_photos, tmp_path / "tus",
                   "前期航飞")
    second, _ = fly(client, engine, settings, world.round_id, second_photos,
                    tmp_path / "tus", "本期航飞")
    assert _complete(client, first).json()["changes_jobs"] == []
    assert len(_complete(client, second).json()["changes_jobs"]) == 1
    assert run_next(settings) == ("changes", "succeeded")
    with engine.connect() as conn:
        assert list_changes(conn, site_ids=[world.site_id])
    scratch = tmp_path / "data"
    assert not list(scratch.rglob("changes-*")), "the photos' scratch copies are removed"
