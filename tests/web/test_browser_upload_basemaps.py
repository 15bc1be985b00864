"""In the browser (Debian Chromium, 360 px and 1366 px): the upload page's pin map takes its
basemaps from the one configuration every map page reads (web/basemaps.py, basemap.js).
With a Tianditu key it asks Tianditu's WMTS for vector tiles and their annotations (the
requests answered by the test: no real network), credits 天地图 without Leaflet's flag and
offers vector and imagery in a switcher; the review and complaint maps load the same script."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from tests.web.browser import PHONE, screenshot, serve, sign_in_page
from web.settings import Settings

KEY = "testkey0123456789"
TIANDITU = re.compile(r"https://t[0-7]\.tianditu\.gov\.cn/.*")


def _wmts(layer: str) -> re.Pattern[str]:
    """Tianditu's KVP GetTile URL of a layer in web mercator (TILEMATRIXSET=w)."""
    return re.compile(
        rf"https://t[0-7]\.tianditu\.gov\.cn/{layer}_w/wmts\?SERVICE=WMTS&REQUEST=GetTile"
        rf"&VERSION=1\.0\.0&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
        rf"&TILEMATRIX=\d+&TILEROW=\d+&TILECOL=\d+&tk={KEY}")


def _tile() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), (230, 236, 230)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("width", ["1366", "360"])
def test_the_pin_map_asks_tianditu(browser, demo_url: str, tmp_path, width: str) -> None:  # noqa: ANN001
    tiles: list[str] = []
    body = _tile()

    def answer(route) -> None:  # noqa: ANN001
        tiles.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=body)

    settings = Settings(database_url=demo_url, data_dir=tmp_path / "data", tianditu_key=KEY)
    viewport = PHONE if width == "360" else {"width": 1366, "height": 800}
    # Routes see no request a service worker answers: none here.
    context = browser.new_context(viewport=viewport, locale="zh-CN", service_workers="block")
    try:
        with serve(settings) as base:
            page = context.new_page()
            page.route(TIANDITU, answer)
            sign_in_page(page, base, "officer")
            page.goto(f"{base}/upload")
            for layer in ("vec", "cva"):
                page.wait_for_selector(f"#pin-map img.leaflet-tile-loaded[src*='/{layer}_w/']",
                                       state="attached")
            assert any(_wmts("vec").fullmatch(u) for u in tiles)
            assert any(_wmts("cva").fullmatch(u) for u in tiles)
            assert not any("/img_w/" in u for u in tiles)
            credit = page.locator("#pin-map .leaflet-control-attribution")
            assert credit.locator("svg").count() == 0
            assert "天地图" in credit.inner_text() and "Leaflet" in credit.inner_text()
            labels = page.locator("#pin-map .leaflet-control-layers-base label")
            assert [x.strip() for x in labels.all_inner_texts()] == ["矢量", "影像"]
            page.locator("#pin-map").scroll_into_view_if_needed()
            screenshot(page, f"upload-tianditu-{width}")
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    finally:
        context.close()
