"""`lookback serve --workers 2`: two real processes answer one port, and nothing one of them
needs lives only in the other's memory (which process answered: tests/web/serving.py)."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import permutations
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from tests.web.cli import run
from tests.web.client import CSRF_META
from tests.web.serving import alive, app_processes, holder, listening, request, socket_holders

LOOKBACK = Path(sys.executable).parent / "lookback"
START_SECONDS = 120  # two processes importing the whole application on a busy machine


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A running `lookback serve --workers 2`: its port and process."""

    def __init__(self, port: int, process: subprocess.Popen) -> None:
        self.port, self.process = port, process
        self.base = f"http://127.0.0.1:{port}"

    def processes(self) -> set[int]:
        """Its worker processes now."""
        return app_processes(self.process.pid)

    def request(self, method: str, path: str, *, headers: dict[str, str] | None = None,
                body: str | None = None) -> tuple[int, str, int | None]:
        """One request on a new connection: the status, the body and the process that
        answered."""
        status, content, pid = request(self.port, method, path, headers=headers, body=body,
                                       processes=self.processes())
        return status, content.decode(), pid


def _wait_until_serving(server: Server) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and server.process.poll() is None:
        if len(server.processes()) == 2:
            try:
                if httpx.get(f"{server.base}/login", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
        time.sleep(0.2)
    raise AssertionError("the server did not start two worker processes")


@pytest.fixture(scope="module")
def server(demo_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`lookback serve --workers 2` on the module's demo database."""
    env = {"LOOKBACK_DATABASE_URL": demo_url,
           "LOOKBACK_DATA_DIR": str(tmp_path_factory.mktemp("store"))}
    port = _port()
    process = subprocess.Popen([str(LOOKBACK), "serve", "--port", str(port), "--workers", "2"],
                               env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    running = Server(port, process)
    try:
        _wait_until_serving(running)
        yield running
    finally:
        process.terminate()
        process.wait(timeout=30)


def _sign_in(server: Server, name: str) -> tuple[str, str]:
    """A session of the demo account: its cookie header and its pages' CSRF token."""
    with httpx.Client(base_url=server.base) as client:
        token = CSRF_META.search(client.get("/login").text).group(1)
        answer = client.post("/login", data={"name": name, "password": f"{name}-demo-2022",
                                             "csrf_token": token, "next": "/"})
        assert answer.status_code == 303
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        return cookie, CSRF_META.search(client.get("/").text).group(1)


def test_at_least_one_process(tmp_path: Path) -> None:
    result = run(f"sqlite:///{tmp_path / 'l.db'}", "serve", "--workers", "0")
    assert result.exit_code == 2 and "--workers" in result.output
    assert not (tmp_path / "l.db").exists()  # refused before anything was made


def test_one_session_is_served_by_every_process(server: Server) -> None:
    cookie, token = _sign_in(server, "admin")
    pages: dict[int | None, int] = {}
    posts: dict[int | None, int] = {}
    active = True
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (
            set(pages) == set(posts) == server.processes()):
        status, body, pid = server.request("GET", "/", headers={"Cookie": cookie})
        assert status == 200 and "admin" in body
        pages[pid] = pages.get(pid, 0) + 1
        step = "disable" if active else "enable"
        status, _, pid = server.request(
            "POST", f"/accounts/unit/{step}", body=urlencode({"csrf_token": token}),
            headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        assert status == 303
        posts[pid] = posts.get(pid, 0) + 1
        active = not active
    assert set(pages) == set(posts) == server.processes()  # each process answered both
    status, body, _ = server.request("GET", "/api/users", headers={"Cookie": cookie})
    [unit] = [u for u in json.loads(body) if u["name"] == "unit"]
    assert status == 200 and unit["active"] is active


def test_a_post_without_the_token_is_refused_by_every_process(server: Server) -> None:
    cookie, _ = _sign_in(server, "admin")
    refused: set[int | None] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and refused != server.processes():
        status, _, pid = server.request(
            "POST", "/api/users", headers={"Cookie": cookie, "X-CSRF-Token": "forged",
                                           "Content-Type": "application/json"},
            body='{"name": "forged.user", "password": "long-enough-1", "role": "leader"}')
        assert status == 403
        refused.add(pid)
    assert refused == server.processes()


def _sign_in_as_officer(server: Server, password: str) -> tuple[int, int | None]:
    form = urlencode({"name": "officer", "password": password, "csrf_token": "c" * 32})
    status, _, pid = server.request(
        "POST", "/login", body=form,
        headers={"Cookie": f"lookback_csrf={'c' * 32}",
                 "Content-Type": "application/x-www-form-urlencoded"})
    return status, pid


def test_failed_sign_ins_are_counted_across_processes(server: Server) -> None:
    # Five failures for one name, on whichever process answered each ...
    for _ in range(5):
        assert _sign_in_as_officer(server, "wrong-password")[0] == 401
    # ... lock the name on every process, even with the right password.
    limited: set[int | None] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and limited != server.processes():
        status, pid = _sign_in_as_officer(server, "officer-demo-2022")
        assert status == 429
        limited.add(pid)
    assert limited == server.processes()


def test_concurrent_guesses_cannot_pass_the_limit_together(server: Server) -> None:
    # Ten wrong passwords for one name at once, on both processes' threads: five are
    # counted, the rest refused as limited (the count and the failure are one step per name).
    form = urlencode({"name": "several.burst", "password": "wrong-password",
                      "csrf_token": "c" * 32})
    headers = {"Cookie": f"lookback_csrf={'c' * 32}",
               "Content-Type": "application/x-www-form-urlencoded"}
    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(lambda _: server.request("POST", "/login", body=form,
                                                         headers=headers)[0], range(10)))
    assert sorted(answers) == [401] * 5 + [429] * 5


def _one_each(sockets: set[str], processes: set[int]) -> bool:
    """Whether each listening socket is held by exactly one of the processes, a different one."""
    holders = [socket_holders(inode, processes) for inode in sockets]
    return holders in ([{a}, {b}] for a, b in permutations(processes))


def test_each_process_listens_on_a_socket_of_its_own(server: Server) -> None:
    # Not one socket shared by both (whose first process to wake accepted a whole burst of
    # connections) but one each on the same port, among which the kernel spreads them.
    processes = server.processes()
    sockets = listening(server.port)
    assert len(sockets) == 2
    assert _one_each(sockets, processes)


def test_connections_opened_at_once_are_spread_over_the_processes(server: Server) -> None:
    # Twenty keep-alive connections opened together (twenty phones starting to upload): each
    # process holds some of them.
    connections = [http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
                   for _ in range(20)]
    try:
        for conn in connections:
            conn.connect()
        for conn in connections:
            conn.request("GET", "/login")
        for conn in connections:
            assert conn.getresponse().read()
        processes = server.processes()
        held = [holder(server.port, conn.sock.getsockname()[1], processes)
                for conn in connections]
    finally:
        for conn in connections:
            conn.close()
    counts = {pid: held.count(pid) for pid in processes}
    assert None not in held and all(n >= 3 for n in counts.values()), counts


def test_a_worker_that_dies_is_replaced_on_its_socket(server: Server) -> None:
    before = server.processes()
    victim = min(before)
    sockets = listening(server.port)
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and (
            len(server.processes() - {victim}) < 2 or victim in alive({victim})):
        time.sleep(0.2)
    after = server.processes()
    assert victim not in after and len(after) == 2
    assert listening(server.port) == sockets  # the same two sockets, one each again
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and not _one_each(sockets, after):
        time.sleep(0.2)
    assert {pid for pid in (server.request("GET", "/login")[2] for _ in range(40))} == after


def test_a_killed_server_takes_its_processes_with_it(server: Server) -> None:
    """(Last: it ends the module's server.) Nothing is left answering on the port."""
    processes = server.processes()
    assert len(processes) == 2
    server.process.send_signal(signal.SIGKILL)
    server.process.wait()
    deadline = time.monotonic() + 10
    while alive(processes) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = alive(processes)
    for pid in left:  # do not leave them running if the assertion fails
        os.kill(pid, signal.SIGKILL)
    assert left == set()
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{server.base}/login", timeout=2)
