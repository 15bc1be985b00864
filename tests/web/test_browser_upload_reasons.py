"""In the browser (360 px): a refused upload says why in Chinese, under the Chinese heading
(the server's English sentence is not shown when the reason has a translation)."""

from __future__ import annotations

from pathlib import Path

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
