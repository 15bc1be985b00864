"""In the browser, at 1366 px and at 360 px: a leader records a criminal detention through
the form (refused first for the missing number of persons, what was typed kept) and finds it
in the enforcement list."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.web.browser import PHONE, screenshot, serve, sign_in_page
from web.settings import Settings

NOW = datetime(2022, 12, 20, 2, 0, tzinfo=UTC)
WIDTHS = {"desktop": {"width": 1366, "height": 800}, "phone": PHONE}


@pytest.mark.parametrize("size", WIDTHS)
def test_a_leader_records_a_detention(fresh_demo_url: str, browser, tmp_path: Path,  # noqa: ANN001
                                      size: str) -> None:
    viewport = WIDTHS[size]
    context = browser.new_context(viewport=viewport, locale="zh-CN",
                                  **({"is_mobile": True, "has_touch": True}
                                     if size == "phone" else {}))
    page = context.new_page()
    settings = Settings(database_url=fresh_demo_url, data_dir=tmp_path / "data", now=NOW)
    with serve(settings) as base:
        sign_in_page(page, base, "leader")
        page.goto(f"{base}/enforcement")
        page.locator("#empty").wait_for()
        page.click("#new-action")
        page.wait_for_url(f"{base}/enforcement/new")
        page.select_option("select[name=kind]", "criminal_case")
        page.fill("input[name=number]", "刑〔2022〕12号")
        page.click("#submit")
        error = page.locator(".field.has-error .field-error")
        error.first.wait_for()
        assert [e.inner_text() for e in error.all()] == ["拘留须填写人数"]
        assert page.locator("input[name=number]").input_value() == "刑〔2022〕12号"
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        screenshot(page, f"enforcement-form-refused-{viewport['width']}")

        page.fill("input[name=persons]", "2")
        page.click("#submit")
        page.locator("#recorded").wait_for()
        row = page.locator("#actions tbody tr").first
        assert "刑事拘留" in row.inner_text() and "刑〔2022〕12号" in row.inner_text()
        assert page.locator("#action-count").inner_text() == "共 1 起"
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        screenshot(page, f"enforcement-list-{viewport['width']}")
    context.close()
