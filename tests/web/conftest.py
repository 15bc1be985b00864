"""Fixtures for the web tests: a database holding the demo district and its accounts."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Templates
from tests.web.cli import run


def load_demo(url: str, anchor: Path) -> None:
    """`lookback demo --no-scenario` into the database: the demo layers and demo accounts."""
    result = run(url, "demo", "--no-scenario", "--json", LOOKBACK_AUDIT_ANCHOR_FILE=str(anchor))
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def demo_url(module_database_url: str, _templates: Templates) -> str:
    """A database (shared by the module) with the demo layers and demo accounts, no cases:
    a copy of the demo loaded once per process (see tests/templates.py)."""
    _templates.copy("demo", module_database_url, load_demo)
    return module_database_url


@pytest.fixture
def fresh_demo_url(database_url: str, _templates: Templates) -> str:
    """Like demo_url, but the test's own (for tests that count failures or change data)."""
    _templates.copy("demo", database_url, load_demo)
    return database_url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium under Playwright, shared by the session's browser tests."""
    from playwright.sync_api import sync_playwright

    from tests.web.browser import CHROMIUM_ARGS, chromium_or_skip

    executable = chromium_or_skip()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _close_left_contexts(request: pytest.FixtureRequest) -> Iterator[None]:
    """After a browser test, close the browser contexts it left open: a page left behind
    keeps running its scripts (retrying a server that has stopped) for the rest of the run,
    and each one slows the shared browser for every later test."""
    yield
    if "browser" in request.fixturenames:
        for context in request.getfixturevalue("browser").contexts:
            context.close()


@pytest.fixture
def phone(browser) -> Iterator[object]:  # noqa: ANN001
    """A fresh 360 px wide phone page (its own cookies), Chinese locale."""
    from tests.web.browser import PHONE

    context = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(params=["1366", "360"])
def page(request: pytest.FixtureRequest, browser) -> Iterator[object]:  # noqa: ANN001
    """A fresh page at 1366 px (a desktop) or 360 px (a phone), Chinese locale: a test that
    takes it runs at both widths (each on one backend, below)."""
    from tests.web.browser import sized_page

    with sized_page(browser, request.param) as shown:
        yield shown


@pytest.fixture
def desktop(browser) -> Iterator[object]:  # noqa: ANN001
    """A fresh desktop page (1280 x 800, its own cookies), Chinese locale."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


WIDE, NARROW = {"1366", "desktop"}, {"360", "phone"}
SPLIT = {"postgis": WIDE, "sqlite": NARROW}  # each width of a browser test on one backend


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A browser test run at both widths runs each width on one backend (1366 px on PostGIS,
    360 px on SQLite): both backends and both widths stay covered, in half the time. Without
    a PostGIS database to test on, every width runs on SQLite."""
    if not os.environ.get("LOOKBACK_TEST_DATABASE_URL"):
        return
    kept, dropped = [], []
    for item in items:
        parts = set(item.callspec.id.split("-")) if hasattr(item, "callspec") else set()
        backend = next((b for b in SPLIT if b in parts), None)
        width = parts & (WIDE | NARROW)
        off = (item.module.__name__.startswith("tests.web.test_browser_") and backend
               and width and not width <= SPLIT[backend])
        (dropped if off else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
