"""A tile server for browser tests: an intranet XYZ server on a local port answering every
/tiles/{z}/{x}/{y}.png with one PNG of a chosen size (CORS open, as a tile server may be),
counting what it was asked; stopped, it refuses connections, as a server out of reach."""

from __future__ import annotations

import io
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image

from tests.web.browser import free_port


def tile_png(noise_bytes: int = 0, seed: int = 7) -> bytes:
    """A 256 px PNG; `noise_bytes` of random pixels make it about that much larger."""
    image = Image.new("RGB", (256, 256), (222, 232, 222))
    rng = random.Random(seed)
    side = int((noise_bytes / 3) ** 0.5)
    if side:
        image.paste(Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3)))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@dataclass
class TileServer:
    """The running server: its URL template and what it answered: (path, Sec-Fetch-Dest:
    "image" for a page's tile, "empty" for a service worker's fetch)."""

    template: str
    asked: list[tuple[str, str]] = field(default_factory=list)


@contextmanager
def tile_server(body: bytes, port: int | None = None) -> Iterator[TileServer]:
    """Serve `body` as every tile on a local port for the block."""
    port = port or free_port()
    found = TileServer(f"http://127.0.0.1:{port}/tiles/{{z}}/{{x}}/{{y}}.png")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server hook's name)
            found.asked.append((self.path, self.headers.get("Sec-Fetch-Dest", "")))
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
