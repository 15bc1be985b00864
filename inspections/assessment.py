"""The closure assessment (销号评估) of an accepted case: the assessment group's conclusion
and its documents (PDF, DOCX, scanned images) kept in the file store by their SHA-256."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

import sqlalchemy as sa

from inspections.clock import aware
from inspections.errors import InvalidInput, NotFound
from inspections.schema import assessment_documents, case_assessments

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
MAX_CONCLUSION = 4000  # characters
MAX_DOCUMENTS = 20


@dataclass(frozen=True)
class Document:
    """A document as stored: its hash in the file store, the name it came with, its kind."""

    sha256: str
    name: str
    media_type: str
    size_bytes: int
    id: int | None = None


@dataclass(frozen=True)
class Assessment:
    """An assessment of a case: the conclusion, who gave it and when, its documents."""

    id: int
    case_id: int
    conclusion: str
    assessed_at: datetime
    assessed_by: str
    documents: tuple[Document, ...]


class BadDocument(InvalidInput):
    """A document is refused: `name` is the file, `reason` a code for messages in other
    languages (empty, too_large, old_word, not_docx, unknown)."""

    def __init__(self, name: str, reason: str, message: str) -> None:
        super().__init__(f"document {name!r}: {message}")
        self.name, self.reason = name, reason


def _is_docx(fh: BinaryIO) -> bool:
    try:
        fh.seek(0)
        with zipfile.ZipFile(fh) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def sniff(fh: BinaryIO, size: int, name: str, max_bytes: int) -> str:
    """The media type of an allowed document (`size` bytes in the seekable `fh`), from its
    bytes whatever it is called, or BadDocument saying why not."""
    if size == 0:
        raise BadDocument(name, "empty", "the file is empty")
    if size > max_bytes:
        raise BadDocument(name, "too_large", f"the file is {size} bytes, more than the "
                          f"{max_bytes} allowed")
    fh.seek(0)
    data = fh.read(16)
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise BadDocument(name, "old_word", "an old Word (.doc) file; save it as .docx or PDF")
    if data.startswith(b"PK\x03\x04"):
        if _is_docx(fh):
            return DOCX
        raise BadDocument(name, "not_docx", "a zip file that is not a Word (.docx) document")
    raise BadDocument(name, "unknown", "the bytes are not a PDF, DOCX, PNG, JPEG or TIFF "
                      f"(they begin {data[:8]!r}), whatever the file name says")


def sniff_bytes(data: bytes, name: str, max_bytes: int) -> str:
    """sniff() for bytes in memory."""
    return sniff(io.BytesIO(data), len(data), name, max_bytes)


def check_conclusion(reference: str, conclusion: str | None) -> str:
    """The conclusion stripped; InvalidInput when empty or too long."""
    text = (conclusion or "").strip()
    if not text:
        raise InvalidInput(f"case {reference}: conclusion must not be empty")
    if len(text) > MAX_CONCLUSION:
        raise InvalidInput(f"case {reference}: conclusion is longer than {MAX_CONCLUSION} "
                           "characters")
    return text


def _documents(conn: sa.Connection, assessment_ids: list[int]) -> dict[int, list[Document]]:
    d = assessment_documents
    found: dict[int, list[Document]] = {i: [] for i in assessment_ids}
    for r in conn.execute(sa.select(d).where(d.c.assessment_id.in_(assessment_ids))
                          .order_by(d.c.id)).mappings():
        found[r["assessment_id"]].append(Document(r["sha256"], r["name"], r["media_type"],
                                                  r["size_bytes"], r["id"]))
    return found


def assessments(conn: sa.Connection, case_id: int) -> list[Assessment]:
    """A case's assessments, oldest first (a reopened case is assessed again)."""
    a = case_assessments
    rows = conn.execute(sa.select(a).where(a.c.case_id == case_id).order_by(a.c.id)
                        ).mappings().all()
    docs = _documents(conn, [r["id"] for r in rows])
    return [Assessment(r["id"], r["case_id"], r["conclusion"], aware(r["assessed_at"]),
                       r["assessed_by"], tuple(docs[r["id"]])) for r in rows]


def latest(conn: sa.Connection, case_id: int) -> Assessment | None:
    """The case's latest assessment; None for a case never assessed (e.g. one publicised
    before assessments were recorded)."""
    found = assessments(conn, case_id)
    return found[-1] if found else None


ASSESSED_STATES = ("assessed", "publicised", "closed")


def current(conn: sa.Connection, case_id: int, state: str) -> Assessment | None:
    """The assessment in force for a case in `state`: its latest once the case is assessed
    (or publicised or closed after it); None before, also for a case reopened or accepted
    again, whose earlier assessment no longer holds."""
    return latest(conn, case_id) if state in ASSESSED_STATES else None


def latest_conclusions(conn: sa.Connection, case_ids: list[int]) -> dict[int, str]:
    """The latest conclusion of each of these cases that has one."""
    a = case_assessments
    if not case_ids:
        return {}
    rows = conn.execute(sa.select(a.c.case_id, a.c.conclusion)
                        .where(a.c.case_id.in_(case_ids)).order_by(a.c.id)).all()
    return {r.case_id: r.conclusion for r in rows}


def document(conn: sa.Connection, document_id: int) -> tuple[int, Document]:
    """A stored document and the id of its case; NotFound if there is none."""
    d, a = assessment_documents, case_assessments
    row = conn.execute(sa.select(d, a.c.case_id).join(a, a.c.id == d.c.assessment_id)
                       .where(d.c.id == document_id)).mappings().first()
    if row is None:
        raise NotFound(f"assessment document {document_id}: no such document")
    return row["case_id"], Document(row["sha256"], row["name"], row["media_type"],
                                    row["size_bytes"], row["id"])


def stored_hashes(conn: sa.Connection) -> set[str]:
    """The hashes of every assessment document (the store check keeps these files)."""
    return set(conn.execute(sa.select(assessment_documents.c.sha256).distinct()).scalars())
