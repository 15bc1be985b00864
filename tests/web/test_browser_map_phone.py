"""The map on a phone (360 px, touch): the layers control opens on a tap and turns a layer on,
which says when it needs a closer zoom; nothing is wider than the screen."""

from __future__ import annotations

from tests.web.browser import screenshot, serve, sign_in_page
from web.settings import Settings


def test_a_tap_opens_the_layers_control_and_turns_the_photos_on(  # noqa: ANN001
        fresh_demo_url: str, phone) -> None:
    with serve(Settings(database_url=fresh_demo_url)) as base:
        sign_in_page(phone, base, "leader")
        phone.goto(f"{base}/map")
        bar = phone.locator("#lb-bar").bounding_box()
        panel = phone.locator("#lb-panel").bounding_box()
        assert bar["y"] + bar["height"] <= panel["y"]  # the search panel leaves the bar free
        control = phone.locator(".leaflet-control-layers")
        phone.locator(".leaflet-control-layers-toggle").tap()
        phone.wait_for_selector(".leaflet-control-layers-expanded")
        box = control.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
        overlays = control.locator(".leaflet-control-layers-overlays label")
        assert overlays.count() >= 3
        photo = overlays.filter(has_text="照片").first.locator("input")
        assert not photo.is_checked()
        photo.tap()
        assert photo.is_checked()
        hint = phone.locator("#lb-hint")  # the district view is too far out for photos
        assert hint.inner_text() == "照片在放大到街道级别后显示，请放大地图。"
        assert phone.locator(".leaflet-control-layers-expanded").count() == 1  # still open
        screenshot(phone, "map-layers-360")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
