"""In the browser: /docs shows Swagger UI 5 (served by the app) rendering the app's OpenAPI
3.1 operations, with no "Unable to render" and no Content Security Policy violation."""

from __future__ import annotations

from tests.web.browser import screenshot, serve
from web.settings import Settings


def test_the_api_docs_render_every_operation(demo_url: str, desktop) -> None:  # noqa: ANN001
    console: list[str] = []
    desktop.on("console", lambda message: console.append(message.text))
    with serve(Settings(database_url=demo_url)) as base:
        desktop.goto(f"{base}/docs")
        desktop.locator(".opblock-summary-path", has_text="/api/photos").first.wait_for()
        assert desktop.locator(".opblock").count() > 20
        assert "Unable to render" not in desktop.locator("body").inner_text()
        assert "OAS 3.1" in desktop.locator(".info").inner_text()
        screenshot(desktop, "docs-1280")
    assert not [m for m in console if "Content Security Policy" in m], console
