"""The closure assessment's documents (销号评估材料): checked from their bytes, size-limited
like other uploads, kept in the file store by SHA-256, and served through the case's access
check. Called from plain (threaded) routes: nothing here runs on the event loop."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

import sqlalchemy as sa
from fastapi.responses import StreamingResponse

from imagery.store import Store
from imagery.store.hashing import sha256_of_file
from inspections.assessment import MAX_DOCUMENTS, Document, document, sniff
from inspections.errors import InvalidInput, NotFound
from web.accounts.users import User
from web.services.records import case_for
from web.services.uploads import original_name

HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=3600"}


@dataclass(frozen=True)
class Incoming:
    """A document as sent: the name it came with and its bytes in a readable file."""

    name: str
    file: BinaryIO


def _copy(incoming: Incoming, store: Store) -> Path:
    fd, name = tempfile.mkstemp(prefix="document-", dir=store.scratch_dir())
    with open(fd, "wb") as out:
        incoming.file.seek(0)
        shutil.copyfileobj(incoming.file, out, 1024 * 1024)
    return Path(name)


def _checked(path: Path, name: str, max_bytes: int) -> Document:
    size = path.stat().st_size
    with path.open("rb") as fh:
        media_type = sniff(fh, size, name, max_bytes)
    return Document(sha256_of_file(path), name, media_type, size)


def store_documents(sent: Iterable[Incoming], *, store: Store, max_bytes: int
                    ) -> list[Document]:
    """Check every document, then store them all (none if one is refused: BadDocument names
    it and why); what the assessment records."""
    copies: list[tuple[Path, Document]] = []
    try:
        for incoming in sent:
            if len(copies) >= MAX_DOCUMENTS:
                raise InvalidInput(f"documents: more than {MAX_DOCUMENTS}")
            path = _copy(incoming, store)
            copies.append((path, _checked(path, original_name(incoming.name), max_bytes)))
        for path, doc in copies:
            if not store.touch(doc.sha256):  # touched: the store check sees it in use
                store.put_path(doc.sha256, path)
        return [doc for _, doc in copies]
    finally:
        for path, _ in copies:
            path.unlink(missing_ok=True)


def from_form(files: Iterable[object] | None) -> list[Incoming]:
    """The form's files that were chosen (a file input left empty sends a nameless part)."""
    found = []
    for upload in files or []:
        name = getattr(upload, "filename", None) or ""
        fh = getattr(upload, "file", None)
        if fh is None or (not name and not _has_bytes(fh)):
            continue
        found.append(Incoming(name or "document", fh))
    return found


def _has_bytes(fh: BinaryIO) -> bool:
    fh.seek(0)
    data = fh.read(1)
    fh.seek(0)
    return bool(data)


def visible_document(conn: sa.Connection, user: User, reference: str,
                     document_id: int) -> Document:
    """A document of the case's assessments, if the user may see the case (else NotFound)."""
    case = case_for(conn, user, reference)
    case_id, doc = document(conn, document_id)
    if case_id != case.id:
        raise NotFound(f"case {reference}: no assessment document {document_id}")
    return doc


def document_response(store: Store, doc: Document) -> StreamingResponse:
    """The stored document, downloaded under the name it came with."""
    opened = store.open(doc.sha256)
    disposition = f"attachment; filename*=UTF-8''{quote(doc.name)}"
    return StreamingResponse(opened.chunks(), media_type=doc.media_type, headers={
        **HEADERS, "Content-Disposition": disposition, "Content-Length": str(opened.size)})

