"""One clock from the settings: LOOKBACK_TIMEZONE and LOOKBACK_NOW reach uploads, `ingest` and
`import`; a demo database's remembered time is used unless LOOKBACK_NOW says otherwise."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from pydantic import ValidationError

from geo.db import create_engine
from geo.layers import SITES
from imagery.schema import photos
from inspections.clock import FixedClock, SystemClock
from tests.imagery.images import exif_bytes, jpeg
from tests.web.cli import json_lines, run
from tests.web.client import client_for, headers, inside_town, sign_in
from web import clock as web_clock
from web.accounts.demo import DEMO_TOWN
from web.clock import clock_for, remember_demo_time
from web.database import engine_for
from web.settings import Settings

DEMO_END = datetime.fromisoformat("2022-12-20T10:00:00+08:00")


@pytest.fixture
def initialised(migrated_url: str) -> str:
    """A database with every package's schema and nothing in it."""
    return migrated_url


def test_the_zone_and_a_frozen_time_come_from_the_settings(initialised: str) -> None:
    clock = clock_for(Settings(database_url=initialised, timezone="Asia/Urumqi",
                               now=datetime(2022, 4, 12, 18, 30)))  # naive: read as UTC
    assert isinstance(clock, FixedClock)
    assert clock.tz == ZoneInfo("Asia/Urumqi")
    assert clock.now() == datetime(2022, 4, 12, 18, 30, tzinfo=UTC)
    assert clock.today() == date(2022, 4, 13)  # 00:30 the next day in Urumqi (+06:00)
    real = clock_for(Settings(database_url=initialised, timezone="UTC"))
    assert isinstance(real, SystemClock) and real.tz == ZoneInfo("UTC")
    assert abs((real.now() - datetime.now(UTC)).total_seconds()) < 60


def test_an_unknown_zone_is_refused_naming_the_setting() -> None:
    with pytest.raises(ValidationError, match="LOOKBACK_TIMEZONE 'Mars/Olympus': not a time "
                                              "zone"):
        Settings(timezone="Mars/Olympus")


def test_a_demo_database_runs_on_its_remembered_time(initialised: str, monkeypatch,  # noqa: ANN001
                                                     capsys) -> None:  # noqa: ANN001
    monkeypatch.setattr(web_clock, "_said", set())
    settings = Settings(database_url=initialised)
    assert isinstance(clock_for(settings), SystemClock)  # not a demo database yet
    remember_demo_time(engine_for(settings), DEMO_END)
    frozen = clock_for(settings)
    clock_for(settings)
    assert frozen.now() == DEMO_END and frozen.today() == date(2022, 12, 20)
    note = capsys.readouterr().err
    assert note.count("demo database: the clock is frozen at 2022-12-20T10:00:00+08:00") == 1
    assert "LOOKBACK_NOW=real" in note
    later = datetime(2023, 1, 5, 9, 0, tzinfo=UTC)
    assert clock_for(Settings(database_url=initialised, now=later)).now() == later
    assert isinstance(clock_for(Settings(database_url=initialised, now="real")), SystemClock)
    assert capsys.readouterr().err == ""  # said once, and not when LOOKBACK_NOW decides
    with pytest.raises(ValidationError, match="now"):
        Settings(now="soon")


def test_the_server_takes_the_demo_time_unless_told_otherwise(initialised: str) -> None:
    remember_demo_time(engine_for(Settings(database_url=initialised)), DEMO_END)
    assert client_for(initialised).app.state.clock.now() == DEMO_END
    assert isinstance(client_for(initialised, now="real").app.state.clock, SystemClock)


@pytest.mark.parametrize(("zone", "utc_time"), [("Asia/Urumqi", "2022-05-01T04:00:00+00:00"),
                                                ("UTC", "2022-05-01T10:00:00+00:00")])
def test_an_uploaded_time_without_offset_is_read_in_the_settings_zone(
        fresh_demo_url: str, tmp_path: Path, zone: str, utc_time: str) -> None:
    client = client_for(fresh_demo_url, now=datetime(2022, 6, 1, 4, 0, tzinfo=UTC),
                        timezone=zone)
    assert sign_in(client, "officer").status_code == 303
    lon, lat = inside_town(fresh_demo_url, DEMO_TOWN)
    path = jpeg(tmp_path / "IMG_0100.JPG", seed=900,
                exif=exif_bytes(lon=lon, lat=lat, taken="2022:05:01 10:00:00", offset=None))
    with path.open("rb") as f:
        response = client.post("/api/photos", headers=headers(client),
                               files={"file": (path.name, f, "image/jpeg")})
    assert response.status_code == 200, response.text
    photo = response.json()["photo"]
    assert photo["taken_at"] == utc_time
    assert "time_without_offset" in photo["flags"]


def _env(tmp_path: Path, **settings: str) -> dict[str, str]:
    return {"LOOKBACK_DATA_DIR": str(tmp_path / "store"), **settings}


def test_ingest_takes_its_time_and_zone_from_the_settings(fresh_demo_url: str,
                                                          tmp_path: Path) -> None:
    lon, lat = inside_town(fresh_demo_url, DEMO_TOWN)
    path = jpeg(tmp_path / "IMG_0200.JPG", seed=901,
                exif=exif_bytes(lon=lon, lat=lat, taken="2022:06:01 10:00:00", offset=None))
    result = run(fresh_demo_url, "ingest", str(path), "--json", **_env(
        tmp_path, LOOKBACK_NOW="2022-06-01T12:00:00+08:00", LOOKBACK_TIMEZONE="UTC"))
    assert result.exit_code == 0, result.output
    [line] = json_lines(result.stdout)
    # 10:00 read in UTC is after 12:00 in Shanghai (04:00 UTC): a photo from the future.
    assert line["taken_at"] == "2022-06-01T10:00:00+00:00"
    assert "time_in_future" in line["flags"]
    with create_engine(fresh_demo_url).connect() as conn:
        uploaded = conn.execute(sa.select(photos.c.uploaded_at)).scalar_one()
    assert uploaded.replace(tzinfo=uploaded.tzinfo or UTC) == datetime(2022, 6, 1, 4, 0,
                                                                        tzinfo=UTC)


def test_import_stamps_the_settings_time(initialised: str, tmp_path: Path) -> None:
    csv = tmp_path / "plants.csv"
    csv.write_text("code,name,lon,lat\nP1,某电厂,121.45,28.68\n", encoding="utf-8")
    result = run(initialised, "import", "sites", str(csv), "--kind", "other",
                 "--crs", "EPSG:4326", "--x-field", "lon", "--y-field", "lat", "--json",
                 LOOKBACK_NOW="2021-03-04T05:06:07+00:00")
    assert result.exit_code == 0, result.output
    with create_engine(initialised).connect() as conn:
        stamped = conn.execute(sa.select(SITES.table.c.updated_at)).scalar_one()
    assert stamped.replace(tzinfo=stamped.tzinfo or UTC) == datetime(2021, 3, 4, 5, 6, 7,
                                                                      tzinfo=UTC)
