"""In the browser on a 360 px phone: a grid officer uploads a photo with EXIF GPS and one
without (pinned on the map by hand) and sees what happened to each."""

from __future__ import annotations

from pathlib import Path

from tests.imagery.images import exif_bytes, jpeg
from tests.web.browser import screenshot, serve
from tests.web.client import inside_town
from web.accounts.demo import DEMO_TOWN
from web.settings import Settings


def test_an_officer_uploads_two_photos_on_a_phone(demo_url: str, phone, tmp_path: Path) -> None:  # noqa: ANN001
    lon, lat = inside_town(demo_url, DEMO_TOWN)
    with_gps = jpeg(tmp_path / "IMG_0101.jpg", seed=901, exif=exif_bytes(lon=lon, lat=lat))
    without = jpeg(tmp_path / "wechat_0102.jpg", seed=902, exif=exif_bytes())
    settings = Settings(database_url=demo_url, data_dir=tmp_path / "data")
    with serve(settings) as base:
        phone.goto(f"{base}/login")
        phone.fill("input[name=name]", "officer")
        phone.fill("input[name=password]", "officer-demo-2022")
        phone.click("button[type=submit]")
        phone.click("a[href='/upload'] >> visible=true")
        phone.wait_for_url(f"{base}/upload")
        phone.wait_for_selector(".leaflet-container")
        assert phone.locator("#device").inner_text().startswith("无法获取设备定位")

        phone.set_input_files("#pick", str(with_gps))
        assert phone.locator("#chosen").inner_text() == "已选择 1 张照片"
        phone.click("#submit")
        first = phone.locator("#results li").nth(0)
        first.locator(".status", has_text="已保存").wait_for()
        assert "位置：照片 GPS" in first.inner_text()

        phone.locator("#pin-map").click()  # the middle of the officer's grid
        assert phone.locator("#pin").inner_text().startswith("手动标注：")
        phone.set_input_files("#pick", str(without))
        phone.click("#submit")
        second = phone.locator("#results li").nth(1)
        second.locator(".status", has_text="已保存").wait_for()
        assert "位置：手动标注" in second.inner_text()
        assert "wechat_0102.jpg" in second.inner_text()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        screenshot(phone, "upload-two-photos-360")


def test_a_file_over_the_size_limit_says_so_on_the_page(demo_url: str, phone,  # noqa: ANN001
                                                        tmp_path: Path) -> None:
    big = jpeg(tmp_path / "IMG_0103.jpg", seed=903, size=(1600, 1200))
    settings = Settings(database_url=demo_url, data_dir=tmp_path / "data",
                        max_upload_bytes=10_000)
    with serve(settings) as base:
        phone.goto(f"{base}/login")
        phone.fill("input[name=name]", "officer")
        phone.fill("input[name=password]", "officer-demo-2022")
        phone.click("button[type=submit]")
        phone.goto(f"{base}/upload")
        phone.set_input_files("#pick", str(big))
        phone.click("#submit")
        item = phone.locator("#results li").nth(0)
        item.locator(".status", has_text="未保存：文件超过上传大小上限").wait_for()
        assert "Content-Length" in item.inner_text()  # the server's sentence, beneath
