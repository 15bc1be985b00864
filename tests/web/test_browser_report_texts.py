"""In the browser (Debian Chromium), at 1366 px and at 360 px: an administrator opens the
report page (from the top bar, or on a phone from the dashboard), writes two paragraphs for
June 2022, saves them, finds them kept after a reload, opens July (June's shown as a draft),
and starts June's report job, which the tasks page lists."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import expect

from tests.web.browser import fits, nav_to, screenshot, serve, sign_in_page
from web.settings import Settings

NOW = datetime(2022, 12, 20, 2, 0, tzinfo=UTC)  # 10:00 on 20 December 2022 in the district
ORGANISATION = "区委常委会先后多次专题研究督察整改工作，成立由区委书记任组长的领导小组。"
PLAN = "紧盯剩余问题整改进度，继续开展“回头看”，严防问题反弹。"



def _open(page, base: str) -> None:  # noqa: ANN001
    """The report page as a person finds it: the top bar's link, or the dashboard's."""
    if page.width == "1366":
        nav_to(page, "/reports")
    else:
        page.goto(f"{base}/dashboard")
        page.click("#report-texts-link")
    expect(page.locator("#period-title")).to_contain_text("整改进展报告")


def _choose(page, month: str) -> None:  # noqa: ANN001
    page.fill("#period-form input[name=year]", "2022")
    page.select_option("#period-form select[name=month]", month)
    page.click("#period-form button[type=submit]")
    expect(page.locator("#period-title")).to_contain_text(f"2022年{month}月整改进展报告")


def test_an_administrator_writes_junes_paragraphs_and_july_shows_them_as_a_draft(
        fresh_demo_url: str, page, tmp_path: Path) -> None:  # noqa: ANN001
    width = page.width
    settings = Settings(database_url=fresh_demo_url, data_dir=tmp_path / "data", now=NOW)
    with serve(settings) as base:
        sign_in_page(page, base, "admin")
        _open(page, base)
        _choose(page, "6")
        expect(page.locator("#texts-state")).to_have_text("未填写")
        page.fill("textarea[name=part_organisation]", ORGANISATION)
        page.fill("textarea[name=part_plan]", PLAN)
        screenshot(page, f"report-texts-writing-{width}")
        page.click("#save-texts")
        expect(page.locator("#texts-saved")).to_have_text("已保存2022年6月的报告文字。")
        page.reload()
        expect(page.locator("#texts-state")).to_have_text("已保存")
        assert page.input_value("textarea[name=part_organisation]") == ORGANISATION
        assert page.input_value("textarea[name=part_plan]") == PLAN
        assert page.input_value("textarea[name=part_intro]") == ""
        expect(page.locator("#saved-by")).to_contain_text("admin 于 2022-12-20 10:00 保存")
        fits(page)
        screenshot(page, f"report-texts-saved-{width}")

        _choose(page, "7")
        expect(page.locator("#texts-state")).to_have_text("草稿")
        expect(page.locator("#draft-notice")).to_contain_text("以下草稿取自2022年6月的报告")
        assert page.input_value("textarea[name=part_plan]") == PLAN
        assert page.input_value("textarea[name=part_organisation]") == ORGANISATION
        fits(page)
        screenshot(page, f"report-texts-draft-{width}")

        _choose(page, "6")
        page.click("#make-report")
        page.wait_for_url(f"{base}/tasks")
        expect(page.locator("#jobs .job-title").first).to_have_text("2022年6月整改进展报告")
        fits(page)
