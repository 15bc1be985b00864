"""In the browser (Debian Chromium): a leader records an unannounced check (明察暗访) with a
photo taken for the test, finds it in the list at 1366 px, opens it, sees the photo, clicks
下发督办单 and issues the ticket, whose page shows the findings; at 360 px the list is cards."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.web.browser import fits, nav_to, screenshot, serve, sign_in_page
from tests.web.check_files import jpeg_file
from tests.web.complaint_files import a_site
from web.accounts.demo import DEMO_UNIT
from web.settings import Settings

NOW = datetime(2022, 12, 20, 2, 0, tzinfo=UTC)  # 10:00 on 20 December 2022 in the district
DESKTOP = {"width": 1366, "height": 800}
FINDINGS = "渗滤液调节池满溢，未及时外运；场区东侧覆土破损"


def _record(page, base: str, code: str, photo: Path) -> None:  # noqa: ANN001
    page.goto(f"{base}/checks")
    page.locator("#empty").wait_for()
    page.click("#new-check")
    page.wait_for_url(f"{base}/checks/new")
    page.select_option("select[name=kind]", "unannounced")
    page.fill("input[name=organiser]", "区委督查室")
    page.fill("input[name=site_code]", code)
    page.select_option("select[name=problems_found]", "yes")
    page.fill("textarea[name=findings]", FINDINGS)
    page.set_input_files("#check-photo-files", str(photo))
    screenshot(page, "check-form-1366")
    page.click("#submit")
    page.locator("#recorded").wait_for()


def test_a_leader_records_a_check_and_issues_a_ticket_from_it(
        fresh_demo_url: str, browser, phone, tmp_path: Path) -> None:  # noqa: ANN001
    code, name, _ = a_site(fresh_demo_url)
    photo = jpeg_file(tmp_path, "现场.jpg", seed=41)
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    settings = Settings(database_url=fresh_demo_url, data_dir=tmp_path / "data", now=NOW)
    with serve(settings) as base:
        sign_in_page(page, base, "leader")
        _record(page, base, code, photo)
        image = page.locator("#check-photos img")
        assert image.count() == 1
        image.evaluate("img => img.complete || new Promise(r => img.onload = r)")
        assert image.evaluate("img => img.naturalWidth") > 0  # the thumbnail was served

        nav_to(page, "/checks")  # back to the list
        row = page.locator("#checks tbody tr").first
        row.wait_for()
        assert "明察暗访" in row.inner_text() and name in row.inner_text()
        assert page.locator("#check-count").inner_text() == "共 1 次"
        fits(page)
        screenshot(page, "checks-list-1366")

        row.locator("td.head a").first.click()  # the date links to the check
        page.locator("#issue-ticket").wait_for()
        assert page.locator("#check-findings").inner_text() == FINDINGS
        screenshot(page, "check-page-1366")
        page.click("#issue-ticket")
        page.wait_for_url("**/tickets/new?check=*")
        assert page.input_value("textarea[name=request]") == FINDINGS
        page.fill("input[name=responsible_unit]", DEMO_UNIT)
        page.click("#issue-form button[type=submit]")
        page.locator("#ticket-done").wait_for()
        assert page.locator(".ticket-request").inner_text() == FINDINGS
        assert page.locator("#ticket-unit").inner_text() == DEMO_UNIT

        sign_in_page(phone, base, "leader")
        phone.goto(f"{base}/checks")
        card = phone.locator("#checks tbody tr").first
        card.wait_for()
        assert card.evaluate("tr => getComputedStyle(tr).display") == "block"  # a card
        assert "渗滤液调节池满溢" in card.inner_text()
        fits(phone)
        screenshot(phone, "checks-list-360")
    context.close()
