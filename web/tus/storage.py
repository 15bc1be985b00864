"""Where tus uploads are received: plain files in the store's scratch folder (tuspyserver's
local backend), written as the bytes arrive instead of held in memory to the end of each
request, and repaired when an upload is resumed after a crash."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections.abc import AsyncIterator
from pathlib import Path

from tuspyserver.storage.local import LocalFileStorage

from imagery.store import SCRATCH, Store

FOLDER = "tus"  # under the store's scratch folder
WRITE_BLOCK = 1024 * 1024  # bytes gathered before a write (in a thread)


def tus_folder(store: Store) -> Path:
    """The folder uploads are received in: on the store's file system, so a finished file
    is renamed, not copied, and it survives a restart of the server (made with the first
    upload)."""
    return store.scratch_root / SCRATCH / FOLDER


class ScratchStorage(LocalFileStorage):
    """tuspyserver's local files, with bounded memory and an offset that never lies.

    A PATCH's bytes go to disk a block at a time; when a request takes the upload's lock, any
    bytes past the recorded offset (a server killed mid-request wrote them but never recorded
    them) are cut off, so the client's resume from that offset leaves no gap nor repeat."""

    async def append(self, uid: str, chunk: bytes) -> None:
        """Gather the chunk; write a block once one is full."""
        pending = self._pending[uid]
        pending.extend(chunk)
        if len(pending) >= WRITE_BLOCK:
            data = bytes(pending)
            pending.clear()
            await asyncio.to_thread(self._write, uid, data, False)

    async def flush(self, uid: str) -> None:
        """Write what is gathered and make the file durable."""
        data = bytes(self._pending.pop(uid, b""))
        await asyncio.to_thread(self._write, uid, data, True)

    def _write(self, uid: str, data: bytes, sync: bool) -> None:
        with open(self._path(uid), "ab") as fh:
            fh.write(data)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())

    @contextlib.asynccontextmanager
    async def lock(self, uid: str) -> AsyncIterator[None]:
        """The upload's lock, its file made to match its recorded offset first."""
        async with super().lock(uid):
            self._pending.pop(uid, None)  # left by a request that failed half-way
            await asyncio.to_thread(self._match_offset, uid)
            yield

    def _match_offset(self, uid: str) -> None:
        info_path = Path(self._info_path(uid))
        path = Path(self._path(uid))
        if not info_path.is_file() or not path.is_file():
            return
        info = json.loads(info_path.read_text() or "{}")
        offset, size = int(info.get("offset") or 0), path.stat().st_size
        if size > offset:
            os.truncate(path, offset)
        elif size < offset:  # recorded bytes that never reached the disk: ask for them again
            info["offset"] = size
            tmp = info_path.with_suffix(".tmp")
            tmp.write_text(json.dumps(info))
            os.replace(tmp, info_path)
