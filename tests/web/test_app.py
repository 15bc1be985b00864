"""The minimal web application: layer counts on a page, the API and its docs."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.cli import run
from web.app import create_app
from web.settings import Settings


def test_home_page_and_api_show_the_layer_counts(database_url: str) -> None:
    run(database_url, "demo", "--no-scenario")
    client = TestClient(create_app(Settings(database_url=database_url)))
    counts = client.get("/api/layers").json()
    assert counts["grid_cells"] == 272
    assert counts["sites"]["landfill"] == 41
    page = client.get("/")
    assert page.status_code == 200
    assert "<td>网格 grid cells</td><td>272</td>" in page.text
    assert client.get("/openapi.json").json()["paths"]["/api/layers"]



def test_api_docs_need_no_internet(tmp_path) -> None:  # noqa: ANN001
    client = TestClient(create_app(Settings(database_url=f"sqlite:///{tmp_path / 'l.db'}")))
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "http" not in docs.text.replace("http-equiv", "")
    assert "/static/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert client.get("/static/swagger-ui/swagger-ui-bundle.js").status_code == 200
