"""A served app builds its routes as it starts, not on the first person's request."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import APIRouter, FastAPI
from pydantic import BaseModel
from starlette.routing import BaseRoute, Mount

from web.asgi import app_from_environment
from web.route_warmup import warm_routes


def _unbuilt(routes: list[BaseRoute]) -> list[str]:
    """The included routers FastAPI has not built yet (it builds them on the first request
    that walks through them); a FastAPI that drops this attribute fails here, not silently."""
    waiting = []
    for route in routes:
        if isinstance(route, Mount):
            waiting += _unbuilt(route.routes)
        elif type(route).__name__ == "_IncludedRouter":
            if route._effective_candidates_version is None:
                waiting.append(route.original_router.prefix or "/")
            waiting += _unbuilt(route.original_router.routes)
    return waiting


def test_the_walk_builds_what_a_request_would() -> None:
    app = FastAPI()
    class Body(BaseModel):
        name: str

    router = APIRouter(prefix="/things")

    @router.post("")
    def make(body: Body) -> dict:
        return {"name": body.name}

    app.include_router(router)
    assert _unbuilt(app.routes) == ["/things"]
    assert warm_routes(app.routes) >= 1
    assert _unbuilt(app.routes) == []


def test_a_served_app_has_built_every_route(demo_url: str, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOKBACK_DATABASE_URL", demo_url)
    monkeypatch.setenv("LOOKBACK_DATA_DIR", str(tmp_path / "data"))
    app = app_from_environment()
    assert _unbuilt(app.routes) == []
