"""In the browser (Debian Chromium, 360 px and 1366 px): the upload page with no signal.

A grid officer opens the page once (the service worker keeps its shell), loses the
connection, and uploads two photos: both wait on the device (等待发送). The browser is closed
and the server goes away; the page opens again from the service worker, and both photos still
wait. The connection returns: both are sent by themselves, shown as 已发送, and the database
holds exactly two photos, still two after the page is opened again (nothing waits, so
nothing is sent). A connection that drops in the middle of a send (the server stored the
photo, the answer was lost) leaves the photo waiting; 立即发送 sends it again under its
upload id and nothing is stored twice."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from geo.db import create_engine
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
from web.accounts.demo import DEMO_TOWN
from web.settings import Settings

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": PHONE}
SENT_WITHIN_MS = 60_000  # the 'online' event sends at once; the page retries every 30 s


def _count(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = conn.execute(sa.select(sa.func.count()).select_from(photos)).scalar_one()
    engine.dispose()
    return found


def _two_photos(url: str, folder: Path) -> list[str]:
    lon, lat = inside_town(url, DEMO_TOWN)
    return [str(jpeg(folder / f"IMG_02{n}.jpg", seed=920 + n,
                     exif=exif_bytes(lon=lon + n * 1e-4, lat=lat))) for n in (1, 2)]


def _launch(browser, profile: Path, viewport: dict):  # noqa: ANN001, ANN202
    """A browser whose profile (cookies, service worker, IndexedDB) is kept on disk."""
    return browser.browser_type.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport=viewport,
        locale="zh-CN")


def _wait_until_controlled(page) -> None:  # noqa: ANN001
    """Wait until the service worker has kept the shell and controls the page (polled from
    here: the page's CSP forbids the eval that wait_for_function's string needs)."""
    deadline = time.monotonic() + 30
    while not page.evaluate("navigator.serviceWorker.ready"
                            ".then(() => navigator.serviceWorker.controller !== null)"):
        assert time.monotonic() < deadline, "the service worker never controlled the page"
        page.wait_for_timeout(200)


def _states(page) -> list[str]:  # noqa: ANN001
    return page.locator("#results li .state").all_inner_texts()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_photos_taken_offline_wait_and_are_sent_once(browser, fresh_demo_url: str,  # noqa: ANN001
                                                     tmp_path: Path, width: str) -> None:
    viewport = VIEWPORTS[width]
    files = _two_photos(fresh_demo_url, tmp_path)
    settings = Settings(database_url=fresh_demo_url, data_dir=tmp_path / "data")
    profile, port = tmp_path / "profile", free_port()
    with serve(settings, port=port) as base:
        context = _launch(browser, profile, viewport)
        try:
            page = context.pages[0] if context.pages else context.new_page()
            sign_in_page(page, base, "officer")
            page.goto(f"{base}/upload")
            _wait_until_controlled(page)
            context.set_offline(True)
            page.set_input_files("#pick", files)
            page.click("#submit")
            page.locator("#results li .state", has_text="等待发送").nth(1).wait_for()
            assert _states(page) == ["等待发送", "等待发送"]
            assert page.locator("#offline").is_visible()
        finally:
            context.close()
    # No server now either: the service worker's own requests are not under Playwright's
    # offline switch, so only a server that is gone proves the page comes from its cache.
    context = _launch(browser, profile, viewport)
    try:
        page = context.pages[0] if context.pages else context.new_page()
        context.set_offline(True)
        page.goto(f"{base}/upload")
        page.locator("#results li .state", has_text="等待发送").nth(1).wait_for()
        assert _states(page) == ["等待发送", "等待发送"]
        assert page.locator("#queue-summary").inner_text() == "2 张照片等待发送"
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        screenshot(page, f"upload-offline-waiting-{viewport['width']}")
        assert _count(fresh_demo_url) == 0
        with serve(settings, port=port):
            context.set_offline(False)
            page.locator("#results li .state", has_text="已发送").nth(1).wait_for(
                timeout=SENT_WITHIN_MS)
            assert _states(page) == ["已发送", "已发送"]
            assert page.locator("#results li .status", has_text="已保存").count() == 2
            assert _count(fresh_demo_url) == 2
            screenshot(page, f"upload-offline-sent-{viewport['width']}")
            page.reload()  # sent photos are listed, not sent again
            page.locator("#results li .state", has_text="已发送").nth(1).wait_for()
            assert page.locator("#send-now").is_hidden()
            assert page.locator("#queue-summary").inner_text() == "没有等待发送的照片"
            assert _count(fresh_demo_url) == 2
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
