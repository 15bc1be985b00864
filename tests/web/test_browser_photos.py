"""In the browser (Debian Chromium, 1366 px and 360 px) on the demo scenario: a leader opens
照片 from the top bar, filters by kind, pages to page 2 and opens a photo; on a phone the rows
are cards and nothing is wider than the screen."""

from __future__ import annotations

import re

import sqlalchemy as sa

from geo.db import create_engine
from imagery.schema import photos
from tests.web.browser import PHONE, fits, nav_to, screenshot, serve, sign_in_page
from web.settings import Settings

DESKTOP = {"width": 1366, "height": 900}


def _count(url: str, kind: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = conn.execute(sa.select(sa.func.count()).select_from(photos)
                             .where(photos.c.kind == kind)).scalar_one()
    engine.dispose()
    return found


def _filter_page_and_open(page, base: str, kind: str, label: str, total: int,  # noqa: ANN001
                          width: int) -> None:
    """Filter the list by kind, go to page 2, open its first photo; screenshots on the way."""
    page.select_option("#filter-kind", kind)
    page.click("#filter-submit")
    page.wait_for_url(re.compile(rf"/photos\?kind={kind}"))
    assert page.locator("#photo-count").inner_text() == f"共 {total} 张"
    kinds = page.locator("#photos td.kind").all_inner_texts()
    assert len(kinds) == 50 and set(kinds) == {label}
    screenshot(page, f"photos-{kind}-{width}")
    fits(page)
    page.click(".pager a:has-text('下一页')")
    page.wait_for_url(re.compile(r"page=2"))
    pages = -(-total // 50)
    assert page.locator(".pager span").inner_text() == f"第 2 / {pages} 页"
    assert set(page.locator("#photos td.kind").all_inner_texts()) == {label}
    first = page.locator("#photos tr.photo-row").first
    photo_id = first.get_attribute("data-photo")
    when = first.locator("td.when a").inner_text()
    screenshot(page, f"photos-{kind}-page2-{width}")
    fits(page)
    first.locator("td.thumb a").click()
    page.wait_for_url(re.compile(rf"/photos/{photo_id}$"))
    page.locator("#photo-image").wait_for()
    assert page.evaluate("document.getElementById('photo-image').naturalWidth") > 0
    assert page.locator("#taken-at").inner_text() == when
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d", when)
    assert label in page.locator("#photo-details").inner_text()
    screenshot(page, f"photo-{kind}-{width}")
    fits(page)
    page.click("#back")  # back to page 2 of the filtered list
    page.wait_for_url(re.compile(rf"/photos\?kind={kind}.*page=2"))


def test_a_leader_filters_pages_and_opens_a_photo(played, browser) -> None:  # noqa: ANN001
    url = played.env["url"]
    settings = Settings(database_url=url, data_dir=played.env["data"])
    desktop = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=2,
                                is_mobile=True, has_touch=True)
    with serve(settings) as base:
        wide = desktop.new_page()
        sign_in_page(wide, base, "leader")
        nav_to(wide, "/photos")
        wide.wait_for_url(f"{base}/photos")
        assert wide.locator("#photos thead").is_visible()  # a table on a desktop
        _filter_page_and_open(wide, base, "field", "现场照片", _count(url, "field"), 1366)

        small = phone.new_page()
        sign_in_page(small, base, "leader")
        small.goto(f"{base}/photos")
        assert small.locator("#photos thead").is_hidden()  # cards on a phone
        card = small.locator("#photos tr.photo-row").first.bounding_box()
        assert card["width"] <= PHONE["width"]
        _filter_page_and_open(small, base, "drone", "无人机照片", _count(url, "drone"), 360)
    desktop.close()
    phone.close()
