"""Uploads as the server receives them: the user's file name kept; an upload id reused for
other bytes refused (409) with nothing left behind; bytes already stored as a photo the
uploader may not see stored as their own photo, revealing nothing; the size limit (413) from
Content-Length and from the streamed count; the pixel limits; the form checked as before."""

from __future__ import annotations

import os
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from geo.db import create_engine
from imagery.schema import photos
from imagery.store import FileStore, sha256_of
from imagery.store_check import check_store
from tests.imagery.images import exif_bytes, jpeg, png_claiming
from tests.imagery.rasters import write_geotiff
from tests.web.client import client_for, headers, inside_town, sign_in
from web.accounts.demo import DEMO_TOWN
from web.accounts.users import add_user
from web.asgi import app_from_environment
from web.services import ingest_pool
from web.settings import Settings

NOW = datetime(2022, 6, 1, 4, 0, tzinfo=UTC)
OTHER_TOWN = "海门街道"


def _rows(url: str) -> list[dict]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(sa.select(photos).order_by(photos.c.id))
                .mappings()]
    engine.dispose()
    return rows


def _files(data: Path) -> list[str]:
    """Every file under the store, relative to it."""
    return sorted(str(p.relative_to(data)) for p in data.rglob("*") if p.is_file())


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "store"


def _client(url: str, data: Path, name: str, password: str | None = None,
            **settings: object) -> TestClient:
    client = client_for(url, now=NOW, data_dir=data, **settings)
    assert sign_in(client, name, password).status_code == 303
    return client


@pytest.fixture
def officer(demo_url: str, data: Path) -> TestClient:
    return _client(demo_url, data, "officer")


def _second_officer(url: str, data: Path) -> TestClient:
    """A grid officer of a grid cell in another town, who may not see the first's photos."""
    engine = create_engine(url)
    with engine.begin() as conn:
        code = conn.execute(sa.text("SELECT code FROM grid_cells WHERE town = :t ORDER BY code"),
                            {"t": OTHER_TOWN}).scalars().first()
        if not conn.execute(sa.text("SELECT 1 FROM users WHERE name = 'officer3'")).first():
            add_user(conn, name="officer3", password="officer3-pass", role="grid_officer",
                     grids=[code], now=NOW)
    engine.dispose()
    return _client(url, data, "officer3", "officer3-pass")


def _ids_in(value: object, key: str = "") -> set[int]:
    """Every number in an answer held under a key naming ids (id, *_id, similar_to)."""
    if isinstance(value, dict):
        return set().union(*(_ids_in(v, k) for k, v in value.items()))
    if isinstance(value, list):
        return set().union(*(_ids_in(v, key) for v in value))
    named = key == "id" or key.endswith("_id") or key == "similar_to"
    return {value} if named and isinstance(value, int) else set()


def _post(client: TestClient, path: Path, name: str | None = None, **form: object):  # noqa: ANN202
    with path.open("rb") as f:
        return client.post("/api/photos", headers=headers(client),
                           files={"file": (name or path.name, f, "image/jpeg")},
                           data={k: str(v) for k, v in form.items()})


def _photo(folder: Path, url: str, seed: int, name: str = "p.jpg") -> Path:
    lon, lat = inside_town(url, DEMO_TOWN)
    return jpeg(folder / name, seed=seed, exif=exif_bytes(lon=lon, lat=lat))


def test_the_users_file_name_is_kept(demo_url: str, officer: TestClient, tmp_path: Path,
                                     data: Path) -> None:
    path = _photo(tmp_path, demo_url, 601)
    body = _post(officer, path, name="C:\\fakepath\\现场 照片 01.jpg").json()
    assert body["file"] == "现场 照片 01.jpg"  # as its sender knows it, no folders
    [row] = [r for r in _rows(demo_url) if r["id"] == body["photo"]["id"]]
    assert row["original_name"] == "现场 照片 01.jpg"
    assert list((data / "tmp").iterdir()) == []  # the received upload is gone


def test_an_upload_id_reused_for_other_bytes_is_a_conflict_leaving_nothing(
        demo_url: str, officer: TestClient, tmp_path: Path, data: Path) -> None:
    first = _post(officer, _photo(tmp_path, demo_url, 602, "a.jpg"), upload_id="reuse-00001")
    assert first.status_code == 200, first.text
    rows, files = _rows(demo_url), _files(data)
    other = _photo(tmp_path, demo_url, 603, "b.jpg")
    response = _post(officer, other, upload_id="reuse-00001")
    assert response.status_code == 409
    assert response.json() == {"error": "conflict",
                               "detail": "upload id reuse-00001: already used for another file"}
    assert _rows(demo_url) == rows and _files(data) == files
    assert sha256_of(other.read_bytes()) not in " ".join(files)
    again = _post(officer, _photo(tmp_path, demo_url, 602, "a.jpg"), upload_id="reuse-00001")
    assert (again.json()["status"], again.json()["photo"]["id"]) == (
        "duplicate", first.json()["photo"]["id"])


def test_another_users_upload_id_is_a_conflict_whatever_the_bytes(
        demo_url: str, officer: TestClient, tmp_path: Path, data: Path) -> None:
    path = _photo(tmp_path, demo_url, 604)
    assert _post(officer, path, upload_id="theirs-0001").status_code == 200
    other = _second_officer(demo_url, data)
    response = _post(other, path, upload_id="theirs-0001")
    assert (response.status_code, response.json()["detail"]) == (
        409, "upload id theirs-0001: already used for another file")


def test_bytes_stored_as_a_photo_the_uploader_may_not_see_become_their_own(
        demo_url: str, officer: TestClient, tmp_path: Path, data: Path) -> None:
    path = _photo(tmp_path, demo_url, 605)
    first = _post(officer, path).json()["photo"]
    other = _second_officer(demo_url, data)
    response = _post(other, path)
    assert response.status_code == 200, response.text
    body = response.json()
    mine = body["photo"]
    assert body["status"] == "stored" and mine["id"] != first["id"]
    assert (mine["uploaded_by"], mine["similar_to"]) == ("officer3", [])
    assert "similar_to_earlier_photo" not in body["flags"]
    assert first["id"] not in _ids_in(body) and f"photo {first['id']}" not in response.text
    assert other.get(f"/api/photos/{first['id']}").status_code == 404
    for client, photo in ((officer, first), (other, mine)):
        assert client.get(f"/api/photos/{photo['id']}/original").content == path.read_bytes()
        assert client.get(f"/api/photos/{photo['id']}/thumbnail").status_code == 200
    sha = sha256_of(path.read_bytes())
    assert [f for f in _files(data) if sha in f and f.startswith("originals/")] == [
        f"originals/{sha[:2]}/{sha}"]
    again = _post(other, path).json()
    assert (again["status"], again["photo"]["id"]) == ("duplicate", mine["id"])


def test_content_length_over_the_limit_is_refused_before_the_body_is_read(
        demo_url: str, data: Path) -> None:
    client = _client(demo_url, data, "officer", max_upload_bytes=100_000)
    body = (b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.jpg\"\r\n\r\n"
            + b"\xff" * 200_000 + b"\r\n--b--\r\n")
    response = client.post("/api/photos", content=body,
                           headers={**headers(client),
                                    "Content-Type": "multipart/form-data; boundary=b"})
    assert response.status_code == 413
    assert response.json() == {"error": "too_large", "detail": (
        f"the upload: its Content-Length of {len(body):,} bytes is more than the "
        "100,000 bytes allowed")}
    assert not (data / "tmp").exists() or list((data / "tmp").iterdir()) == []


def _chunked(parts: list[bytes]):  # noqa: ANN202
    """A body without Content-Length: the server only learns its size by counting."""
    yield from parts


@pytest.mark.parametrize(("extra", "detail"), [
    (0, "big.jpg: larger than the 2 MB allowed"),
    (200_000, "the upload: its body is more than the 2 MB allowed"),
])
def test_a_body_counted_past_the_limit_is_refused(demo_url: str, data: Path, extra: int,
                                                  detail: str) -> None:
    limit = 2 * 1024 * 1024
    client = _client(demo_url, data, "officer", max_upload_bytes=limit)
    head = b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.jpg\"\r\n\r\n"
    response = client.post(
        "/api/photos", content=_chunked([head, b"\xff" * (limit + 1 + extra), b"\r\n--b--\r\n"]),
        headers={**headers(client), "Content-Type": "multipart/form-data; boundary=b"})
    assert (response.status_code, response.json()) == (413, {"error": "too_large",
                                                             "detail": detail})
    assert list((data / "tmp").iterdir()) == []
    assert _files(data) == []


def test_pixel_limits_are_settings(demo_url: str, tmp_path: Path, data: Path) -> None:
    client = _client(demo_url, data, "officer", max_ortho_pixels=40_000)
    flood = _post(client, png_claiming(tmp_path / "flood.png", 12_000, 10_000))
    assert (flood.status_code, flood.json()) == (422, {"error": "rejected_file", "detail": (
        "flood.png: is 12000 x 10000 = 120,000,000 pixels, more than the 100,000,000 "
        "allowed for photos"), "reason_code": "too_many_pixels"})
    ortho = _post(client, write_geotiff(tmp_path / "ortho.tif"))
    assert ortho.json()["detail"] == ("ortho.tif: is 256 x 256 = 65,536 pixels, more than "
                                      "the 40,000 allowed for orthophotos")
    small = _client(demo_url, data, "officer", max_photo_pixels=100_000)
    photo = _post(small, jpeg(tmp_path / "vga.jpg", seed=606))
    assert photo.json()["detail"].startswith("vga.jpg: is 640 x 480 = 307,200 pixels")
    assert _files(data) == []


@pytest.mark.parametrize(("form", "detail"), [
    ({"device_lon": "east"}, "device_lon: Input should be a valid number"),
    ({"manual_lon": "200", "manual_lat": "28"}, "manual_lon: Input should be less than or "
                                                "equal to 180"),
    ({"note": "x" * 2001}, "note: String should have at most 2000 characters"),
    ({"problem_found": "maybe"}, "problem_found: Input should be a valid boolean"),
    ({"manual_lon": "121.4"}, "manual_lon and manual_lat: give both or neither"),
    ({"pin_crs": "bd09"}, "pin_crs 'bd09': use wgs84 or gcj02"),
    ({"upload_id": "short"}, "upload_id 'short': 8 to 64 letters"),
])
def test_bad_form_fields_are_named(officer: TestClient, tmp_path: Path, form: dict,
                                   detail: str) -> None:
    response = _post(officer, jpeg(tmp_path / "f.jpg", seed=607), **form)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_input"
    assert response.json()["detail"].startswith(detail)


@pytest.mark.parametrize(("content", "content_type", "detail"), [
    (b'{"file": "x"}', "application/json", "the body must be multipart/form-data"),
    (b"--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--b--\r\n",
     "multipart/form-data; boundary=b", "file: Field required"),
    (b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\nabc",
     "multipart/form-data; boundary=b", "the body must be multipart/form-data, with the "
                                        "photo in a part named 'file'; it ended before"),
])
def test_a_body_that_is_no_upload_form_is_refused(officer: TestClient, data: Path,
                                                   content: bytes, content_type: str,
                                                   detail: str) -> None:
    response = officer.post("/api/photos", content=content,
                            headers={**headers(officer), "Content-Type": content_type})
    assert (response.status_code, response.json()["error"]) == (422, "invalid_input")
    assert response.json()["detail"].startswith(detail)
    assert list((data / "tmp").iterdir()) == []


def test_a_csrf_token_in_the_form_is_refused_with_how_to_send_it(officer: TestClient,
                                                                  tmp_path: Path) -> None:
    token = headers(officer)["X-CSRF-Token"]
    with jpeg(tmp_path / "t.jpg", seed=608).open("rb") as f:
        response = officer.post("/api/photos", files={"file": ("t.jpg", f, "image/jpeg")},
                                data={"csrf_token": token})
    # The API reads the token from the header only: nothing of the body is read first.
    assert (response.status_code, response.json()["error"]) == (403, "csrf")
    assert "X-CSRF-Token header" in response.json()["detail"]


def test_a_worker_that_died_is_replaced(demo_url: str, officer: TestClient,
                                        tmp_path: Path) -> None:
    pool = ingest_pool.analysis_pool(2)
    os.kill(pool.submit(os.getpid).result(), signal.SIGKILL)
    response = _post(officer, _photo(tmp_path, demo_url, 609))
    assert (response.status_code, response.json()["status"]) == (200, "stored")
    assert ingest_pool.analysis_pool(2) is not pool


def test_a_served_app_starts_its_analysis_processes_before_any_upload(
        demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOKBACK_DATABASE_URL", demo_url)
    monkeypatch.setenv("LOOKBACK_DATA_DIR", str(tmp_path / "data"))
    for known in list(ingest_pool._pools.values()):
        ingest_pool.discard(known)
    app_from_environment()
    workers = Settings().upload_workers
    deadline = time.monotonic() + 60
    while len(getattr(ingest_pool._pools.get(workers), "_processes", None) or ()) < workers:
        assert time.monotonic() < deadline, "the analysis processes did not start"
        time.sleep(0.05)


def test_the_store_check_counts_a_shared_file_once(fresh_demo_url: str, tmp_path: Path,
                                                   data: Path) -> None:
    path = _photo(tmp_path, fresh_demo_url, 610)
    _post(_client(fresh_demo_url, data, "officer"), path)
    _post(_second_officer(fresh_demo_url, data), path)
    engine = create_engine(fresh_demo_url)
    with engine.connect() as conn:
        report = check_store(conn, FileStore(data))
    engine.dispose()
    assert [r["sha256"] for r in _rows(fresh_demo_url)] == [sha256_of(path.read_bytes())] * 2
    assert (report.findings, report.originals, report.photos) == ([], 1, 2)
