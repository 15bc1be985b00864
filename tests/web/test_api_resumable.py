"""Resumable uploads over tus as the server receives them: a photo sent in two PATCHes with a
HEAD between (the resume), ingested as a job (the local runner's) and asked for by its id; and every
refusal: not signed in, no CSRF token, a role that does not upload, too large, an unknown
kind, extensions we do not offer, an unknown or another user's upload id; flights' checks."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from imagery.schema import photos
from imagery.thumbs import SIZES
from inspections import cases as case_store
from inspections.actors import Actor
from inspections.clock import FixedClock
from tests.imagery.images import jpeg
from tests.imagery.rasters import write_geotiff
from tests.web.client import client_for, headers, sign_in
from web.accounts.demo import AGENCY, DEMO_UNIT
from web.database import engine_for
from web.jobs.local import start_in_thread
from web.jobs.schema import jobs as job_table
from web.settings import Settings
from web.store import file_store

TUS = {"Tus-Resumable": "1.0.0"}
LIMIT = 5_000_000
JOBS = {"job_runner": "local", "job_poll_seconds": 0.1}  # the local runner, on PostGIS too
NOW = datetime(2022, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def metadata(**values: str) -> str:
    """An Upload-Metadata header."""
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


@pytest.fixture(scope="module")
def data(demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A file store per database (the same photo sent on both backends is new to each)."""
    return tmp_path_factory.mktemp("store")


@pytest.fixture(scope="module")
def jobs(demo_url: str, data: Path) -> Iterator[None]:
    """The local job runner on the module's database: finished uploads are ingested as jobs."""
    stop = start_in_thread(Settings(database_url=demo_url, data_dir=data, **JOBS))
    yield
    stop()


def _client(url: str, data: Path, name: str) -> TestClient:
    client = client_for(url, data_dir=data, max_resumable_bytes=LIMIT, **JOBS)
    assert sign_in(client, name).status_code == 303
    return client


@pytest.fixture(scope="module")
def inspector(demo_url: str, data: Path, jobs: None) -> TestClient:
    return _client(demo_url, data, "inspector")


@pytest.fixture(scope="module")
def officer(demo_url: str, data: Path) -> TestClient:
    return _client(demo_url, data, "officer")


def create(client: TestClient, size: int, **meta: str):  # noqa: ANN201
    """POST a new upload (a photo named a.jpg unless told otherwise)."""
    values = {"filename": "a.jpg", "filetype": "image/jpeg", "kind": "photo", **meta}
    return client.post("/api/uploads/tus", headers={**headers(client), **TUS,
                                                    "Upload-Length": str(size),
                                                    "Upload-Metadata": metadata(**values)})


def patch(client: TestClient, uid: str, offset: int, body: bytes):  # noqa: ANN201
    return client.patch(f"/api/uploads/tus/{uid}", content=body, headers={
        **headers(client), **TUS, "Upload-Offset": str(offset),
        "Content-Type": "application/offset+octet-stream"})


def outcome(client: TestClient, uid: str) -> dict:
    """What the server made of a finished upload, once it has made something of it."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        body = client.get(f"/api/uploads/{uid}").json()
        if body["status"] != "processing":
            return body
        time.sleep(0.05)
    raise AssertionError(f"upload {uid} still processing")


def send(client: TestClient, data: bytes, **meta: str) -> str:
    answer = create(client, len(data), **meta)
    assert answer.status_code == 201, answer.text
    uid = answer.headers["location"].rsplit("/", 1)[1]
    assert patch(client, uid, 0, data).status_code == 204
    return uid


def test_a_photo_sent_in_two_parts_is_resumed_and_stored(inspector: TestClient,
                                                         tmp_path: Path) -> None:
    data = jpeg(tmp_path / "IMG_1.jpg", seed=1301).read_bytes()
    answer = create(inspector, len(data), filename="IMG_1.jpg")
    assert answer.status_code == 201
    uid = answer.headers["location"].rsplit("/", 1)[1]
    assert patch(inspector, uid, 0, data[:10_000]).headers["upload-offset"] == "10000"
    head = inspector.head(f"/api/uploads/tus/{uid}", headers=TUS)  # where to go on from
    assert (head.status_code, head.headers["upload-offset"]) == (200, "10000")
    assert patch(inspector, uid, 0, data[10_000:]).status_code == 409  # the wrong offset
    assert patch(inspector, uid, 10_000, data[10_000:]).status_code == 204
    body = outcome(inspector, uid)
    assert (body["status"], body["file"], body["photo"]["size_bytes"]) == (
        "stored", "IMG_1.jpg", len(data))
    assert inspector.head(f"/api/uploads/tus/{uid}", headers=TUS).status_code == 404  # gone


def test_an_upload_is_refused_without_sign_in_or_csrf(demo_url: str, data: Path,
                                                      inspector: TestClient) -> None:
    anonymous = client_for(demo_url, data_dir=data)
    answer = anonymous.post("/api/uploads/tus", headers={**headers(anonymous), **TUS,
                                                         "Upload-Length": "10"})
    assert (answer.status_code, answer.json()["error"]) == (401, "not_signed_in")
    answer = inspector.post("/api/uploads/tus", headers={**TUS, "Upload-Length": "10"})
    assert (answer.status_code, answer.json()["error"]) == (403, "csrf")
    uid = create(inspector, 10).headers["location"].rsplit("/", 1)[1]
    answer = inspector.patch(f"/api/uploads/tus/{uid}", content=b"0123456789", headers={
        **TUS, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"})
    assert (answer.status_code, answer.json()["error"]) == (403, "csrf")


def test_a_role_that_does_not_upload_is_refused(demo_url: str, data: Path) -> None:
    unit = _client(demo_url, data, "unit")
    answer = create(unit, 10)
    assert (answer.status_code, answer.json()["error"]) == (403, "not_allowed")
    assert "role 'unit' may not upload" in answer.json()["detail"]


@pytest.mark.parametrize(("meta", "extra", "status", "detail"), [
    ({"kind": "video"}, {}, 422, "Upload-Metadata kind 'video': use photo or orthophoto"),
    ({"filename": ""}, {}, 422, "Upload-Metadata filename: required"),
    ({}, {"Upload-Concat": "partial"}, 422, "Upload-Concat: joining uploads is not supported"),
    ({"note": "x" * 2001}, {}, 422, "note"),
    ({"flight": "999999"}, {}, 404, "flight 999999: no such flight"),
    ({"captured_at": "2099-06-01T12:00:00+08:00"}, {}, 422,
     "captured_at（拍摄时间）2099-06-01T12:00:00+08:00：晚于当前时间"),
])
def test_a_creation_we_would_not_take_is_refused(inspector: TestClient, meta: dict,
                                                 extra: dict, status: int,
                                                 detail: str) -> None:
    values = {"filename": "a.jpg", "filetype": "image/jpeg", **meta}
    answer = inspector.post("/api/uploads/tus", headers={
        **headers(inspector), **TUS, "Upload-Length": "100",
        "Upload-Metadata": metadata(**values), **extra})
    assert answer.status_code == status, answer.text
    assert detail in answer.json()["detail"]


def test_sizes_are_checked_when_the_upload_is_created(inspector: TestClient) -> None:
    answer = create(inspector, LIMIT + 1)
    assert (answer.status_code, answer.json()["error"]) == (413, "too_large")
    assert f"Upload-Length of {LIMIT + 1:,} bytes is more than" in answer.json()["detail"]
    answer = create(inspector, 0)
    assert (answer.status_code, answer.json()["detail"]) == (422, "a.jpg: the file is empty")
    answer = inspector.post("/api/uploads/tus", headers={
        **headers(inspector), **TUS, "Upload-Defer-Length": "1",
        "Upload-Metadata": metadata(filename="a.jpg")})
    assert answer.status_code == 422
    assert "Upload-Length: give the file's size" in answer.json()["detail"]
    answer = inspector.post("/api/uploads/tus", headers={
        **headers(inspector), **TUS, "Upload-Length": "4",
        "Upload-Metadata": "filename !!notbase64"})
    assert (answer.status_code, answer.json()["detail"]) == (
        422, "Upload-Metadata filename: not base64 of UTF-8 text")


def test_unknown_and_other_users_uploads_are_not_found(inspector: TestClient,
                                                       officer: TestClient) -> None:
    for uid in ("3-" + "0" * 32, "not-an-upload"):
        assert inspector.head(f"/api/uploads/tus/{uid}", headers=TUS).status_code == 404
        assert patch(inspector, uid, 0, b"x").status_code == 404
    theirs = create(officer, 10).headers["location"].rsplit("/", 1)[1]
    assert inspector.head(f"/api/uploads/tus/{theirs}", headers=TUS).status_code == 404
    assert patch(inspector, theirs, 0, b"0123456789").status_code == 404
    assert inspector.delete(f"/api/uploads/tus/{theirs}",
                            headers={**headers(inspector), **TUS}).status_code == 404
    assert officer.head(f"/api/uploads/tus/{theirs}", headers=TUS).status_code == 200
    answer = inspector.get(f"/api/uploads/{theirs}")
    assert (answer.status_code, answer.json()["error"]) == (404, "not_found")


def test_a_jpeg_sent_as_an_orthophoto_is_refused_with_its_reason(inspector: TestClient,
                                                                tmp_path: Path) -> None:
    data = jpeg(tmp_path / "ortho.jpg", seed=1302).read_bytes()
    body = outcome(inspector, send(inspector, data, filename="ortho.jpg", kind="orthophoto"))
    assert body["status"] == "rejected"
    assert body["reason"].endswith("an orthophoto must be a GeoTIFF; these bytes are "
                                   "image/jpeg")


def test_a_geotiff_without_crs_sent_as_an_orthophoto_is_refused_with_its_reason(
        inspector: TestClient, tmp_path: Path) -> None:
    data = write_geotiff(tmp_path / "dom.tif", crs=None).read_bytes()
    body = outcome(inspector, send(inspector, data, filename="dom.tif", kind="orthophoto",
                                   filetype="image/tiff"))
    assert (body["status"], body["reason_code"]) == ("rejected", "no_crs")
    assert body["reason"].startswith("has a geotransform but no CRS (it was exported without "
                                     "its projection)")


def test_flights_are_checked(inspector: TestClient, officer: TestClient) -> None:
    answer = inspector.post("/api/flights", headers=headers(inspector), json={"name": "F"})
    assert (answer.status_code, answer.json()["detail"]) == (
        422, "round_id and case_id: give exactly one (what the flight is for)")
    answer = inspector.post("/api/flights", headers=headers(inspector),
                            json={"name": "F", "round_id": 99999})
    assert (answer.status_code, answer.json()["error"]) == (404, "not_found")
    answer = officer.post("/api/flights", headers=headers(officer),
                          json={"name": "F", "case_id": 1})
    assert (answer.status_code, answer.json()["error"]) == (403, "not_allowed")
    answer = inspector.post("/api/flights", json={"name": "F", "case_id": 1})
    assert (answer.status_code, answer.json()["error"]) == (403, "csrf")
    assert inspector.get("/api/flights/99999").status_code == 404


def _thumbnails_job(settings: Settings) -> dict:
    """The thumbnails job, once it has been queued."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with engine_for(settings).connect() as conn:
            job = conn.execute(sa.select(job_table).where(
                job_table.c.kind == "thumbnails")).mappings().first()
        if job is not None:
            return dict(job)
        time.sleep(0.05)
    raise AssertionError("no thumbnails job was queued")


def test_a_metadata_only_flights_photo_gets_its_thumbnails_from_a_job(
        inspector: TestClient, demo_url: str, data: Path, tmp_path: Path) -> None:
    settings = Settings(database_url=demo_url, data_dir=data, **JOBS)
    with engine_for(settings).begin() as conn:
        case_id = case_store.create_case(
            conn, actor=Actor("leader", "leader"), clock=FixedClock(NOW), source="patrol",
            reference="XC-2022-0102", title="堆场扬尘", description="裸土未覆盖",
            responsible_unit=DEMO_UNIT, deadline=date(2022, 7, 1), target="覆盖",
            lookback_agency=AGENCY)
    answer = inspector.post("/api/flights", headers=headers(inspector), json={
        "name": "仅元数据", "case_id": case_id, "metadata_only": True})
    assert answer.status_code == 201, answer.text
    flight = str(answer.json()["id"])
    data_bytes = jpeg(tmp_path / "DJI_0001.jpg", seed=1307).read_bytes()
    body = outcome(inspector, send(inspector, data_bytes, filename="DJI_0001.jpg",
                                   flight=flight))
    assert body["status"] == "stored"
    with engine_for(settings).connect() as conn:
        sha = conn.execute(sa.select(photos.c.sha256).where(
            photos.c.id == body["photo"]["id"])).scalar_one()
    job = _thumbnails_job(settings)  # queued once the ingest job has recorded its outcome
    assert (job["params"], job["title"]) == ({"photo_id": body["photo"]["id"]}, "DJI_0001.jpg")
    store = file_store(settings)
    deadline = time.monotonic() + 60
    while not store.has(sha, "1024.jpg") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [len(store.read(sha, f"{size}.jpg")) > 0 for size in SIZES] == [True, True]
