"""In the browser (Debian Chromium, 360 px): the login page, a wrong password, signing in."""

from __future__ import annotations

from tests.web.browser import screenshot, serve
from web.settings import Settings


def test_login_on_a_phone(demo_url: str, phone) -> None:  # noqa: ANN001
    with serve(Settings(database_url=demo_url)) as base:
        phone.goto(f"{base}/")
        assert phone.url == f"{base}/login"
        assert phone.locator("h1").inner_text() == "登录"
        phone.fill("input[name=name]", "officer")
        phone.fill("input[name=password]", "wrong-password")
        phone.click("button[type=submit]")
        error = phone.locator("#login-error")
        assert error.inner_text() == "用户名或密码错误，请重试。"
        screenshot(phone, "login-wrong-password-360")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        phone.fill("input[name=password]", "officer-demo-2022")
        phone.click("button[type=submit]")
        phone.wait_for_url(f"{base}/")
        assert "网格员" in phone.locator("#who").inner_text()
        screenshot(phone, "home-officer-360")
