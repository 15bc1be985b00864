"""The upload's capture time (captured_at: when the device took or queued the photo), as the
server takes it, on SQLite and PostGIS: a photo with no time of its own gets it (time source
"device"); a photo with an EXIF time keeps its own; a time in the future, one without an
offset and one that is no time at all are refused in Chinese naming the field, storing
nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from geo.db import create_engine
from imagery.schema import photos
from tests.imagery.images import exif_bytes, jpeg
from tests.web.client import client_for, headers, inside_town, sign_in
from web.accounts.demo import DEMO_TOWN

NOW = datetime(2022, 6, 1, 4, 0, tzinfo=UTC)


@pytest.fixture
def officer(demo_url: str, tmp_path: Path) -> TestClient:
    client = client_for(demo_url, now=NOW, data_dir=tmp_path / "store")
    assert sign_in(client, "officer").status_code == 303
    return client


def _photo(url: str, folder: Path, seed: int, *, exif_time: bool) -> Path:
    lon, lat = inside_town(url, DEMO_TOWN)
    exif = exif_bytes(lon=lon, lat=lat) if exif_time else exif_bytes(
        lon=lon, lat=lat, taken=None, offset=None)
    return jpeg(folder / f"IMG_{seed}.jpg", seed=seed, exif=exif)


def _post(client: TestClient, path: Path, captured_at: str):  # noqa: ANN202
    with path.open("rb") as f:
        return client.post("/api/photos", headers=headers(client),
                           files={"file": (path.name, f, "image/jpeg")},
                           data={"captured_at": captured_at})


def _row(url: str, photo_id: int) -> sa.RowMapping:
    engine = create_engine(url)
    with engine.connect() as conn:
        row = conn.execute(sa.select(photos.c.taken_at, photos.c.time_source).where(
            photos.c.id == photo_id)).mappings().one()
    engine.dispose()
    return row


def _count(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = conn.execute(sa.select(sa.func.count()).select_from(photos)).scalar_one()
    engine.dispose()
    return found


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def test_a_photo_without_a_time_takes_the_devices(officer: TestClient, demo_url: str,
                                                  tmp_path: Path) -> None:
    answer = _post(officer, _photo(demo_url, tmp_path, 701, exif_time=False),
                   "2022-06-01T11:30:00+08:00")
    assert answer.status_code == 200, answer.text
    assert answer.json()["photo"]["taken_at"] == "2022-06-01T03:30:00+00:00"
    assert "time_without_offset" not in answer.json()["flags"]
    row = _row(demo_url, answer.json()["photo"]["id"])
    assert _utc(row["taken_at"]) == datetime(2022, 6, 1, 3, 30, tzinfo=UTC)
    assert row["time_source"] == "device"


def test_the_exif_time_is_never_overridden(officer: TestClient, demo_url: str,
                                           tmp_path: Path) -> None:
    answer = _post(officer, _photo(demo_url, tmp_path, 702, exif_time=True),
                   "2022-06-01T11:30:00+08:00")
    assert answer.status_code == 200, answer.text
    row = _row(demo_url, answer.json()["photo"]["id"])
    assert _utc(row["taken_at"]) == datetime(2022, 5, 1, 2, 0, tzinfo=UTC)  # EXIF 10:00 +08
    assert row["time_source"] == "exif_offset"


@pytest.mark.parametrize(("captured_at", "detail"), [
    ("2022-06-01T13:00:00+08:00",
     "captured_at（拍摄时间）2022-06-01T13:00:00+08:00：晚于当前时间 2022-06-01T04:00:00+00:00"),
    ("2022-06-01T10:00:00",
     "captured_at（拍摄时间）2022-06-01T10:00:00：缺少时区"),
    ("yesterday", "captured_at: Input should be a valid datetime"),
])
def test_a_bad_capture_time_is_refused_naming_it(officer: TestClient, demo_url: str,
                                                 tmp_path: Path, captured_at: str,
                                                 detail: str) -> None:
    before = _count(demo_url)
    answer = _post(officer, _photo(demo_url, tmp_path, 703, exif_time=False), captured_at)
    assert answer.status_code == 422
    assert answer.json()["error"] == "invalid_input"
    assert answer.json()["detail"].startswith(detail)
    assert _count(demo_url) == before


def test_a_time_a_few_minutes_ahead_is_a_phone_clock_and_taken(officer: TestClient,
                                                               demo_url: str,
                                                               tmp_path: Path) -> None:
    answer = _post(officer, _photo(demo_url, tmp_path, 704, exif_time=False),
                   "2022-06-01T04:05:00Z")
    assert answer.status_code == 200, answer.text
    assert _utc(_row(demo_url, answer.json()["photo"]["id"])["taken_at"]) == \
        datetime(2022, 6, 1, 4, 5, tzinfo=UTC)
