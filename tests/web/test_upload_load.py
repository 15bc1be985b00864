"""A live server (uvicorn in a thread, on SQLite) under twenty uploaders and twenty map readers
at once: no "database is locked", no 5xx, and afterwards every photo row has its file and
every stored file its row; and ten clients racing one upload id with different files: one
stored, nine refused (409), nothing of theirs left."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from geo.db import create_engine
from imagery.schema import photos
from tests.imagery.images import exif_bytes, jpeg
from tests.web.browser import serve
from tests.web.client import CSRF_META, inside_town
from web.accounts.demo import DEMO_TOWN
from web.settings import Settings

NOW = datetime(2022, 6, 1, 4, 0, tzinfo=UTC)
UPLOADERS, READERS, PHOTOS_EACH = 20, 20, 2
MAP_PATHS = ("/api/map/sites", "/api/map/photos", "/api/map/cases", "/api/map/footprints",
             "/api/map/orthophotos")


Session = tuple[dict[str, str], str]  # cookies, CSRF token


def _session(base: str, name: str) -> Session:
    """A signed-in session's cookies and CSRF token (shared by every thread acting as that
    user), the token read from a page as the browser's scripts read it."""
    with httpx.Client(base_url=base) as client:
        token = CSRF_META.search(client.get("/login").text).group(1)
        response = client.post("/login", data={"name": name, "password": f"{name}-demo-2022",
                                               "csrf_token": token, "next": "/"})
        assert response.status_code == 303, response.text
        token = CSRF_META.search(client.get("/login").text).group(1)
        return dict(client.cookies), token


def _upload(base: str, session: Session, path: Path, upload_id: str) -> httpx.Response:
    cookies, token = session
    with httpx.Client(base_url=base, cookies=cookies, timeout=120) as client, \
            path.open("rb") as f:
        return client.post("/api/photos", headers={"X-CSRF-Token": token},
                           files={"file": (path.name, f, "image/jpeg")},
                           data={"upload_id": upload_id})


def _read_map(base: str, session: Session, bbox: str,
              until: threading.Event) -> list[httpx.Response]:
    answers = []
    with httpx.Client(base_url=base, cookies=session[0], timeout=120) as client:
        while not until.is_set() or len(answers) < len(MAP_PATHS):
            for path in MAP_PATHS:
                answers.append(client.get(path, params={"bbox": bbox}))
    return answers


def _rows_and_files(url: str, data: Path) -> tuple[set[str], set[str]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = set(conn.execute(sa.select(photos.c.sha256)).scalars())
    engine.dispose()
    return rows, {p.name for p in (data / "originals").glob("*/*")}


def _failures(answers: list[httpx.Response]) -> list[str]:
    return [f"{a.request.url.path}: {a.status_code} {a.text[:200]}" for a in answers
            if a.status_code >= 500 or "database is locked" in a.text]


@pytest.fixture
def live(fresh_demo_url: str, tmp_path: Path):  # noqa: ANN201
    settings = Settings(database_url=fresh_demo_url, data_dir=tmp_path / "store", now=NOW)
    with serve(settings) as base:
        yield base, fresh_demo_url, tmp_path / "store"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_twenty_uploaders_and_twenty_map_readers(live, tmp_path: Path) -> None:  # noqa: ANN001
    base, url, data = live
    lon, lat = inside_town(url, DEMO_TOWN)
    files = [jpeg(tmp_path / f"u{i:02d}.jpg", seed=700 + i,
                  exif=exif_bytes(lon=lon + i * 1e-5, lat=lat))
             for i in range(UPLOADERS * PHOTOS_EACH)]
    officer, leader = _session(base, "officer"), _session(base, "leader")
    bbox = f"{lon - 0.02},{lat - 0.02},{lon + 0.02},{lat + 0.02}"
    done = threading.Event()
    with ThreadPoolExecutor(UPLOADERS + READERS) as pool:
        readers = [pool.submit(_read_map, base, leader, bbox, done) for _ in range(READERS)]
        uploads = [pool.submit(lambda batch: [_upload(base, officer, p, f"load-{p.stem}-00")
                                              for p in batch],
                               files[k::UPLOADERS]) for k in range(UPLOADERS)]
        uploaded = [a for future in uploads for a in future.result()]
        done.set()
        read = [a for future in readers for a in future.result()]
    assert _failures(uploaded + read) == []
    assert [a.json()["status"] for a in uploaded] == ["stored"] * len(files)
    assert all(a.status_code == 200 for a in read) and len(read) >= READERS * len(MAP_PATHS)
    rows, stored = _rows_and_files(url, data)
    assert len(rows) == len(files) and rows == stored
    assert list((data / "tmp").iterdir()) == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_ten_clients_racing_one_upload_id(live, tmp_path: Path) -> None:  # noqa: ANN001
    base, url, data = live
    lon, lat = inside_town(url, DEMO_TOWN)
    files = [jpeg(tmp_path / f"r{i}.jpg", seed=800 + i, exif=exif_bytes(lon=lon, lat=lat))
             for i in range(10)]
    officer = _session(base, "officer")
    with ThreadPoolExecutor(len(files)) as pool:
        answers = list(pool.map(lambda p: _upload(base, officer, p, "raced-id-0001"), files))
    assert _failures(answers) == []
    assert sorted(a.status_code for a in answers) == [200] + [409] * 9
    rows, stored = _rows_and_files(url, data)
    assert len(rows) == 1 and rows == stored
    assert len(list((data / "derived").glob("*/*"))) == 1  # the winner's thumbnail only
