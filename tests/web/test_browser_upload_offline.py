"""In the browser (Debian Chromium, 360 px and 1366 px): the upload page with no signal, as
issue 15's acceptance runs it, over an intranet basemap (a local tile server).

1. A grid officer opens the page online (the service worker keeps its shell, and the tiles
   over the officer's cells), then loses the connection.
2. Three photos: one with EXIF GPS (at a site in the officer's grid), one placed by the
   device's position (granted to the browser, outside the officer's grid), one pinned by
   hand on an own cell. Each waits (等待发送) and says before sending where it is: in the
   grid or not, and the nearest site.
3. The browser is closed and the server and the tile server go away; the page opens again
   from the service worker: the three photos still wait, and the pin map still shows the
   officer's cells over the kept tiles.
4. The connection returns: the three are sent by themselves (已发送), stored exactly once
   each (photo GPS, device, pin; the device's time for the photo that has none), the queue
   empties, and nothing is sent again when the page is opened again.
5. A connection that drops in the middle of a send (the server stored the photo, the answer
   was lost) leaves the photo waiting; 立即发送 sends it again under its upload id and
   nothing is stored twice.

The kept tiles are bounded by LOOKBACK_OFFLINE_TILE_MB: past it the oldest are dropped and
the start view, kept last, still shows."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from geo.db import create_engine
from geo.layers import GRID_CELLS, SITES
from imagery.schema import photos
from tests.imagery.images import exif_bytes, jpeg
from tests.web.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    free_port,
    screenshot,
    serve,
    sign_in_page,
)
from tests.web.client import inside_town
from tests.web.tile_server import tile_png, tile_server
from web.accounts.demo import DEMO_TOWN
from web.settings import Settings

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": PHONE}
SENT_WITHIN_MS = 60_000  # the 'online' event sends at once; the page retries every 30 s
OTHER_TOWN = "海门街道"
TILES = "lookback-upload-tiles"
TILE_INDEX = ("caches.open('lookback-upload-tiles')"
              ".then(c => c.match('/__lookback-tiles-index'))"
              ".then(r => r ? r.json() : null)")


def _count(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = conn.execute(sa.select(sa.func.count()).select_from(photos)).scalar_one()
    engine.dispose()
    return found


def _stored(url: str) -> dict[str, tuple[str, str | None]]:
    """Each stored photo's file name: (location source, time source)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(photos.c.original_name, photos.c.location_source,
                                      photos.c.time_source)).all()
    engine.dispose()
    return {r[0]: (r[1], r[2]) for r in rows}


def _site_in_town(url: str, town: str) -> tuple[str, float, float]:
    """A site inside one of the town's grid cells: its name and a point on it."""
    engine = create_engine(url)
    with engine.connect() as conn:
        cells = conn.execute(sa.select(GRID_CELLS.table.c.geom).where(
            GRID_CELLS.table.c.town == town)).scalars().all()
        sites = conn.execute(sa.select(SITES.table.c.name, SITES.table.c.geom)
                             .order_by(SITES.table.c.code)).all()
    engine.dispose()
    for name, geom in sites:
        point = geom.representative_point()
        if any(cell.contains(point) for cell in cells):
            return name, point.x, point.y
    raise AssertionError(f"no site in {town}")


def _cell_count(url: str, town: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = conn.execute(sa.select(sa.func.count()).select_from(GRID_CELLS.table).where(
            GRID_CELLS.table.c.town == town)).scalar_one()
    engine.dispose()
    return found


def _two_photos(url: str, folder: Path) -> list[str]:
    lon, lat = inside_town(url, DEMO_TOWN)
    return [str(jpeg(folder / f"IMG_02{n}.jpg", seed=920 + n,
                     exif=exif_bytes(lon=lon + n * 1e-4, lat=lat))) for n in (1, 2)]


def _launch(browser, profile: Path, viewport: dict, device: tuple[float, float]):  # noqa: ANN001, ANN202
    """A browser whose profile (cookies, service worker, IndexedDB) is kept on disk, the
    device's position granted."""
    return browser.browser_type.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport=viewport,
        locale="zh-CN", permissions=["geolocation"],
        geolocation={"longitude": device[0], "latitude": device[1], "accuracy": 10})


def _wait_until_controlled(page) -> None:  # noqa: ANN001
    """Wait until the service worker has kept the shell and controls the page (polled from
    here: the page's CSP forbids the eval that wait_for_function's string needs)."""
    deadline = time.monotonic() + 30
    while not page.evaluate("navigator.serviceWorker.ready"
                            ".then(() => navigator.serviceWorker.controller !== null)"):
        assert time.monotonic() < deadline, "the service worker never controlled the page"
        page.wait_for_timeout(200)


def _kept_tiles(page) -> list[dict]:  # noqa: ANN001
    """The service worker's tile index once it has written it: [{url, bytes}], oldest first."""
    deadline = time.monotonic() + 60
    while (index := page.evaluate(TILE_INDEX)) is None:
        assert time.monotonic() < deadline, "the service worker kept no tiles"
        page.wait_for_timeout(250)
    return index


def _states(page) -> list[str]:  # noqa: ANN001
    return page.locator("#results li .state").all_inner_texts()


def _places(page) -> list[str]:  # noqa: ANN001
    return page.locator("#results li .place").all_inner_texts()


def _take(page, path: Path, waiting: int) -> None:  # noqa: ANN001
    page.set_input_files("#pick", str(path))
    page.click("#submit")
    page.locator("#results li .state", has_text="等待发送").nth(waiting - 1).wait_for()


def _pin_on_own_cell(page) -> None:  # noqa: ANN001
    """Tap the middle of the officer's first cell on the pin map."""
    page.locator("#pin-map").scroll_into_view_if_needed()
    cell = page.locator("#pin-map path.own-cell").first.bounding_box()
    box = page.locator("#pin-map").bounding_box()  # the part of the cell the map shows
    x0, x1 = max(cell["x"], box["x"]), min(cell["x"] + cell["width"], box["x"] + box["width"])
    y0, y1 = max(cell["y"], box["y"]), min(cell["y"] + cell["height"], box["y"] + box["height"])
    page.mouse.click((x0 + x1) / 2, (y0 + y1) / 2)
    page.locator("#pin").filter(has_text="121").wait_for()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_three_photos_taken_offline_wait_and_are_sent_once(  # noqa: ANN001
        browser, fresh_demo_url: str, tmp_path: Path, width: str) -> None:
    viewport = VIEWPORTS[width]
    site, site_lon, site_lat = _site_in_town(fresh_demo_url, DEMO_TOWN)
    gps = jpeg(tmp_path / "IMG_0301.jpg", seed=931, exif=exif_bytes(lon=site_lon, lat=site_lat))
    by_device = jpeg(tmp_path / "IMG_0302.jpg", seed=932, exif=exif_bytes(taken=None,
                                                                          offset=None))
    pinned = jpeg(tmp_path / "IMG_0303.jpg", seed=933)
    device = inside_town(fresh_demo_url, OTHER_TOWN)
    cells = _cell_count(fresh_demo_url, DEMO_TOWN)
    profile, port, tiles_port = tmp_path / "profile", free_port(), free_port()
    with tile_server(tile_png(), tiles_port) as tiles:
        settings = Settings(database_url=fresh_demo_url, data_dir=tmp_path / "data",
                            basemap_url=tiles.template, offline_tile_mb=0.5)
        with serve(settings, port=port) as base:
            context = _launch(browser, profile, viewport, device)
            try:
                page = context.pages[0] if context.pages else context.new_page()
                sign_in_page(page, base, "officer")
                page.goto(f"{base}/upload")  # 1. online, then offline
                _wait_until_controlled(page)
                kept = _kept_tiles(page)
                assert kept and sum(t["bytes"] for t in kept) <= 0.5 * 1024 * 1024
                assert page.locator("#pin-map path.own-cell").count() == cells
                page.locator("#device", has_text="121").wait_for()
                context.set_offline(True)
                _take(page, gps, 1)  # 2. photo GPS, device position, a pin
                _take(page, by_device, 2)
                _pin_on_own_cell(page)
                _take(page, pinned, 3)
                assert _states(page) == ["等待发送"] * 3
                assert page.locator("#offline").is_visible()
                places = _places(page)
                assert places[0].startswith("位置来自照片 GPS：位于你的网格内")
                assert f"最近点位：{site}" in places[0]
                assert places[1].startswith("位置来自设备定位：不在你的网格内")
                assert places[2].startswith("位置来自手动标注：位于你的网格内")
                screenshot(page, f"upload-offline-three-{viewport['width']}")
            finally:
                context.close()
    # 3. No server now, nor tile server: the service worker's own requests are not under
    # Playwright's offline switch, so only servers that are gone prove the cache answers.
    context = _launch(browser, profile, viewport, device)
    try:
        page = context.pages[0] if context.pages else context.new_page()
        context.set_offline(True)
        page.goto(f"{base}/upload")
        page.locator("#results li .state", has_text="等待发送").nth(2).wait_for()
        assert _states(page) == ["等待发送"] * 3
        assert page.locator("#queue-summary").inner_text() == "3 张照片等待发送"
        assert page.locator("#pin-map path.own-cell").count() == cells
        page.locator("#pin-map img.leaflet-tile-loaded").first.wait_for(state="attached")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        screenshot(page, f"upload-offline-waiting-{viewport['width']}")
        assert _count(fresh_demo_url) == 0
        with serve(settings, port=port):  # 4. online: sent by themselves, once
            context.set_offline(False)
            page.locator("#results li .state", has_text="已发送").nth(2).wait_for(
                timeout=SENT_WITHIN_MS)
            assert _states(page) == ["已发送"] * 3
            assert page.locator("#results li .status", has_text="已保存").count() == 3
            assert _stored(fresh_demo_url) == {"IMG_0301.jpg": ("exif", "exif_offset"),
                                               "IMG_0302.jpg": ("device", "device"),
                                               "IMG_0303.jpg": ("manual", "device")}
            assert page.locator("#queue-summary").inner_text() == "没有等待发送的照片"
            screenshot(page, f"upload-offline-sent-{viewport['width']}")
            page.reload()  # sent photos are listed, not sent again
            page.locator("#results li .state", has_text="已发送").nth(2).wait_for()
            assert page.locator("#send-now").is_hidden()
            assert page.locator("#queue-summary").inner_text() == "没有等待发送的照片"
            assert _count(fresh_demo_url) == 3
    finally:
        context.close()


def test_kept_tiles_stay_within_their_budget_dropping_the_oldest(  # noqa: ANN001
        browser, demo_url: str, tmp_path: Path) -> None:
    budget_mb = 0.5
    body = tile_png(60_000)  # larger than the page plans a tile at: the budget overflows
    profile = tmp_path / "profile"
    device = inside_town(demo_url, DEMO_TOWN)
    with tile_server(body) as tiles:
        settings = Settings(database_url=demo_url, data_dir=tmp_path / "data",
                            basemap_url=tiles.template, offline_tile_mb=budget_mb)
        with serve(settings) as base:
            context = _launch(browser, profile, PHONE, device)
            try:
                page = context.pages[0] if context.pages else context.new_page()
                sign_in_page(page, base, "officer")
                page.goto(f"{base}/upload")
                _wait_until_controlled(page)
                kept = _kept_tiles(page)
            finally:
                context.close()
    by_worker = {path for path, dest in tiles.asked if dest == "empty"}
    assert sum(t["bytes"] for t in kept) <= budget_mb * 1024 * 1024
    assert all(t["bytes"] == len(body) for t in kept)
    assert 0 < len(kept) < len(by_worker)  # the oldest were dropped
    zooms = [int(t["url"].split("/tiles/")[1].split("/")[0]) for t in kept]
    assert zooms == sorted(zooms, reverse=True)  # the most detailed first: the start view last
    context = _launch(browser, profile, PHONE, device)  # no server, no tile server: the cache
    try:
        page = context.pages[0] if context.pages else context.new_page()
        context.set_offline(True)
        page.goto(f"{base}/upload")
        page.locator("#pin-map img.leaflet-tile-loaded").first.wait_for(state="attached")
        screenshot(page, "upload-offline-tiles-360")
    finally:
        context.close()


def test_a_send_cut_off_midway_is_sent_again_and_stored_once(browser, fresh_demo_url: str,  # noqa: ANN001
                                                              tmp_path: Path) -> None:
    [photo, _] = _two_photos(fresh_demo_url, tmp_path)
    settings = Settings(database_url=fresh_demo_url, data_dir=tmp_path / "data")
    # Routes see no request a service worker handles: none here (the queue does not need it).
    context = browser.new_context(viewport=PHONE, locale="zh-CN", service_workers="block")
    try:
        page = context.new_page()
        with serve(settings) as base:
            sign_in_page(page, base, "officer")
            page.goto(f"{base}/upload")

            def stored_then_cut(route) -> None:  # noqa: ANN001
                route.fetch()  # the server stores the photo
                route.abort("internetdisconnected")  # its answer never arrives

            page.route("**/api/photos", stored_then_cut)
            page.set_input_files("#pick", photo)
            page.click("#submit")
            item = page.locator("#results li").nth(0)
            item.locator(".status", has_text="网络中断，联网后自动发送").wait_for()
            assert item.locator(".state").inner_text() == "等待发送"
            assert _count(fresh_demo_url) == 1
            page.unroute("**/api/photos")
            page.click("#send-now")
            item.locator(".state", has_text="已发送").wait_for()
            assert "已存在相同照片" in item.locator(".status").inner_text()
            assert _count(fresh_demo_url) == 1
            screenshot(page, "upload-resent-once-360")
    finally:
        context.close()
