"""The upload page as an installable web app: its manifest (回头看 巡查上传, opening on
/upload), its icons, and the service worker that keeps the page usable with no signal
(served from the site's root so its scope can cover /upload)."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter
from fastapi import Path as FastPath
from fastapi.responses import JSONResponse, Response

from inspections.errors import NotFound
from web.pages.pwa_icon import SIZES, icon_png

router = APIRouter(include_in_schema=False)
STATIC = Path(__file__).resolve().parent.parent / "static"
WORKER = STATIC / "upload-sw.js"
PUBLIC_DAY = {"Cache-Control": "public, max-age=86400"}


def manifest() -> dict[str, Any]:
    """The web app manifest of the upload page."""
    return {
        "name": "回头看 巡查上传", "short_name": "巡查上传", "lang": "zh-CN",
        "description": "网格员现场拍照上传；无网络时照片先存在本机，联网后自动发送。",
        "start_url": "/upload", "scope": "/", "display": "standalone",
        "orientation": "portrait", "background_color": "#f4f6f5", "theme_color": "#1f5f4a",
        "icons": [{"src": f"/pwa-icon-{size}.png", "sizes": f"{size}x{size}",
                   "type": "image/png", "purpose": "any maskable"} for size in SIZES],
    }


@router.get("/manifest.webmanifest")
def manifest_file() -> Response:
    """The manifest, as application/manifest+json."""
    return JSONResponse(manifest(), media_type="application/manifest+json",
                        headers=PUBLIC_DAY)


@router.get("/pwa-icon-{size}.png")
def icon(size: Annotated[int, FastPath(description="192 or 512")]) -> Response:
    """The home-screen icon at 192 or 512 pixels (404 at any other size)."""
    if size not in SIZES:
        raise NotFound(f"图标尺寸 {size}：只有 192 和 512")
    return Response(icon_png(size), media_type="image/png", headers=PUBLIC_DAY)


@functools.lru_cache(maxsize=1)
def worker_script() -> bytes:
    """The service worker, its cache named by a digest of the app's static files: when any
    of them changes, the worker's bytes change, so browsers install it and refill the cache."""
    digest = hashlib.sha256()
    for path in sorted(p for p in STATIC.rglob("*") if p.is_file()):
        digest.update(path.relative_to(STATIC).as_posix().encode() + b"\0" + path.read_bytes())
    return WORKER.read_text(encoding="utf-8").replace(
        "@VERSION@", digest.hexdigest()[:16]).encode()


@router.get("/upload-sw.js")
def service_worker() -> Response:
    """The upload page's service worker; never cached by HTTP, so a new version installs on
    the next visit."""
    return Response(worker_script(), media_type="text/javascript",
                    headers={"Cache-Control": "no-cache"})
