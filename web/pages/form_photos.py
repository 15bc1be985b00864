"""Photos sent with a page's form (a review, an acceptance), stored through the upload path.
Called from plain (threaded) routes: reading and ingesting never run on the event loop."""

from __future__ import annotations

from fastapi import UploadFile
from sqlalchemy.engine import Engine

from imagery.store import FileStore
from inspections.clock import Clock
from web.accounts.users import User
from web.services.uploads import Upload, upload_photo


def store_form_photos(files: list[UploadFile] | None, *, engine: Engine,
                            store: FileStore, clock: Clock, user: User) -> list[int]:
    """Store each non-empty file the form sent; their photo ids (a bad file raises)."""
    ids = []
    for upload in files or []:
        data = upload.file.read()
        if data:
            stored = upload_photo(engine, store, clock, user,
                                  Upload(upload.filename or "photo", data))
            ids.append(stored["photo"]["id"])
    return ids
