"""In the browser (Debian Chromium, 360 px and 1366 px): an element with the hidden attribute
is hidden on every page that has one, whatever display rule its class or tag has (buttons,
flex rows, panels): one rule in app.css, none of the pages' own. Checked on the upload page,
a flight's upload page, the accounts form, the map and the work desk's jobs panel."""

from __future__ import annotations

import pytest

from tests.web.browser import serve, sign_in_page, sized_page
from web.settings import Settings

PAGES = [("officer", "/upload"), ("officer", "/map"), ("officer", "/"),
         ("inspector", "/flights/new"), ("admin", "/accounts/new")]
SHOWN_BUT_HIDDEN = ("Array.from(document.querySelectorAll('[hidden]'))"
                    ".filter(e => getComputedStyle(e).display !== 'none')"
                    ".map(e => e.tagName + '#' + e.id + '.' + e.className)")


@pytest.mark.parametrize("width", ["1366", "360"])
def test_hidden_elements_are_hidden_on_every_page(browser, demo_url: str, tmp_path,  # noqa: ANN001
                                                  width: str) -> None:
    settings = Settings(database_url=demo_url, data_dir=tmp_path / "data")
    with serve(settings) as base:
        for name, path in PAGES:
            with sized_page(browser, width) as page:  # each account in a context of its own
                sign_in_page(page, base, name)
                page.goto(f"{base}{path}")
                page.wait_for_load_state("load")
                assert page.locator("[hidden]").count() > 0, path
                assert page.evaluate(SHOWN_BUT_HIDDEN) == [], path
