"""The upload page as an installable web app, over HTTP: the manifest (回头看 巡查上传,
opening on /upload) is valid JSON whose icons exist at their stated sizes; the service
worker is served as JavaScript, never cached by HTTP, under the CSP; the upload page links
the manifest and loads the queue's script; an unknown icon size is a 404 in Chinese."""

from __future__ import annotations

import io
import json

from PIL import Image

from tests.web.client import client_for, sign_in


def test_the_manifest_is_valid_json_with_icons_that_exist(demo_url: str) -> None:
    client = client_for(demo_url)
    answer = client.get("/manifest.webmanifest")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/manifest+json")
    manifest = json.loads(answer.text)
    assert manifest["name"] == "回头看 巡查上传"
    assert manifest["start_url"] == "/upload" and manifest["display"] == "standalone"
    sizes = set()
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200 and image.headers["content-type"] == "image/png"
        width, height = Image.open(io.BytesIO(image.content)).size
        assert icon["sizes"] == f"{width}x{height}" and icon["type"] == "image/png"
        sizes.add(width)
    assert sizes == {192, 512}


def test_an_icon_of_another_size_is_not_found(demo_url: str) -> None:
    answer = client_for(demo_url).get("/pwa-icon-100.png")
    assert answer.status_code == 404
    assert "图标尺寸 100：只有 192 和 512" in answer.text  # the error page, as for any page


def test_the_service_worker_is_javascript_never_cached(demo_url: str) -> None:
    answer = client_for(demo_url).get("/upload-sw.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["cache-control"] == "no-cache"
    assert "worker-src 'self'" in answer.headers["content-security-policy"]
    assert 'addEventListener("fetch"' in answer.text


def test_the_upload_page_links_the_manifest_and_the_queue(demo_url: str) -> None:
    client = client_for(demo_url)
    assert sign_in(client, "officer").status_code == 303
    page = client.get("/upload").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<script src="/static/app/upload-queue.js"></script>' in page
    assert "立即发送" in page and "本机待发送照片" in page
    assert client.get("/static/app/upload-queue.js").status_code == 200
    assert client.get("/static/app/upload.css").status_code == 200
