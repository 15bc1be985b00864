"""Which process of a `lookback serve --workers N` answered a request, read from /proc (the
process holding the server's end of the connection), not from anything the app says."""

from __future__ import annotations

import http.client
import os
from pathlib import Path


def children(pid: int) -> set[int]:
    """The live processes whose parent is `pid`."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(stat[1]) == pid and stat[0] not in ("Z", "X"):
                found.add(int(entry.name))
    return found


def descendants(pid: int) -> set[int]:
    """The live processes below `pid`: its children, theirs, and so on."""
    found, todo = set(), [pid]
    while todo:
        for child in children(todo.pop()) - found:
            found.add(child)
            todo.append(child)
    return found


def app_processes(server: int) -> set[int]:
    """The server's worker processes (its children other than multiprocessing's tracker)."""
    found = set()
    for pid in children(server):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if b"spawn_main" in command:
            found.add(pid)
    return found


def _socket_inode(port: int, client_port: int) -> str | None:
    """The inode of the server's end of the connection from `client_port` to `port`."""
    local, remote = f"0100007F:{port:04X}", f"0100007F:{client_port:04X}"
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1] == local and fields[2] == remote:
            return fields[9]
    return None


def listening(port: int) -> set[str]:
    """The inodes of the sockets listening on 127.0.0.1:port."""
    local = f"0100007F:{port:04X}"
    return {fields[9] for fields in map(str.split,
                                         Path("/proc/net/tcp").read_text().splitlines()[1:])
            if fields[1] == local and fields[3] == "0A"}  # 0A: LISTEN


def socket_holders(inode: str, processes: set[int]) -> set[int]:
    """Which of the processes hold the socket with this inode."""
    held = set()
    for pid in processes:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) == f"socket:[{inode}]":
                    held.add(pid)
            except FileNotFoundError:
                continue
    return held


def holder(port: int, client_port: int, processes: set[int]) -> int | None:
    """Which of the processes holds the server's end of that connection."""
    inode = _socket_inode(port, client_port)
    if inode is None:
        return None
    for pid in processes:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) == f"socket:[{inode}]":
                    return pid
            except FileNotFoundError:
                continue
    return None


def alive(pids: set[int]) -> set[int]:
    """Those of the processes still running (not zombies)."""
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            continue
        if state not in ("Z", "X"):
            alive.add(pid)
    return alive


def request(port: int, method: str, path: str, *, headers: dict[str, str] | None = None,
            body: str | bytes | None = None,
            processes: set[int] | None = None) -> tuple[int, bytes, int | None]:
    """One request to 127.0.0.1:port on a new connection: the status, the body and which of
    the processes answered (read while the connection is still open; None if unknown)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        answer = conn.getresponse()
        content = answer.read()
        pid = holder(port, conn.sock.getsockname()[1], processes) if processes else None
        return answer.status, content, pid
    finally:
        conn.close()
