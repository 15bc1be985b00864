"""A real `lookback serve` process for benchmarks, its memory sampled while it works, and a
client that times one page again and again."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from tests.web.serving import app_processes, request

LOOKBACK = Path(sys.executable).parent / "lookback"


def free_port() -> int:
    """A local port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(env: dict[str, str], workers: int = 1) -> Iterator[tuple[str, int]]:
    """`lookback serve` on a free port with these settings (and `workers` processes); its
    base URL and process id."""
    port = free_port()
    several = ["--workers", str(workers)] if workers > 1 else []  # older code had no such option
    process = subprocess.Popen([str(LOOKBACK), "serve", "--port", str(port), *several],
                               env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                               # serve runs itself again as `python -m web.cli`, which puts
                               # the working folder first: there, the code PYTHONPATH names
                               cwd=env.get("PYTHONPATH"),
                               stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/login", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: {process.stderr.read()}")
            time.sleep(0.2)
        if workers > 1:
            _wait_for_every_worker(port, process.pid, workers, deadline)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_for_every_worker(port: int, pid: int, workers: int, deadline: float) -> None:
    """Until each of the server's worker processes has answered `GET /login` once."""
    answered: set[int | None] = set()
    while True:
        processes = app_processes(pid)
        if len(processes) == workers and answered >= processes:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{len(answered & processes)} of {workers} workers answer")
        answered.add(request(port, "GET", "/login", processes=processes)[2])


def _rss_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def descendants(pid: int) -> list[int]:
    """The process's children, grandchildren, ... (from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


class MemorySampler(threading.Thread):
    """Samples a process's resident memory, and its children's, until stopped: the peaks in
    MB of the process, of its children together, and of the largest child."""

    def __init__(self, pid: int, every: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.server_peak = self.workers_peak = self.worker_peak = 0.0
        self.stopped = threading.Event()

    def run(self) -> None:
        """Sample until stopped."""
        while not self.stopped.is_set():
            server = _rss_kb(self.pid) / 1024
            each = [_rss_kb(p) / 1024 for p in descendants(self.pid)]
            self.server_peak = max(self.server_peak, server)
            self.workers_peak = max(self.workers_peak, sum(each))
            self.worker_peak = max([self.worker_peak, *each])
            time.sleep(self.every)

    def stop(self) -> None:
        """Stop sampling (and wait for the last sample)."""
        self.stopped.set()
        self.join()


class Prober(threading.Thread):
    """GETs one path every `every` seconds until stopped; each answer's time in ms."""

    def __init__(self, url: str, every: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.url, self.every = url, every
        self.times: list[float] = []
        self.failures = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        """Probe until stopped."""
        with httpx.Client(timeout=120) as client:
            while not self.stopped.is_set():
                start = time.perf_counter()
                if client.get(self.url).status_code != 200:
                    self.failures += 1
                self.times.append((time.perf_counter() - start) * 1000)
                time.sleep(self.every)

    def stop(self) -> list[float]:
        """Stop probing; the times."""
        self.stopped.set()
        self.join()
        return self.times


def p95(times: list[float]) -> float:
    """The 95th percentile of some times."""
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
Session = tuple[dict[str, str], str]  # cookies, CSRF token


def officer_session(base: str) -> Session:
    """The demo officer's session on a live server: its cookies and its pages' CSRF token."""
    with httpx.Client(base_url=base, timeout=60) as client:
        token = CSRF_META.search(client.get("/login").text).group(1)
        client.post("/login", data={"name": "officer", "password": "officer-demo-2022",
                                    "csrf_token": token, "next": "/"})
        return dict(client.cookies), CSRF_META.search(client.get("/login").text).group(1)


def upload_all(base: str, session: Session, paths: list[Path], timeout: float = 3600,
               on_sent: Callable[[], None] | None = None) -> list[tuple[int, float]]:
    """One client: its files uploaded one after another on one keep-alive connection; each
    answer's status and seconds.

    The client shares the server's cores, where a real phone would not: so it spends as
    little CPU as it can (the multipart framing written around the file, the file itself
    sent by the kernel with sendfile), rather than a Python loop over its blocks."""
    done = []
    cookies, token = session
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=timeout)
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    try:
        for path in paths:
            start = time.perf_counter()
            status = _post_file(connection, path, {"Cookie": cookie, "X-CSRF-Token": token},
                                on_sent)
            done.append((status, time.perf_counter() - start))
    finally:
        connection.close()
    return done


def _post_file(connection: http.client.HTTPConnection, path: Path,
               headers: dict[str, str], on_sent: Callable[[], None] | None = None) -> int:
    """POST one file to /api/photos as multipart/form-data (`on_sent` called once its bytes
    are all sent); the answer's status."""
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{path.name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    connection.putrequest("POST", "/api/photos")
    for name, value in {**headers, "Content-Type": f"multipart/form-data; boundary={boundary}",
                        "Content-Length": str(len(head) + path.stat().st_size + len(tail)),
                        }.items():
        connection.putheader(name, value)
    connection.endheaders(head)
    with path.open("rb") as f:
        connection.sock.sendfile(f)
    connection.send(tail)
    if on_sent is not None:
        on_sent()
    answer = connection.getresponse()
    answer.read()
    return answer.status
