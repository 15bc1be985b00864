"""The body of an upload, streamed into a temporary folder in the store: its bytes counted as
they arrive (refused with 413 once past the limit, or at once when Content-Length says so),
parsed and written a block at a time in a worker thread, never held whole in memory."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import anyio.to_thread
from python_multipart import MultipartParser
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import parse_options_header
from starlette.requests import ClientDisconnect, Request

from imagery.errors import FileTooLarge
from imagery.store import Store
from inspections.errors import InvalidInput

FILE_FIELD = "file"
FORM_ALLOWANCE = 64 * 1024  # the form's other fields and the multipart framing
FIELD_LIMIT = 8 * 1024  # one text field
MB = 1024 * 1024
HANDOVER = MB  # bytes gathered before the parser (in a thread) takes them
NOT_MULTIPART = ("the body must be multipart/form-data, with the photo in a part named "
                 f"{FILE_FIELD!r}")


@dataclass
class Received:
    """An upload's form: the file (where it was written, under what name) and the fields."""

    folder: Path
    path: Path | None = None
    filename: str | None = None
    size: int = 0
    fields: dict[str, str] = field(default_factory=dict)


def megabytes(limit: int) -> str:
    """A limit as people say it: whole megabytes, else bytes."""
    if limit % MB == 0:
        return f"{limit // MB:,} MB"
    return f"{limit:,} bytes"


def check_declared_length(request: Request, limit: int) -> None:
    """FileTooLarge when the request says up front that its body is over the limit."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + FORM_ALLOWANCE:
        raise FileTooLarge("the upload", f"its Content-Length of {int(declared):,} bytes is "
                                         f"more than the {megabytes(limit)} allowed")


class _Form:
    """The parser's callbacks: the file part to disk, the other parts to short strings."""

    def __init__(self, received: Received, limit: int) -> None:
        self.received, self.limit = received, limit
        self.header, self.value, self.headers = bytearray(), bytearray(), {}
        self.name: str | None = None
        self.out: BinaryIO | None = None
        self.text = bytearray()
        self.ended = False

    def callbacks(self) -> dict:
        """The callbacks, by the names python-multipart calls them."""
        return {"on_part_begin": self.part_begin, "on_header_field": self.header_field,
                "on_header_value": self.header_value, "on_header_end": self.header_end,
                "on_headers_finished": self.headers_finished, "on_part_data": self.data,
                "on_part_end": self.part_end, "on_end": self.end}

    def part_begin(self) -> None:
        """A new part: no headers yet."""
        self.headers, self.name, self.text = {}, None, bytearray()

    def header_field(self, data: bytes, start: int, end: int) -> None:
        """Part of a header's name."""
        self.header += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        """Part of a header's value."""
        self.value += data[start:end]

    def header_end(self) -> None:
        """One header complete."""
        self.headers[bytes(self.header).lower()] = bytes(self.value)
        self.header, self.value = bytearray(), bytearray()

    def headers_finished(self) -> None:
        """The part's name and, for the file, where its bytes go."""
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        self.name = options.get(b"name", b"").decode("utf-8", "replace")
        if self.name != FILE_FIELD:
            return
        if self.received.path is not None:
            raise InvalidInput(f"{FILE_FIELD}: send one file per request")
        filename = options.get(b"filename")
        self.received.filename = filename.decode("utf-8", "replace") if filename else None
        self.received.path = self.received.folder / "upload"
        self.out = open(self.received.path, "wb")  # noqa: SIM115 (closed at the part's end)

    def data(self, data: bytes, start: int, end: int) -> None:
        """Bytes of the current part."""
        if self.out is not None:
            self.received.size += end - start
            if self.received.size > self.limit:
                raise FileTooLarge(self.received.filename or FILE_FIELD,
                                   f"larger than the {megabytes(self.limit)} allowed")
            self.out.write(memoryview(data)[start:end])  # no copy of the block
        elif self.name:
            self.text += data[start:end]
            if len(self.text) > FIELD_LIMIT:
                raise InvalidInput(f"{self.name}: longer than the {FIELD_LIMIT:,} bytes "
                                   "allowed for a field")

    def part_end(self) -> None:
        """The part is complete: close the file, or keep the field's text."""
        if self.out is not None:
            self.out.close()
            self.out = None
        elif self.name:
            self.received.fields[self.name] = self.text.decode("utf-8", "replace")

    def end(self) -> None:
        """The closing boundary was read."""
        self.ended = True

    def close(self) -> None:
        """Close the file if the body stopped half-way through it."""
        if self.out is not None:
            self.out.close()


def _boundary(request: Request) -> bytes:
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise InvalidInput(NOT_MULTIPART)
    return boundary


async def _feed(request: Request, parser: MultipartParser, limit: int) -> None:
    """Count the body's bytes as they come; hand them to the parser a block at a time."""
    total, pending, size = 0, [], 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit + FORM_ALLOWANCE:
            raise FileTooLarge("the upload", f"its body is more than the {megabytes(limit)} "
                                             "allowed")
        pending.append(chunk)
        size += len(chunk)
        if size >= HANDOVER:
            await anyio.to_thread.run_sync(parser.write, b"".join(pending))
            pending, size = [], 0
    if pending:
        await anyio.to_thread.run_sync(parser.write, b"".join(pending))


async def _receive(request: Request, received: Received, limit: int) -> None:
    form = _Form(received, limit)
    try:
        parser = MultipartParser(_boundary(request), form.callbacks())
        await _feed(request, parser, limit)
        await anyio.to_thread.run_sync(parser.finalize)
    except FormParserError as exc:
        raise InvalidInput(f"{NOT_MULTIPART} ({exc})") from exc
    except ClientDisconnect as exc:
        raise InvalidInput("the upload was cut off before its end") from exc
    finally:
        form.close()
    if not form.ended:
        raise InvalidInput(f"{NOT_MULTIPART}; it ended before its closing boundary")
    if received.path is None:
        raise InvalidInput(f"{FILE_FIELD}: Field required")


@asynccontextmanager
async def received_upload(request: Request, store: Store,
                          limit: int) -> AsyncIterator[Received]:
    """The request's form, its file in a temporary folder of the store that is removed when
    the block ends (a crash leaves it to `lookback serve`'s clean-up or the store check)."""
    check_declared_length(request, limit)
    folder = Path(await anyio.to_thread.run_sync(_make_folder, store))
    try:
        received = Received(folder)
        await _receive(request, received, limit)
        yield received
    finally:
        await anyio.to_thread.run_sync(shutil.rmtree, folder, True)


def _make_folder(store: Store) -> str:
    return tempfile.mkdtemp(prefix="upload-", dir=store.scratch_dir())
