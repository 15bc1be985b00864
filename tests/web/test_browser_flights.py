"""In the browser: an inspector hands over a flight of 200 drone photos (plus a copy of one
and a file that is no photo) for a case of their agency through the flight page, sent four
at a time over tus; the summary, read from the database after ingestion, says 200 stored,
1 duplicate, 1 refused and why, and the landfill the photos cover."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from inspections import cases as case_store
from inspections.actors import Actor
from inspections.clock import FixedClock
from inspections.schema import flights, received_files
from tests.imagery.images import dji_packet, exif_bytes, jpeg
from tests.web.browser import nav_to, screenshot, serve, sign_in_page
from web.accounts.demo import AGENCY, DEMO_UNIT
from web.database import engine_for
from web.settings import Settings

NOW = datetime(2022, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PHOTOS = 200


def flight_folder(folder: Path) -> Path:
    """200 nadir DJI photos in a 20 x 10 grid over the demo's landfill LF001 (121.4344-
    121.4358, 28.6470-28.6483) at 60 m, a copy of the first, and a text file."""
    folder.mkdir()
    for k in range(PHOTOS):
        lon, lat = 121.4337 + (k % 20) * 0.00015, 28.6462 + (k // 20) * 0.0003
        jpeg(folder / f"DJI_{k:04d}.JPG", seed=5000 + k, size=(300, 200),
             exif=exif_bytes(focal_35mm=24, make="DJI"),
             xmp=dji_packet(lat=lat, lon=lon, relative_altitude=60.0))
    shutil.copy(folder / "DJI_0000.JPG", folder / "DJI_0000_copy.JPG")
    (folder / "flight-log.txt").write_text("not a photo")
    return folder


def test_an_inspector_uploads_a_flight_and_reads_its_summary(demo_url: str, desktop,  # noqa: ANN001
                                                             tmp_path: Path) -> None:
    folder = flight_folder(tmp_path / "flight")
    settings = Settings(database_url=demo_url, data_dir=tmp_path / "data",
                        job_runner="local", job_poll_seconds=0.1)
    with engine_for(settings).begin() as conn:
        case_store.create_case(conn, actor=Actor("leader", "leader"), clock=FixedClock(NOW),
                               source="patrol", reference="XC-2022-0101", title="填埋场渗滤液",
                               description="渗滤液外溢", responsible_unit=DEMO_UNIT,
                               deadline=date(2022, 7, 1), target="收集处理",
                               lookback_agency=AGENCY)
    with serve(settings, jobs=True) as base:
        sign_in_page(desktop, base, "inspector")
        nav_to(desktop, "/flights/new")
        desktop.wait_for_url(f"{base}/flights/new")
        desktop.click("#submit")  # nothing filled in: each field says what it wants
        assert desktop.locator("#name-field .field-error").inner_text() == "请填写航飞名称。"
        assert desktop.locator("#files-field .field-error").is_visible()
        desktop.fill("#flight-name", "2022年6月 LF1 复核航飞")
        desktop.select_option("#target", label="XC-2022-0101 填埋场渗滤液")
        desktop.set_input_files("#files", sorted(str(p) for p in folder.iterdir()))
        assert desktop.locator("#chosen").inner_text().startswith("已选择 202 个文件")
        desktop.check("#metadata-only")
        desktop.click("#submit")
        desktop.locator("#summary").wait_for(timeout=120_000)
        assert desktop.locator("#count-stored").inner_text() == "200 张"
        assert desktop.locator("#count-duplicate").inner_text() == "1 张"
        assert desktop.locator("#count-rejected").inner_text() == "1 张"
        assert desktop.locator("#count-failed").inner_text() == "0 张"
        assert "LF001 桐屿街道高岙垃圾填埋场" in desktop.locator("#sites").inner_text()
        assert desktop.locator("#rejected").inner_text().startswith(
            "flight-log.txt：文件内容不是 JPEG")
        assert desktop.locator("#overall").inner_text().startswith("已上传 202 / 202 个文件")
        assert desktop.evaluate("document.documentElement.scrollWidth") <= 1280
        screenshot(desktop, "flight-summary-1280")
    with engine_for(settings).connect() as conn:
        flight = conn.execute(sa.select(flights)).mappings().one()
        assert (flight["name"], flight["created_by"], flight["metadata_only"]) == (
            "2022年6月 LF1 复核航飞", "inspector", True)
        states = conn.execute(sa.select(received_files.c.state, sa.func.count())
                              .where(received_files.c.flight_id == flight["id"])
                              .group_by(received_files.c.state)).all()
    assert dict(states) == {"stored": 200, "duplicate": 1, "rejected": 1}
