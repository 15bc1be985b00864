"""The map's tools on a phone (360 px) and a desktop (1366 px): the search panel never covers
the navigation or Leaflet's buttons; the legend folds (folded from the start on a phone);
locate-me centres the map on the position granted to the browser and draws its accuracy
circle (shifted on a GCJ-02 basemap), or says why not; a grid officer's own cells are
outlined; the flag filter hides the patrol-case dots that lack the flag."""

from __future__ import annotations

from collections import Counter

import pytest
from coord_convert.transform import wgs2gcj

from inspections.site_flags import FLAGS
from tests.scenario import Played
from tests.web.browser import screenshot, serve, sign_in_page
from tests.web.map_pages import BOUNDARIES_LOADED, WIDTHS, cell_count, map_page, overlap, tap
from web.accounts.demo import DEMO_TOWN
from web.settings import Settings

HERE = {"latitude": 28.68, "longitude": 121.45, "accuracy": 80}
SITES_LOADED = "body[data-sites-loaded]"


def _boxes(page, selector: str) -> list[dict]:  # noqa: ANN001
    found = page.locator(selector)
    return [b for b in (found.nth(i).bounding_box() for i in range(found.count())) if b]


def _nothing_covers_the_navigation(page) -> None:  # noqa: ANN001
    links = _boxes(page, "#lb-bar a")
    assert links
    for other in ("#search", "#lb-panel", ".leaflet-control-zoom", ".lb-locate"):
        for box in _boxes(page, other):
            assert not any(overlap(box, link) for link in links), other
    for control in (".leaflet-control-zoom", ".lb-locate"):
        for box in _boxes(page, control):
            assert not overlap(box, page.locator("#lb-panel").bounding_box()), control


@pytest.mark.parametrize("width", WIDTHS)
def test_the_panel_leaves_the_navigation_free_and_the_legend_folds(  # noqa: ANN001
        demo_url: str, browser, width: str) -> None:
    with serve(Settings(database_url=demo_url)) as base, map_page(browser, width) as page:
        sign_in_page(page, base, "leader")
        page.goto(f"{base}/map")
        page.wait_for_selector(BOUNDARIES_LOADED, state="attached")
        _nothing_covers_the_navigation(page)
        legend = page.locator("#lb-legend-body")
        phone = width == "360"
        assert legend.is_visible() is not phone  # folded from the start on a phone only
        tap(page, "#lb-legend summary", width)
        assert legend.is_visible() is phone
        if phone:
            assert "问题反弹" in legend.inner_text()
            box = page.locator("#lb-legend").bounding_box()
            assert box["x"] + box["width"] <= 360
        tap(page, "#filters summary", width)  # the filters open, the panel grows downwards
        page.fill("#search", "LF")
        page.locator("#search-results li").first.wait_for()
        _nothing_covers_the_navigation(page)
        screenshot(page, f"map-panel-{width}")
        tap(page, "#filters summary", width)
        assert not page.locator("#filter-flag").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= int(width)


# Resolves once the accuracy circle has kept its size for 10 frames: the map's move and
# zoom animation is over (measured mid-way, the circle is smaller than it ends up).
SETTLED = """async () => {
  let last = -1, same = 0;
  for (let frame = 0; frame < 600 && same < 10; frame++) {
    await new Promise(done => requestAnimationFrame(done));
    const width = document.querySelector("path.lb-accuracy").getBoundingClientRect().width;
    same = width === last ? same + 1 : 0;
    last = width;
  }
  return same >= 10;
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_locate_me_centres_the_map_on_the_device(demo_url: str, browser,  # noqa: ANN001
                                                 width: str) -> None:
    with serve(Settings(database_url=demo_url)) as base, \
            map_page(browser, width, geolocation=HERE, permissions=["geolocation"]) as page:
        sign_in_page(page, base, "officer")
        page.goto(f"{base}/map")
        page.wait_for_selector(BOUNDARIES_LOADED, state="attached")
        tap(page, ".lb-locate-button", width)
        page.wait_for_selector("body[data-located]", state="attached")  # the map has arrived
        assert page.evaluate(SETTLED)
        assert page.locator("body").get_attribute("data-located") == "28.680000,121.450000"
        lat, lon, zoom = page.evaluate("[lookback.map.getCenter().lat, "
                                       "lookback.map.getCenter().lng, lookback.map.getZoom()]")
        assert (lat, lon) == pytest.approx((28.68, 121.45), abs=1e-4)
        # 80 m each way at zoom 16 and 28.68° N: 2.09 m a pixel, about 76 px across
        circle = page.locator("path.lb-accuracy").bounding_box()
        metres_per_px = 156543.03 * 0.87733 / 2 ** zoom
        assert circle["width"] == pytest.approx(160 / metres_per_px, rel=0.15)
        screenshot(page, f"map-locate-{width}")


def test_a_position_that_comes_mid_zoom_is_reached(demo_url: str, browser) -> None:  # noqa: ANN001
    """Leaflet drops a move asked for while a zoom animates: the map goes once it is over."""
    with serve(Settings(database_url=demo_url)) as base, \
            map_page(browser, "1366", geolocation=HERE, permissions=["geolocation"]) as page:
        sign_in_page(page, base, "officer")
        page.goto(f"{base}/map")
        page.wait_for_selector(BOUNDARIES_LOADED, state="attached")
        page.evaluate("lookback.map.setZoom(lookback.map.getZoom() + 1);"
                      "document.querySelector('.lb-locate-button').click()")
        page.wait_for_selector("body[data-located]", state="attached")
        assert page.evaluate(SETTLED)
        lat, lon = page.evaluate("[lookback.map.getCenter().lat, lookback.map.getCenter().lng]")
        assert (lat, lon) == pytest.approx((28.68, 121.45), abs=1e-4)


def test_locate_me_without_permission_says_so(demo_url: str, browser) -> None:  # noqa: ANN001
    with serve(Settings(database_url=demo_url)) as base, map_page(browser, "360") as page:
        sign_in_page(page, base, "officer")
        page.goto(f"{base}/map")
        page.wait_for_selector(BOUNDARIES_LOADED, state="attached")
        tap(page, ".lb-locate-button", "360")
        hint = page.locator("#lb-locate-hint")
        hint.wait_for(timeout=15_000)
        assert hint.inner_text() == "无法获取当前位置，请在浏览器中允许定位后重试。"
        assert page.locator("path.lb-accuracy").count() == 0


def test_locate_me_on_a_gcj02_basemap_is_shifted(demo_url: str, browser) -> None:  # noqa: ANN001
    settings = Settings(database_url=demo_url, basemap_crs="gcj02")
    with serve(settings) as base, \
            map_page(browser, "1366", geolocation=HERE, permissions=["geolocation"]) as page:
        sign_in_page(page, base, "officer")
        page.goto(f"{base}/map")
        page.wait_for_selector(BOUNDARIES_LOADED, state="attached")
        page.locator(".lb-locate-button").click()
        page.wait_for_selector("body[data-located]", state="attached")
        lon, lat = wgs2gcj(121.45, 28.68)
        assert page.locator("body").get_attribute("data-located") == f"{lat:.6f},{lon:.6f}"


@pytest.mark.parametrize("width", WIDTHS)
def test_an_officers_own_cells_are_outlined(demo_url: str, browser, width: str) -> None:  # noqa: ANN001
    cells = cell_count(demo_url, DEMO_TOWN)
    assert cells > 0
    with serve(Settings(database_url=demo_url)) as base:
        with map_page(browser, width) as page:
            sign_in_page(page, base, "officer")
            page.goto(f"{base}/map")
            page.wait_for_selector(f"body[data-own-cells='{cells}']", state="attached")
            assert page.locator("path.lb-mine").count() == cells
            screenshot(page, f"map-own-cells-{width}")
        with map_page(browser, width) as page:  # a leader has no cells of their own
            sign_in_page(page, base, "leader")
            page.goto(f"{base}/map")
            page.wait_for_selector(BOUNDARIES_LOADED, state="attached")
            assert page.locator("path.lb-mine").count() == 0
            assert page.locator("body").get_attribute("data-own-cells") is None


def _settings(played: Played) -> Settings:
    return Settings(database_url=played.env["url"], data_dir=played.env["data"],
                    now=played.env["now"])


@pytest.mark.parametrize("width", WIDTHS)
def test_the_flag_filter_hides_patrol_case_dots(played: Played, browser,  # noqa: ANN001
                                                width: str) -> None:
    with serve(_settings(played)) as base, map_page(browser, width) as page:
        sign_in_page(page, base, "leader")
        page.goto(f"{base}/map")
        page.wait_for_selector(SITES_LOADED, state="attached")
        page.wait_for_selector("body[data-cases-loaded]", state="attached")
        bbox = page.evaluate("lookback.map.getBounds().toBBoxString()")
        every = page.request.get(f"{base}/api/map/cases?bbox={bbox}").json()["features"]
        assert every and page.locator("path.case").count() == len(every)
        counts = Counter(f for c in every for f in c["properties"]["flags"])
        flag = max((f for f in FLAGS if counts[f] < len(every)), key=lambda f: counts[f])
        tap(page, "#filters summary", width)
        page.select_option("#filter-flag", flag)
        page.wait_for_selector(f"body[data-cases-loaded='{counts[flag]}']", state="attached")
        assert page.locator("path.case").count() == counts[flag] < len(every)
        screenshot(page, f"map-flag-filter-{width}")
