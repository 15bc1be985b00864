"""In the browser, at 1366 px and at 360 px (acceptance 4 of issue 12): a clerk (the leader
account) imports a 30-row complaints workbook with one bad row; the error names the row and
nothing is imported; after the fix all 30 import and the dashboard's complaint count rises by
30. And a complaint recorded through the form, pinned on the map, after a refusal that kept
what was typed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.web.browser import PHONE, fits, screenshot, serve, sign_in_page
from tests.web.complaint_files import a_site, rows, save, workbook
from web.settings import Settings

NOW = datetime(2022, 12, 20, 2, 0, tzinfo=UTC)  # 10:00 on 20 December 2022 in the district
WIDTHS = {"desktop": {"width": 1366, "height": 800}, "phone": PHONE}


def _settings(url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=url, data_dir=tmp_path / "data", now=NOW)


def _figure(page, base: str) -> int:  # noqa: ANN001
    page.goto(f"{base}/dashboard")
    return int(page.locator("[data-figure=complaints]").inner_text())


@pytest.mark.parametrize("size", WIDTHS)
def test_a_clerk_imports_thirty_complaints_after_fixing_a_bad_row(
        fresh_demo_url: str, browser, tmp_path: Path, size: str) -> None:  # noqa: ANN001
    viewport = WIDTHS[size]
    context = browser.new_context(viewport=viewport, locale="zh-CN",
                                  **({"is_mobile": True, "has_touch": True}
                                     if size == "phone" else {}))
    page = context.new_page()
    code, _, _ = a_site(fresh_demo_url)
    good = rows(30, code)
    bad = [list(r) for r in good]
    bad[16][1] = "微信"  # Excel row 18: not a channel
    with_bad = save(tmp_path / "信访举报-有误.xlsx", workbook(bad))
    fixed = save(tmp_path / "信访举报.xlsx", workbook(good))
    with serve(_settings(fresh_demo_url, tmp_path)) as base:
        sign_in_page(page, base, "leader")
        before = _figure(page, base)
        page.goto(f"{base}/complaints")
        page.locator("#empty").wait_for()
        assert "没有符合条件的信访举报" in page.locator("#empty").inner_text()

        page.click("#import summary")
        page.set_input_files("#import-file", str(with_bad))
        page.click("#import-submit")
        problems = page.locator("#import-problems")
        problems.wait_for()
        assert "未导入任何记录" in problems.inner_text()
        assert "第 18 行「渠道」：「微信」不是可选值" in problems.inner_text()
        assert page.locator("#complaint-count").inner_text() == "共 0 件"
        fits(page)
        screenshot(page, f"complaints-import-refused-{viewport['width']}")

        page.set_input_files("#import-file", str(fixed))  # the import stays open
        page.click("#import-submit")
        page.locator("#imported").wait_for()
        assert not page.locator("#import-file").is_visible()  # closed again
        assert page.locator("#imported").inner_text() == "已导入 30 件信访举报"
        assert page.locator("#complaint-count").inner_text() == "共 30 件"
        assert page.locator("#complaints tbody tr").count() == 30
        fits(page)
        screenshot(page, f"complaints-imported-{viewport['width']}")

        assert _figure(page, base) == before + 30
    context.close()


def test_a_complaint_recorded_on_a_phone_with_a_pin(fresh_demo_url: str, phone,  # noqa: ANN001
                                                    tmp_path: Path) -> None:
    code, name, _ = a_site(fresh_demo_url)
    with serve(_settings(fresh_demo_url, tmp_path)) as base:
        sign_in_page(phone, base, "leader")
        phone.goto(f"{base}/complaints")
        phone.click("#new-complaint")
        phone.wait_for_url(f"{base}/complaints/new")
        phone.wait_for_selector(".leaflet-container")
        phone.fill("textarea[name=summary]", "群众来电反映夜间异味")
        phone.fill("input[name=site_code]", "QY-NONE")
        phone.locator("#pin-map").click()  # the middle of the district
        assert phone.locator("#lon").input_value().startswith("121.")
        phone.click("#submit")
        error = phone.locator(".field.has-error .field-error")
        error.first.wait_for()
        assert [e.inner_text() for e in error.all()] == ["必填", "没有编码为 QY-NONE 的点位"]
        assert phone.locator("textarea[name=summary]").input_value() == "群众来电反映夜间异味"
        assert phone.locator("#lon").input_value().startswith("121.")
        fits(phone)
        screenshot(phone, "complaint-form-refused-360")

        phone.select_option("select[name=channel]", "hotline_12369")
        phone.fill("input[name=site_code]", code)
        phone.click("#submit")
        phone.locator("#recorded").wait_for()
        row = phone.locator("#complaints tbody tr").first
        assert "12369热线" in row.inner_text() and name in row.inner_text()
        fits(phone)
        screenshot(phone, "complaints-list-360")
