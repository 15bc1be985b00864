"""In the browser (Debian Chromium): the district office's clerk (the admin account) opens
组织领导 from the top bar at 1366 px, records a meeting linked to two cases after a refusal
that kept what was typed, and finds it in the list with its cases as links; at 360 px the
list is cards, filtered to meetings, with nothing scrolling sideways."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from inspections.clock import FixedClock
from tests.inspections.builders import new_case
from tests.web.browser import fits, nav_to, screenshot, serve, sign_in_page
from web.database import engine_for
from web.settings import Settings

NOW = datetime(2022, 12, 20, 2, 0, tzinfo=UTC)  # 10:00 on 20 December 2022 in the district
DESKTOP = {"width": 1366, "height": 800}
SUBJECT = "区委常委会专题研究中央生态环境保护督察反馈问题整改工作"


def _cases(settings: Settings) -> None:
    engine = engine_for(settings)
    with engine.begin() as conn:
        for reference in ("DC-2022-01", "DC-2022-02"):
            new_case(conn, FixedClock(NOW), reference=reference)
    engine.dispose()


def _record(page, base: str) -> None:  # noqa: ANN001
    nav_to(page, "/organisation")
    page.locator("#empty").wait_for()
    page.click("#new-org")
    page.wait_for_url(f"{base}/organisation/new")
    page.select_option("select[name=kind]", "meeting")
    page.fill("input[name=leader]", "区委书记")
    page.fill("input[name=subject]", SUBJECT)
    page.fill("input[name=case_references]", "DC-2022-01、DC-404")
    page.click("#submit")
    error = page.locator(".field-error")
    error.wait_for()
    assert error.inner_text() == "没有编号为 DC-404 的案件"
    assert page.input_value("input[name=subject]") == SUBJECT  # kept
    screenshot(page, "organisation-form-refused-1366")
    page.fill("input[name=case_references]", "DC-2022-01、DC-2022-02")
    page.click("#submit")
    page.locator("#recorded").wait_for()


def test_a_clerk_records_a_meeting_and_finds_it_at_both_widths(
        fresh_demo_url: str, browser, phone, tmp_path: Path) -> None:  # noqa: ANN001
    settings = Settings(database_url=fresh_demo_url, data_dir=tmp_path / "data", now=NOW)
    _cases(settings)
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    with serve(settings) as base:
        sign_in_page(page, base, "admin")
        _record(page, base)
        assert page.locator("#org-count").inner_text() == "共 1 次"
        row = page.locator("#org-records tbody tr").first
        assert "会议" in row.inner_text() and SUBJECT in row.inner_text()
        assert "2022年12月20日" in row.inner_text()
        assert row.locator("a[href='/cases/DC-2022-02']").inner_text() == "DC-2022-02"
        fits(page)
        screenshot(page, "organisation-list-1366")

        sign_in_page(phone, base, "admin")
        phone.goto(f"{base}/organisation?kind=meeting")
        card = phone.locator("#org-records tbody tr").first
        card.wait_for()
        assert card.evaluate("tr => getComputedStyle(tr).display") == "block"  # a card
        assert SUBJECT in card.inner_text()
        assert card.locator("a[href='/cases/DC-2022-01']").is_visible()
        fits(phone)
        screenshot(phone, "organisation-list-360")
        phone.goto(f"{base}/organisation/new")
        phone.locator("#org-form").wait_for()
        fits(phone)
        screenshot(phone, "organisation-form-360")
    context.close()
