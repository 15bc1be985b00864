"""The map with nothing configured reads by itself: the district's and towns' boundaries
with the towns' names, and Leaflet's credit without its flag; with a Tianditu key it asks
Tianditu's WMTS for vector tiles and their annotations, and for imagery once chosen in the
layer switcher (the requests are answered by the test: no real network), at 360 and 1366 px."""

from __future__ import annotations

import io
import math
import re

import pytest
from PIL import Image

from tests.web.browser import screenshot, serve, sign_in_page
from tests.web.map_pages import BOUNDARIES_LOADED, WIDTHS, map_page, tap, town_names
from web.accounts.demo import DEMO_TOWN
from web.settings import Settings

KEY = "testkey0123456789"
TIANDITU = re.compile(r"https://t[0-7]\.tianditu\.gov\.cn/.*")


def _tile() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), (230, 236, 230)).save(out, "PNG")
    return out.getvalue()


def _wmts(layer: str) -> re.Pattern[str]:
    """Tianditu's KVP GetTile URL of a layer in web mercator (TILEMATRIXSET=w)."""
    return re.compile(
        rf"https://t[0-7]\.tianditu\.gov\.cn/{layer}_w/wmts\?SERVICE=WMTS&REQUEST=GetTile"
        rf"&VERSION=1\.0\.0&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
        rf"&TILEMATRIX=(\d+)&TILEROW=(\d+)&TILECOL=(\d+)&tk={KEY}")


def _tile_at(lon: float, lat: float, zoom: int) -> tuple[int, int, int]:
    """(zoom, row, column) of the web mercator tile holding a point."""
    n = 2 ** zoom
    row = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return zoom, int(row), int((lon + 180) / 360 * n)


def _attribution_has_no_flag(page) -> str:  # noqa: ANN001
    credit = page.locator(".leaflet-control-attribution")
    assert credit.locator("svg").count() == 0
    text = credit.inner_text()
    assert "Leaflet" in text
    return text


@pytest.mark.parametrize("width", WIDTHS)
def test_towns_are_outlined_and_named_with_no_basemap(demo_url: str, browser,  # noqa: ANN001
                                                      width: str) -> None:
    requests: list[str] = []
    with serve(Settings(database_url=demo_url)) as base, map_page(browser, width) as page:
        page.on("request", lambda r: requests.append(r.url))
        sign_in_page(page, base, "leader")
        page.goto(f"{base}/map")
        page.wait_for_selector(BOUNDARIES_LOADED, state="attached")
        names = town_names(demo_url)
        labels = page.locator(".lb-town-label")
        assert labels.count() == len(names)
        assert {labels.nth(i).inner_text() for i in range(labels.count())} == names
        assert page.locator("path.lb-district").count() == 1
        assert page.locator("path.lb-town").count() == len(names)
        label = labels.filter(has_text=DEMO_TOWN).bounding_box()  # in view, not cut off
        viewport = page.viewport_size
        assert label["x"] >= 0 and label["x"] + label["width"] <= viewport["width"]
        assert label["y"] >= 0 and label["y"] + label["height"] <= viewport["height"]
        _attribution_has_no_flag(page)
        screenshot(page, f"map-towns-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert requests and all(url.startswith(base) for url in requests), \
        [u for u in requests if not u.startswith(base)]


@pytest.mark.parametrize("width", WIDTHS)
def test_tianditu_vector_then_imagery_tiles(demo_url: str, browser, width: str) -> None:  # noqa: ANN001
    tiles: list[str] = []
    referrers: set[str | None] = set()
    others: list[str] = []
    body = _tile()

    def answer(route) -> None:  # noqa: ANN001
        tiles.append(route.request.url)
        referrers.add(route.request.all_headers().get("referer"))
        route.fulfill(status=200, content_type="image/png", body=body)

    settings = Settings(database_url=demo_url, tianditu_key=KEY)
    with serve(settings) as base, map_page(browser, width) as page:
        page.route(TIANDITU, answer)
        page.on("request", lambda r: None if r.url.startswith(base) or TIANDITU.match(r.url)
                else others.append(r.url))
        sign_in_page(page, base, "leader")
        page.goto(f"{base}/map")
        page.wait_for_selector(BOUNDARIES_LOADED, state="attached")
        for layer in ("vec", "cva"):
            page.wait_for_selector(f"img.leaflet-tile-loaded[src*='/{layer}_w/']",
                                   state="attached")
        lat, lon, zoom = page.evaluate("[lookback.map.getCenter().lat, "
                                       "lookback.map.getCenter().lng, lookback.map.getZoom()]")
        vector = {tuple(map(int, m.groups())) for m in map(_wmts("vec").fullmatch, tiles) if m}
        assert _tile_at(lon, lat, zoom) in vector  # TILEMATRIX=z, TILEROW=y, TILECOL=x
        assert any(_wmts("cva").fullmatch(u) for u in tiles)
        assert not any("/img_w/" in u for u in tiles)
        assert "天地图" in _attribution_has_no_flag(page)
        screenshot(page, f"map-tianditu-vec-{width}")
        if width == "360":  # a tap opens the switcher; on a desktop the pointer over it
            tap(page, ".leaflet-control-layers-toggle", width)
        else:
            page.hover(".leaflet-control-layers")
        page.wait_for_selector(".leaflet-control-layers-expanded")
        base_labels = page.locator(".leaflet-control-layers-base label")
        assert [base_labels.nth(i).inner_text().strip()
                for i in range(base_labels.count())] == ["矢量", "影像"]
        base_labels.filter(has_text="影像").locator("input").check()
        for layer in ("img", "cia"):
            page.wait_for_selector(f"img.leaflet-tile-loaded[src*='/{layer}_w/']",
                                   state="attached")
        assert any(_wmts("img").fullmatch(u) for u in tiles)
        assert any(_wmts("cia").fullmatch(u) for u in tiles)
        assert page.locator("img.leaflet-tile[src*='/vec_w/']").count() == 0
        screenshot(page, f"map-tianditu-img-{width}")
    assert others == []
    assert referrers == {base + "/"}  # the origin only: a key bound to the domain accepts it
