"""In the browser (Debian Chromium), at 1366 px and at 360 px, on both backends: the
inspector opens round 1 of LF1's case, sees the change polygons over the swipe map and both
rounds' maps, drags the swipe, dismisses one polygon with a reason (kept on the page) and
confirms another as evidence of a recurrence (the round is decided 问题反弹)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect
from sqlalchemy.engine import Engine

from inspections import lookbacks
from tests.web.browser import fits, screenshot, serve, sign_in_page
from tests.web.change_world import IN_ROUND_1, detect_lf1, lf1_world
from web.settings import Settings


def _swipe(page, value: int) -> None:  # noqa: ANN001
    page.eval_on_selector("#swipe", "(el, v) => { el.value = v; "
                          "el.dispatchEvent(new Event('input')); }", value)
    expect(page.locator("#swipe-map")).to_have_attribute("data-swipe", str(value))


def test_the_inspector_dismisses_and_confirms_change_polygons(
        engine: Engine, database_url: str, page, tmp_path: Path) -> None:  # noqa: ANN001
    world = lf1_world(engine)
    data, ids = detect_lf1(engine, database_url, tmp_path)
    settings = Settings(database_url=database_url, data_dir=data, now=IN_ROUND_1,
                        job_runner="local")
    name = f"changes-{page.width}-{engine.dialect.name}"
    with serve(settings) as base:
        sign_in_page(page, base, "inspector")
        page.goto(f"{base}/review/{world.round_id}")
        expect(page.locator(".change-card")).to_have_count(len(ids))
        # Each map draws the polygons: the swipe map and both rounds' maps.
        for box in ("#swipe-map", "#review-map", "#previous-map"):
            expect(page.locator(f"{box} path.leaflet-interactive, {box} path")
                   .first).to_be_attached()
        _swipe(page, 20)
        _swipe(page, 80)
        expect(page.locator(f"#change-{ids[0]} img").first).to_have_js_property(
            "complete", True)
        fits(page)
        screenshot(page, f"{name}-before")
        first = page.locator(f"#change-{ids[0]}")
        first.locator("textarea[name=reason]").fill("云影造成的色差，不是新增堆体")
        first.locator(".change-dismiss button[type=submit]").click()
        expect(page.locator(f"#change-{ids[0]}")).to_contain_text("已排除")
        expect(page.locator(f"#change-{ids[0]}")).to_contain_text(
            "排除理由：云影造成的色差，不是新增堆体")
        second = page.locator(f"#change-{ids[1]}")
        second.locator("textarea[name=note]").fill("正射影像比对发现新增堆体，问题反弹")
        second.locator(".change-confirm button[type=submit]").click()
        expect(page.locator(f"#change-{ids[1]}")).to_contain_text("已确认为反弹证据")
        fits(page)
        screenshot(page, f"{name}-after")
    with engine.connect() as conn:
        r = lookbacks.get_round(conn, world.round_id)
    assert (r.state, r.note) == ("recurred", "正射影像比对发现新增堆体，问题反弹")
