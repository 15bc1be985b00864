"""The application shell: the OpenAPI schema and its docs, served without internet."""

from __future__ import annotations

from fastapi.testclient import TestClient

from web.app import create_app
from web.settings import Settings


def test_openapi_lists_the_api(tmp_path) -> None:  # noqa: ANN001
    client = TestClient(create_app(Settings(database_url=f"sqlite:///{tmp_path / 'l.db'}")))
    assert client.get("/openapi.json").json()["paths"]["/api/layers"]


def test_api_docs_need_no_internet(tmp_path) -> None:  # noqa: ANN001
    client = TestClient(create_app(Settings(database_url=f"sqlite:///{tmp_path / 'l.db'}")))
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "http" not in docs.text.replace("http-equiv", "")
    assert "/static/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert client.get("/static/swagger-ui/swagger-ui-bundle.js").status_code == 200
