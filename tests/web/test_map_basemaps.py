"""Basemaps by setting: Tianditu's vector and imagery maps with their annotations when a key
is set (the page's configuration and the CSP allow its tile hosts then, and only then), any
tile server by URL with its own attribution; Tianditu refused beside a GCJ-02 basemap."""

from __future__ import annotations

import json
import re

import pytest
from pydantic import ValidationError

from tests.web.client import client_for, sign_in
from web.basemaps import basemaps, tianditu_url
from web.settings import Settings

KEY = "0123456789abcdef"
TIANDITU_HOSTS = "https://*.tianditu.gov.cn"


def _img_src(response) -> str:  # noqa: ANN001
    csp = response.headers["content-security-policy"]
    return next(part for part in csp.split("; ") if part.startswith("img-src"))


def _basemaps(response) -> list:  # noqa: ANN001
    """The page's basemap island (the one configuration every map page reads)."""
    island = re.search(r'<script type="application/json" id="basemaps">(.*?)</script>',
                       response.text, re.S)
    return json.loads(island.group(1))


def test_without_a_key_no_tianditu(demo_url: str) -> None:
    client = client_for(demo_url)
    sign_in(client, "leader")
    page = client.get("/map")
    assert _img_src(page) == "img-src 'self' data: blob:"
    assert _basemaps(page) == []


def test_with_a_key_vector_and_imagery_from_tianditu(demo_url: str) -> None:
    client = client_for(demo_url, tianditu_key=KEY)
    sign_in(client, "leader")
    page = client.get("/map")
    assert _img_src(page) == f"img-src 'self' data: blob: {TIANDITU_HOSTS}"
    assert _img_src(client.get("/login")) == f"img-src 'self' data: blob: {TIANDITU_HOSTS}"
    vec, img = _basemaps(page)
    assert (vec["title"], img["title"]) == ("矢量", "影像")
    assert [layer["url"] for layer in vec["layers"]] == [tianditu_url("vec", KEY),
                                                         tianditu_url("cva", KEY)]
    assert [layer["url"] for layer in img["layers"]] == [tianditu_url("img", KEY),
                                                         tianditu_url("cia", KEY)]
    assert vec["layers"][0]["url"] == (
        "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
        "&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}"
        f"&TILECOL={{x}}&tk={KEY}")
    assert all(layer["subdomains"] == "01234567" and "天地图" in layer["attribution"]
               and layer["referrerPolicy"] == "origin"
               for b in (vec, img) for layer in b["layers"])


@pytest.mark.parametrize(("name", "path"), [("officer", "/upload"), ("leader", "/map"),
                                            ("leader", "/complaints/new")])
def test_every_map_page_carries_the_same_basemaps(demo_url: str, name: str,
                                                  path: str) -> None:
    client = client_for(demo_url, tianditu_key=KEY,
                        basemap_url="http://10.0.0.8:8080/tiles/{z}/{x}/{y}.png")
    sign_in(client, name)
    page = client.get(path)
    assert page.status_code == 200
    assert [b["name"] for b in _basemaps(page)] == ["tianditu_vec", "tianditu_img", "custom"]
    assert '<script src="/static/app/basemap.js"></script>' in page.text
    assert "data-basemap=" not in page.text


def test_a_tile_server_beside_tianditu_keeps_its_own_attribution() -> None:
    found = basemaps(Settings(tianditu_key=KEY,
                              basemap_url="http://10.0.0.8:8080/tiles/{z}/{x}/{y}.png",
                              basemap_attribution="区测绘院"))
    assert [b["name"] for b in found] == ["tianditu_vec", "tianditu_img", "custom"]
    assert found[-1]["layers"][0]["attribution"] == "区测绘院"
    plain = basemaps(Settings(basemap_url="https://{s}.tiles.example.cn/{z}/{x}/{y}.png"))
    assert plain[0]["layers"][0]["attribution"] == "tiles.example.cn"


def test_tianditu_is_refused_on_a_gcj02_basemap() -> None:
    with pytest.raises(ValidationError, match="LOOKBACK_TIANDITU_KEY"):
        Settings(tianditu_key=KEY, basemap_crs="gcj02",
                 basemap_url="https://webrd0{s}.is.autonavi.com/{z}/{x}/{y}")
