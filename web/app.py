"""The FastAPI application, built by create_app(settings)."""

from __future__ import annotations

from html import escape

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from geo import layers
from web.database import engine_for
from web.docs import mount_docs
from web.settings import Settings


class LayerCounts(BaseModel):
    """How many grid cells and sites of each kind are stored."""

    grid_cells: int
    sites: dict[str, int]


def create_app(settings: Settings) -> FastAPI:
    """The application on the database the settings name (its schema must be initialised)."""
    engine = engine_for(settings)
    app = FastAPI(title="Lookback", summary="Field inspection and drone re-check platform",
                  docs_url=None, redoc_url=None)
    mount_docs(app)

    @app.get("/api/layers", response_model=LayerCounts, tags=["layers"])
    def layer_counts() -> LayerCounts:
        """Counts of the stored layers."""
        with engine.connect() as conn:
            return LayerCounts(grid_cells=layers.count(conn, layers.GRID_CELLS),
                               sites=layers.site_counts(conn))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> str:
        """A plain status page: the layer counts and a link to the API docs."""
        counts = layer_counts()
        rows = [("网格 grid cells", counts.grid_cells)] + [
            (f"点位 sites: {kind}", n) for kind, n in counts.sites.items()]
        body = "".join(f"<tr><td>{escape(k)}</td><td>{v}</td></tr>" for k, v in rows)
        return (
            "<!doctype html><html lang='zh-CN'><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<title>Lookback 回头看</title><h1>Lookback 回头看</h1>"
            f"<table id='layer-counts'>{body}</table>"
            "<p><a href='/docs'>API 文档 / API docs</a></p></html>"
        )

    return app
