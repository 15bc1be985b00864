"""Photos sent with a page's form (a review, an acceptance), stored through the upload path.
Called from plain (threaded) routes: reading and ingesting never run on the event loop."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from fastapi import UploadFile
from sqlalchemy.engine import Engine

from imagery.store import Store
from inspections.clock import Clock
from web.accounts.users import User
from web.services.uploads import Upload, UploadOptions, upload_photo


def _copy(upload: UploadFile, store: Store) -> Path:
    """The form's file copied into the store's scratch folder (the form parser spooled it
    elsewhere), where the analysis can read it."""
    fd, name = tempfile.mkstemp(prefix="upload-", dir=store.scratch_dir())
    with open(fd, "wb") as out:
        upload.file.seek(0)
        shutil.copyfileobj(upload.file, out, 1024 * 1024)
    return Path(name)


def store_form_photos(files: list[UploadFile] | None, *, engine: Engine,
                      store: Store, clock: Clock, user: User,
                      options: UploadOptions) -> list[int]:
    """Store each non-empty file the form sent; their photo ids (a bad file raises)."""
    ids = []
    for upload in files or []:
        path = _copy(upload, store)
        try:
            if path.stat().st_size:
                stored = upload_photo(engine, store, clock, user,
                                      Upload(upload.filename or "photo", path),
                                      options)
                ids.append(stored["photo"]["id"])
        finally:
            path.unlink(missing_ok=True)
    return ids
