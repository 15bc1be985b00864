"""`lookback serve --workers N`: N uvicorn processes, each listening on a socket of its own
bound to the same port with SO_REUSEPORT, so the kernel spreads new connections across them.

uvicorn's own supervisor gives every worker one shared socket, and asyncio accepts up to the
backlog at each wake-up: a burst of keep-alive connections (twenty phones starting at once, a
proxy's pool) all land on whichever process woke first, and the others idle. Here each slot
keeps its socket in this process too, so a slot whose worker died queues its connections
until the replacement, started on the same socket, takes them. Workers exit when this
process dies (web.asgi watches it); SIGINT or SIGTERM stops them all."""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import threading
from multiprocessing.context import SpawnProcess

log = logging.getLogger("uvicorn.error")
BACKLOG = 2048  # uvicorn's default
CHECK_SECONDS = 0.5  # how often the workers are looked at
STOP_SECONDS = 30  # a worker's time to finish its requests once told to stop


def listener(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port that other SO_REUSEPORT sockets may share."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(BACKLOG)
    sock.set_inheritable(True)
    return sock


def _serve(factory: str, sock: socket.socket) -> None:
    """One worker: uvicorn serving the app factory on its own socket."""
    import uvicorn

    # Forwarded headers are the app's to judge (LOOKBACK_TRUSTED_PROXIES), not uvicorn's.
    config = uvicorn.Config(factory, factory=True, proxy_headers=False, backlog=BACKLOG)
    uvicorn.Server(config).run(sockets=[sock])


class ServeGroup:
    """The workers, one per socket; restarted on their socket if they die."""

    def __init__(self, factory: str, sockets: list[socket.socket]) -> None:
        self.factory, self.sockets = factory, sockets
        self.context = multiprocessing.get_context("spawn")
        self.workers: list[SpawnProcess | None] = [None] * len(sockets)
        self.stopping = threading.Event()

    def _start(self, slot: int) -> None:
        worker = self.context.Process(target=_serve, args=(self.factory, self.sockets[slot]),
                                      name=f"lookback-web-{slot}")
        worker.start()
        self.workers[slot] = worker
        log.info("Started worker process [%s] on socket %s", worker.pid, slot)

    def run(self) -> None:
        """Start every worker, keep them running until SIGINT or SIGTERM, then stop them."""
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: self.stopping.set())
        for slot in range(len(self.sockets)):
            self._start(slot)
        while not self.stopping.wait(CHECK_SECONDS):
            for slot, worker in enumerate(self.workers):
                if worker is not None and not worker.is_alive():
                    log.warning("Worker process [%s] exited (%s); starting another",
                                worker.pid, worker.exitcode)
                    self._start(slot)
        self._stop()

    def _stop(self) -> None:
        running = [w for w in self.workers if w is not None and w.is_alive()]
        for worker in running:
            worker.terminate()  # SIGTERM: uvicorn finishes its requests, then exits
        for worker in running:
            worker.join(STOP_SECONDS)
            if worker.is_alive():
                worker.kill()
                worker.join()
        for sock in self.sockets:
            sock.close()


def serve_group(factory: str, host: str, port: int, workers: int) -> None:
    """Serve the app factory with `workers` processes on host:port until stopped."""
    import logging.config

    from uvicorn.config import LOGGING_CONFIG

    logging.config.dictConfig(LOGGING_CONFIG)
    sockets = [listener(host, port) for _ in range(workers)]
    log.info("Listening on http://%s:%s with %s processes", host, port, workers)
    ServeGroup(factory, sockets).run()
