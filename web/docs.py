"""The OpenAPI docs page with Swagger UI 5 (reads OpenAPI 3.1; PyPI swagger-ui-bundle-v2)
served by the app itself (no CDN at run time)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from web.pages.render import TEMPLATES

ASSETS = "/static/swagger-ui"


def mount_docs(app: FastAPI, path: str = "/docs") -> None:
    """Serve Swagger UI's files from the installed package and the docs page that uses them."""
    app.mount(ASSETS, StaticFiles(directory=swagger_ui_path), name="swagger-ui")

    @app.get(path, include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return TEMPLATES.TemplateResponse(request, "docs.html", {
            "title": f"{app.title} API", "assets": ASSETS,
            "openapi_url": app.openapi_url or "/openapi.json"})
