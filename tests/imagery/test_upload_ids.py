"""Upload ids: one id names one file. Claimed before the file is stored, so another file under
the same id is refused first; a stored photo under the id answers a retry; a claim left by a
dead upload lapses after an hour. And the ingest's own check, for ids it is given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from imagery import upload_ids
from imagery.errors import UploadConflict
from imagery.ingest import IngestRequest
from imagery.schema import photos, upload_claims
from tests.imagery.images import jpeg

T0 = datetime(2022, 6, 1, 12, 0, tzinfo=UTC)
A, B = "a" * 64, "b" * 64


def _claim(engine, upload_id: str, sha: str, now: datetime = T0, **kw: object) -> int | None:  # noqa: ANN001
    with engine.begin() as conn:
        return upload_ids.claim(conn, upload_id, sha, now=now, **kw)


def test_a_claimed_id_refuses_another_file_until_released(layered) -> None:  # noqa: ANN001
    assert _claim(layered, "upload-0001", A) is None
    assert _claim(layered, "upload-0001", A) is None  # the same file again: a retry
    with pytest.raises(UploadConflict, match="^upload id upload-0001: already used for "
                                             "another file$"):
        _claim(layered, "upload-0001", B)
    with layered.begin() as conn:
        upload_ids.release(conn, "upload-0001", B)  # not B's claim: it stays
        assert conn.execute(sa.select(upload_claims.c.sha256)).scalars().all() == [A]
        upload_ids.release(conn, "upload-0001", A)
    assert _claim(layered, "upload-0001", B) is None


def test_a_claim_lapses_after_an_hour(layered) -> None:  # noqa: ANN001
    _claim(layered, "upload-0002", A)
    with pytest.raises(UploadConflict):
        _claim(layered, "upload-0002", B, now=T0 + timedelta(minutes=59))
    assert _claim(layered, "upload-0002", B, now=T0 + timedelta(minutes=61)) is None
    with pytest.raises(UploadConflict):
        _claim(layered, "upload-0002", A, now=T0 + timedelta(minutes=62))


def test_a_stored_photo_answers_for_its_id(run_ingest, ctx, files: Path) -> None:  # noqa: ANN001
    path = jpeg(files / "a.jpg", seed=31)
    [stored] = run_ingest(IngestRequest(path, upload_id="upload-0003"), user="wang")
    assert _claim(ctx.engine, "upload-0003", stored.sha256) == stored.id
    with pytest.raises(UploadConflict):
        _claim(ctx.engine, "upload-0003", B)
    hidden = photos.c.uploaded_by == "li"  # li may not see wang's photo: same answer as above
    with pytest.raises(UploadConflict, match="already used for another file"):
        _claim(ctx.engine, "upload-0003", stored.sha256, scope=hidden)


def test_the_ingest_answers_conflict_for_an_id_of_other_bytes(run_ingest,  # noqa: ANN001
                                                              files: Path) -> None:
    first, second = jpeg(files / "1.jpg", seed=32), jpeg(files / "2.jpg", seed=33)
    [stored] = run_ingest(IngestRequest(first, upload_id="upload-0004"))
    [again, other] = run_ingest(IngestRequest(first, upload_id="upload-0004"),
                                IngestRequest(second, upload_id="upload-0004"))
    assert (again.status, again.id) == ("duplicate", stored.id)
    assert (other.status, other.reason) == (
        "conflict", "upload id upload-0004: already used for another file")


def test_duplicates_and_look_alikes_only_among_photos_the_uploader_sees(
        run_ingest, files: Path) -> None:  # noqa: ANN001
    path = jpeg(files / "seen.jpg", seed=34)
    [wangs] = run_ingest(path, user="wang")
    own = photos.c.uploaded_by == "li"
    [lis] = run_ingest(path, user="li", scope=own)
    assert lis.status == "stored" and lis.id != wangs.id
    assert (lis.similar_to, "similar_to_earlier_photo" in lis.flags) == ([], False)
    [again] = run_ingest(path, user="li", scope=own)
    assert (again.status, again.id) == ("duplicate", lis.id)
    [leader] = run_ingest(path, user="leader")  # no scope: every photo
    assert (leader.status, leader.id) == ("duplicate", wangs.id)
