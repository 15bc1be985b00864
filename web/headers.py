"""Security headers on every response: the Content-Security-Policy (scripts only from the
app's own files), no framing, no referrer to other sites, no sniffing, no caching of
private answers, and camera and geolocation for the app itself only."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Paths whose answers are the same for everyone (the app's and libraries' static files).
PUBLIC_PREFIXES = ("/static/",)
PERMISSIONS = "camera=(self), geolocation=(self), microphone=(), payment=(), usb=()"


def tile_source(url: str | None) -> str | None:
    """The CSP source a basemap's tile URL template loads from ("{s}" subdomains as *)."""
    if not url:
        return None
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    host = parts.netloc
    for placeholder in ("{s}", "{switch:", "{a-c}"):
        if placeholder in host:
            host = "*." + host.split(".", 1)[1] if "." in host else host
            break
    return f"{parts.scheme}://{host}"


def content_security_policy(*tile_urls: str | None) -> str:
    """The policy: everything from the app itself; images also from data:/blob: (canvas,
    thumbnails made in the page) and the configured basemaps' tile servers (each once),
    which the upload page's service worker also fetches (connect-src): it keeps the tiles of
    a grid officer's cells for work with no signal."""
    sources = dict.fromkeys(filter(None, (tile_source(url) for url in tile_urls)))
    images = " ".join(("'self' data: blob:", *sources))
    connect = " ".join(("'self'", *sources))
    return "; ".join((
        "default-src 'self'", "script-src 'self'", "style-src 'self'",
        f"img-src {images}", f"connect-src {connect}", "font-src 'self'", "object-src 'none'",
        "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
        "worker-src 'self' blob:", "manifest-src 'self'"))


class SecurityHeadersMiddleware:
    """Add the security headers to every HTTP answer (a route's own Cache-Control stays)."""

    def __init__(self, app: ASGIApp, *, csp: str) -> None:
        self.app = app
        self.fixed = {"Content-Security-Policy": csp, "X-Frame-Options": "DENY",
                      "Referrer-Policy": "same-origin", "X-Content-Type-Options": "nosniff",
                      "Permissions-Policy": PERMISSIONS,
                      "Cross-Origin-Opener-Policy": "same-origin"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the answer as it starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        private = not scope["path"].startswith(PUBLIC_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.fixed.items():
                    headers[name] = value
                if private and "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)
