"""In the browser, at 1366 px and at 360 px: the leader downloads the case ledger with the
case list's 导出Excel link, imports it back with a bad date (the error names the sheet, the
row and the column; nothing is imported), then with the date fixed and a title changed (the
case's title changes)."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.web.browser import PHONE, fits, screenshot, serve, sign_in_page
from tests.web.ledger_files import edit, open_case_with_measure, query, row_number
from web.settings import Settings

NOW = datetime(2022, 12, 20, 2, 0, tzinfo=UTC)
WIDTHS = {"desktop": {"width": 1366, "height": 800}, "phone": PHONE}

EXPORT_TIMEOUT_MS = 120_000


@pytest.mark.parametrize("size", WIDTHS)
def test_export_link_and_the_import_forms_errors(scenario_url: str, browser,  # noqa: ANN001
                                                 tmp_path: Path, size: str) -> None:
    viewport = WIDTHS[size]
    context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True,
                                  **({"is_mobile": True, "has_touch": True}
                                     if size == "phone" else {}))
    page = context.new_page()
    reference, _, _ = open_case_with_measure(scenario_url)
    settings = Settings(database_url=scenario_url, data_dir=tmp_path / "data", now=NOW)
    with serve(settings) as base:
        sign_in_page(page, base, "leader")
        page.goto(f"{base}/cases")
        assert page.locator("#ledger-export").inner_text() == "导出Excel"
        # The whole scenario's workbook: on a busy two-core machine it took over 30 s.
        with page.expect_download(timeout=EXPORT_TIMEOUT_MS) as download:
            page.click("#ledger-export", timeout=EXPORT_TIMEOUT_MS)
        saved = tmp_path / "exported.xlsx"
        download.value.save_as(saved)
        data = saved.read_bytes()
        assert load_workbook(BytesIO(data)).sheetnames == ["案件", "整改措施"]
        row = row_number(data, "案件", 案件编号=reference)
        bad = tmp_path / "有误.xlsx"
        bad.write_bytes(edit(data, "案件", row, {"整改时限": "2023-02-30",
                                                "问题名称": "浏览器导入的新名称"}))
        good = tmp_path / "改好.xlsx"
        good.write_bytes(edit(data, "案件", row, {"问题名称": "浏览器导入的新名称"}))

        page.click("#ledger-import summary")
        page.set_input_files("#ledger-import-file", str(bad))
        page.click("#ledger-import-submit")
        problems = page.locator("#ledger-problems")
        problems.wait_for()
        cells = problems.locator("tbody tr").first.locator("td").all_inner_texts()
        assert cells[:3] == ["案件", str(row), "整改时限"]
        assert "「2023-02-30」不是日期" in cells[3]
        assert "未导入任何记录" in problems.inner_text()
        fits(page)
        screenshot(page, f"ledger-import-refused-{viewport['width']}")
        assert query(scenario_url, "SELECT title FROM cases WHERE reference = :r",
                     r=reference)[0][0] != "浏览器导入的新名称"

        page.set_input_files("#ledger-import-file", str(good))  # the form stays open
        page.click("#ledger-import-submit")
        page.locator("#ledger-imported").wait_for()
        assert "新建 0 条" in page.locator("#ledger-imported").inner_text()
        fits(page)
        screenshot(page, f"ledger-imported-{viewport['width']}")
        assert query(scenario_url, "SELECT title FROM cases WHERE reference = :r",
                     r=reference)[0][0] == "浏览器导入的新名称"
        page.goto(f"{base}/cases")
        fits(page)
        screenshot(page, f"cases-ledger-tools-{viewport['width']}")
    context.close()
