"""In the browser (360 px; a GeoTIFF without a CRS at 1366 px too): a refused upload says
why in Chinese, under the Chinese heading (the server's English sentence is not shown when
the reason has a translation)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.browser import screenshot, serve, sign_in_page
from web.settings import Settings


def test_a_file_that_is_not_an_image_is_refused_in_chinese(demo_url: str, phone,  # noqa: ANN001
                                                           tmp_path: Path) -> None:
    fake = tmp_path / "f09.jpg"
    fake.write_bytes(b"this is a text file, not a photo")
    with serve(Settings(database_url=demo_url, data_dir=tmp_path / "data")) as base:
        sign_in_page(phone, base, "officer")
        phone.goto(f"{base}/upload")
        phone.set_input_files("#pick", str(fake))
        phone.click("#submit")
        item = phone.locator("#results li").nth(0)
        item.locator(".status", has_text="未保存：文件无法作为照片保存").wait_for()
        text = item.inner_text()
        assert "文件内容不是 JPEG、PNG、TIFF 或 HEIC/HEIF 图片" in text
        assert "the bytes are not" not in text
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        screenshot(phone, "upload-refused-in-chinese-360")



@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_geotiff_without_crs_is_refused_saying_to_declare_it(demo_url: str, browser,  # noqa: ANN001
                                                               tmp_path: Path,
                                                               width: str) -> None:
    from tests.imagery.rasters import write_geotiff

    viewport = {"desktop": {"width": 1366, "height": 900},
                "phone": {"width": 360, "height": 740}}[width]
    ortho = write_geotiff(tmp_path / "正射影像.tif", crs=None)
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    try:
        with serve(Settings(database_url=demo_url, data_dir=tmp_path / "data")) as base:
            sign_in_page(page, base, "inspector")
            page.goto(f"{base}/upload")
            page.set_input_files("#pick", str(ortho))
            page.click("#submit")
            item = page.locator("#results li").nth(0)
            item.locator(".status", has_text="未保存").wait_for()
            text = item.inner_text()
            assert "没有坐标系（CRS）" in text and "用 --crs 声明坐标系" in text
            assert "has a geotransform" not in text
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            screenshot(page, f"upload-no-crs-refused-{viewport['width']}")
    finally:
        context.close()
