"""Browser tests' parts: the app served by uvicorn in a thread, Debian's Chromium driven by
Playwright (never a browser download of Playwright's own), screenshots in a test folder."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn

from web.app import create_app
from web.jobs.local import start_in_thread
from web.settings import Settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking"]
SHOTS = Path(os.environ.get("LOOKBACK_TEST_OUTPUT", "var/test-output")) / "screenshots"
PHONE = {"width": 360, "height": 740}


def chromium_or_skip() -> str:
    """Debian's Chromium; skip without it (fail under CI, where .ci/run installs it)."""
    if shutil.which(CHROMIUM):
        return CHROMIUM
    message = f"browser tests need Debian's chromium at {CHROMIUM}"
    if os.environ.get("CI") == "true":
        pytest.fail(message + "; .ci/run must install it")
    pytest.skip(message)


def free_port() -> int:
    """A local port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(settings: Settings, *, jobs: bool = False, port: int | None = None) -> Iterator[str]:
    """Serve the app on a free local port (or `port`, to serve again where a browser knew it)
    for the block; its base URL. With `jobs`, its jobs run beside it in the local runner, as
    `lookback serve` runs them."""
    port = port or free_port()
    runner = start_in_thread(settings) if jobs else None
    # A long keep-alive: a client starved of the CPU by a busy machine for more than uvicorn's
    # 5 s would reuse a connection the server is closing (a reset, not a server fault).
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                           log_level="warning", timeout_keep_alive=120))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        if runner is not None:
            runner()


@contextmanager
def sized_page(browser, width: str) -> Iterator[object]:  # noqa: ANN001
    """A fresh page at 1366 px (a desktop) or 360 px (a phone), Chinese locale; its
    `width` attribute names which."""
    if width == "1366":
        context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="zh-CN")
    else:
        context = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=2,
                                      is_mobile=True, has_touch=True)
    shown = context.new_page()
    shown.width = width
    try:
        yield shown
    finally:
        context.close()


def screenshot(page, name: str, *, full_page: bool = True) -> Path:  # noqa: ANN001
    """Save a screenshot (of the full page, or of the screen as it is) under the test
    output folder; its path."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def sign_in_page(page, base: str, name: str) -> None:  # noqa: ANN001
    """Sign in through the login form as a demo account."""
    page.goto(f"{base}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", f"{name}-demo-2022")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def nav_to(page, href: str) -> None:  # noqa: ANN001
    """Follow the frame's link to `href` as a person does: in the top bar (the bottom tabs on
    a phone), opening 更多 first where the link is folded under it."""
    bar = ".topnav" if page.locator(".topnav").is_visible() else ".tabs"
    link = page.locator(f"{bar} a[href='{href}']")
    if not link.is_visible():
        page.locator(f"{bar} .more > summary").click()
    link.click()


def fits(page) -> None:  # noqa: ANN001
    """Nothing on the page scrolls sideways (UI.md: at 360 px as at 1366 px)."""
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
