"""The store check: planted orphans and temporaries found and removed, a photo whose file is
gone reported (never deleted), a file shared by two photos counted once, and anything young
left alone (it may belong to an ingest under way)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import sqlalchemy as sa

from imagery.schema import photos
from imagery.store import sha256_of
from imagery.store_check import check_store, remove_temporaries, repair, temporaries
from tests.imagery.images import jpeg

HOUR = 3600


def _age(path: Path, seconds: float) -> Path:
    """Make a file (or folder) look `seconds` old."""
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def _planted(path: Path, data: bytes = b"half-written", seconds: float = 2 * HOUR) -> Path:
    """A file left behind `seconds` ago."""
    path.write_bytes(data)
    return _age(path, seconds)


def _kinds(findings: list) -> list[tuple[str, str]]:
    return sorted((f.kind, f.path) for f in findings)


def test_a_clean_store_has_no_findings(run_ingest, ctx, files: Path) -> None:  # noqa: ANN001
    [result] = run_ingest(jpeg(files / "a.jpg", seed=1))
    with ctx.engine.connect() as conn:
        report = check_store(conn, ctx.store)
    assert report.findings == []
    assert (report.originals, report.photos) == (1, 1)
    assert report.files == 2  # the original and its 256 px thumbnail
    assert result.status == "stored"


def test_a_planted_orphan_and_temporary_are_found_and_removed(run_ingest, ctx,  # noqa: ANN001
                                                              files: Path) -> None:
    run_ingest(jpeg(files / "kept.jpg", seed=2))
    data = b"bytes no photo names"
    orphan = _age(ctx.store.put(sha256_of(data), data), 2 * HOUR)
    scratch = ctx.store.scratch_dir()
    temporary = _planted(scratch / ".tmp-abc123")
    upload = scratch / "upload-x1y2"
    upload.mkdir()
    _planted(upload / "upload")
    _age(upload, 2 * HOUR)
    beside = _planted(orphan.parent / ".tmp-half-written")
    with ctx.engine.connect() as conn:
        report = check_store(conn, ctx.store)
    root = ctx.store.root
    assert _kinds(report.findings) == sorted([
        ("orphan_file", str(orphan.relative_to(root))),
        ("temporary", str(temporary.relative_to(root))),
        ("temporary", str(upload.relative_to(root))),
        ("temporary", str(beside.relative_to(root)))])
    repaired = repair(ctx.store, report.findings)
    assert all(f.repaired for f in repaired)
    assert not orphan.exists() and not temporary.exists() and not upload.exists()
    assert not beside.exists()
    with ctx.engine.connect() as conn:
        assert check_store(conn, ctx.store).findings == []


def test_young_files_belong_to_work_under_way_and_stay(run_ingest, ctx,  # noqa: ANN001
                                                       files: Path) -> None:
    data = b"just committed, its row not yet written"
    orphan = ctx.store.put(sha256_of(data), data)
    writing = ctx.store.scratch_dir() / ".tmp-being-written"
    writing.write_bytes(b"half")
    with ctx.engine.connect() as conn:
        assert check_store(conn, ctx.store).findings == []
    assert remove_temporaries(ctx.store) == 0
    assert orphan.exists() and writing.exists()


def test_an_orphan_used_again_before_repair_is_kept(ctx) -> None:  # noqa: ANN001
    data = b"found orphaned, then ingested again"
    orphan = _age(ctx.store.put(sha256_of(data), data), 2 * HOUR)
    with ctx.engine.connect() as conn:
        report = check_store(conn, ctx.store)
    assert [f.kind for f in report.findings] == ["orphan_file"]
    ctx.store.put(sha256_of(data), data)  # an ingest finds it stored: touched, kept
    [finding] = repair(ctx.store, report.findings)
    assert not finding.repaired and orphan.exists()


def test_a_photo_without_its_file_is_reported_not_deleted(run_ingest, ctx,  # noqa: ANN001
                                                          files: Path) -> None:
    [result] = run_ingest(jpeg(files / "lost.jpg", seed=3))
    ctx.store.path(result.sha256).unlink()
    with ctx.engine.connect() as conn:
        report = check_store(conn, ctx.store)
    [missing] = report.findings
    assert (missing.kind, missing.sha256, missing.photo_ids) == (
        "missing_file", result.sha256, [result.id])
    [after] = repair(ctx.store, report.findings)
    assert not after.repaired
    with ctx.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(photos)).scalar_one() == 1


def test_a_file_shared_by_two_photos_counts_once(ctx, run_ingest,  # noqa: ANN001
                                                 files: Path) -> None:
    path = jpeg(files / "shared.jpg", seed=4)
    [first] = run_ingest(path, user="wang")
    nobody = photos.c.uploaded_by == "nobody-sees-wang"
    [second] = run_ingest(path, user="li", scope=nobody)
    assert (first.status, second.status) == ("stored", "stored")
    assert first.id != second.id and first.sha256 == second.sha256
    with ctx.engine.connect() as conn:
        report = check_store(conn, ctx.store)
    assert report.findings == []
    assert (report.originals, report.photos) == (1, 2)
    ctx.store.path(first.sha256).unlink()
    with ctx.engine.connect() as conn:
        [missing] = check_store(conn, ctx.store).findings
    assert missing.photo_ids == [first.id, second.id]


def test_temporaries_lists_only_stale_ones(ctx) -> None:  # noqa: ANN001
    old = _planted(ctx.store.scratch_dir() / "a.tif", seconds=HOUR + 60)
    _planted(ctx.store.scratch_dir() / "b.tif", seconds=HOUR - 60)
    assert [f.path for f in temporaries(ctx.store)] == [str(old.relative_to(ctx.store.root))]
    assert remove_temporaries(ctx.store) == 1
    assert sorted(p.name for p in ctx.store.scratch_dir().iterdir()) == ["b.tif"]
