"""Security headers on every answer: pages, API answers, downloads and static files."""

from __future__ import annotations

import pytest

from tests.web.client import client_for, sign_in
from web.headers import content_security_policy, tile_source

FIXED = {"x-frame-options": "DENY", "referrer-policy": "same-origin",
         "x-content-type-options": "nosniff"}


def _check(response, cache: str | None = "no-store") -> None:  # noqa: ANN001
    for name, value in FIXED.items():
        assert response.headers[name] == value, (response.url, name)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    policy = response.headers["permissions-policy"]
    assert "camera=(self)" in policy and "geolocation=(self)" in policy
    if cache:
        assert response.headers["cache-control"] == cache, response.url


@pytest.mark.parametrize("path", ["/login", "/public", "/docs", "/openapi.json"])
def test_pages_without_a_session_carry_the_headers(demo_url: str, path: str) -> None:
    response = client_for(demo_url).get(path)
    assert response.status_code == 200
    _check(response)


PRIVATE = ["/", "/map", "/dashboard", "/reports", "/cases", "/tickets", "/review", "/upload",
           "/api/layers", "/api/cases", "/api/stats?year=2022", "/api/exports/cases?format=csv",
           "/api/reports/progress?year=2022", "/no-such-page",
           "/api/map/sites?bbox=121.3,28.6,121.5,28.8&zoom=12"]


@pytest.mark.parametrize("path", PRIVATE)
def test_private_answers_are_never_stored(demo_url: str, path: str) -> None:
    client = client_for(demo_url)
    sign_in(client, "leader")
    response = client.get(path)
    assert response.status_code in (200, 404), (path, response.status_code)
    _check(response)


def test_errors_and_redirects_carry_the_headers(demo_url: str) -> None:
    client = client_for(demo_url)
    _check(client.get("/api/layers"))  # 401 JSON
    _check(client.get("/cases"))  # 303 to the login page


def test_static_files_may_be_cached_but_keep_the_headers(demo_url: str) -> None:
    response = client_for(demo_url).get("/static/app/map.js")
    assert response.status_code == 200
    _check(response, cache=None)
    assert "no-store" not in response.headers.get("cache-control", "")


def test_a_basemap_server_is_allowed_for_images_and_the_workers_tiles_only() -> None:
    csp = content_security_policy("https://{s}.tiles.example.cn/{z}/{x}/{y}.png")
    assert "img-src 'self' data: blob: https://*.tiles.example.cn;" in csp
    assert "connect-src 'self' https://*.tiles.example.cn;" in csp  # the offline tiles
    assert "script-src 'self';" in csp
    assert tile_source("http://10.0.0.8:8080/tiles/{z}/{x}/{y}.png") == "http://10.0.0.8:8080"
    assert tile_source("not a url") is None
