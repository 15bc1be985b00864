"""The basemaps the map offers, from the settings: Tianditu's (天地图) vector and imagery
maps with their annotation layers when a key is set, and any tile server by URL (an
intranet's, or AMap/Tencent in GCJ-02). Each carries its own attribution text."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from web.i18n import t

TIANDITU_HOSTS = "https://t{s}.tianditu.gov.cn"
TIANDITU_SUBDOMAINS = "01234567"
TIANDITU_ATTRIBUTION = "© 天地图 国家地理信息公共服务平台"
TIANDITU_MAX_ZOOM = 18
# A browser key may be bound to the site's domain, checked against the Referer: the tiles
# send the origin only (the app's own policy, same-origin, would send none).
TIANDITU_REFERRER = "origin"
# (basemap, its label key, [(map layer, annotation layer)]) over WMTS in web mercator ("_w").
TIANDITU = (("tianditu_vec", "map.basemap.vec", ("vec", "cva")),
            ("tianditu_img", "map.basemap.img", ("img", "cia")))


def tianditu_url(layer: str, key: str) -> str:
    """The WMTS KVP tile URL template of one Tianditu layer (vec, cva, img, cia)."""
    return (f"{TIANDITU_HOSTS}/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
            f"&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
            f"&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={quote(key, safe='')}")


def _tianditu(key: str) -> list[dict[str, Any]]:
    return [{"name": name, "label": label,
             "layers": [{"url": tianditu_url(layer, key), "subdomains": TIANDITU_SUBDOMAINS,
                         "maxZoom": TIANDITU_MAX_ZOOM, "attribution": TIANDITU_ATTRIBUTION,
                         "referrerPolicy": TIANDITU_REFERRER}
                        for layer in pair]}
            for name, label, pair in TIANDITU]


def _custom(url: str, attribution: str | None) -> dict[str, Any]:
    text = attribution or urlsplit(url).netloc.replace("{s}.", "") or url
    return {"name": "custom", "label": "map.basemap.custom",
            "layers": [{"url": url, "maxZoom": 20, "attribution": text}]}


def basemaps(settings: Any) -> list[dict[str, Any]]:
    """The basemaps for the page's configuration, the first shown at start; none: the map
    draws the boundaries on a plain background."""
    found = _tianditu(settings.tianditu_key) if settings.tianditu_key else []
    if settings.basemap_url:
        found.append(_custom(settings.basemap_url, settings.basemap_attribution))
    return found


def for_page(settings: Any, lang: str) -> list[dict[str, Any]]:
    """The basemaps as every map page's data island carries them: each with its `title` in
    the page's language (the layer switcher's label)."""
    return [{**b, "title": t(b["label"], lang)} for b in basemaps(settings)]


def tile_urls(settings: Any) -> list[str]:
    """Every tile URL template the page may load (for the Content-Security-Policy)."""
    return [layer["url"] for b in basemaps(settings) for layer in b["layers"]]
