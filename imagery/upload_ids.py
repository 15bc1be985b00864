"""Client-made upload ids (ODK Central's rule): one id names one file. The same id with the
same bytes is the same photo; with other bytes it is a conflict, refused before anything of
the file is stored. An id is claimed while its file is being analysed, so two files sent
under one id at once cannot both get as far as the store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from imagery.errors import UploadConflict
from imagery.schema import photos, upload_claims

# A claim this old belongs to an upload that died half-way (a killed server): it lapses.
CLAIM_LIFETIME = timedelta(hours=1)


def _conflict(upload_id: str) -> UploadConflict:
    # One message for every case, so it reveals nothing about whose the id is.
    return UploadConflict(f"upload id {upload_id}: already used for another file")


def claim(conn: sa.Connection, upload_id: str, sha256: str, *, now: datetime,
          scope: sa.ColumnElement[bool] | None = None) -> int | None:
    """Take the id for a file with this hash, in the caller's (writing) transaction.

    The photo already stored under the id when it is this file and the uploader may see it
    (`scope`; None: any photo); None when the id is now claimed for this file; UploadConflict
    when the id names another file, or a photo the uploader may not see."""
    now = now.astimezone(UTC)  # SQLite keeps no offset: claims are kept in UTC
    stored = conn.execute(sa.select(photos.c.id, photos.c.sha256)
                          .where(photos.c.upload_id == upload_id)).first()
    if stored is not None:
        visible = scope is None or conn.execute(
            sa.select(photos.c.id).where(photos.c.id == stored.id, scope)).first() is not None
        if stored.sha256 != sha256 or not visible:
            raise _conflict(upload_id)
        return stored.id
    held = conn.execute(sa.select(upload_claims).where(
        upload_claims.c.upload_id == upload_id)).mappings().first()
    if held is None:
        conn.execute(sa.insert(upload_claims).values(upload_id=upload_id, sha256=sha256,
                                                     claimed_at=now))
    elif held["sha256"] == sha256:
        pass  # a retry while the first try is still under way: the ingest settles the two
    elif _lapsed(held["claimed_at"], now):
        conn.execute(sa.update(upload_claims).where(upload_claims.c.upload_id == upload_id)
                     .values(sha256=sha256, claimed_at=now))
    else:
        raise _conflict(upload_id)
    return None


def _lapsed(claimed_at: datetime, now: datetime) -> bool:
    if claimed_at.tzinfo is None:
        claimed_at = claimed_at.replace(tzinfo=UTC)
    return now - claimed_at > CLAIM_LIFETIME


def release(conn: sa.Connection, upload_id: str, sha256: str) -> None:
    """Let go of a claim once its upload is over (stored: the photo now holds the id;
    refused: the id is free for the file the client sends next). A claim another file has
    taken over since (this one's lapsed) stays."""
    conn.execute(sa.delete(upload_claims).where(upload_claims.c.upload_id == upload_id,
                                                upload_claims.c.sha256 == sha256))
