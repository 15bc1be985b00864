"""Bad files are rejected with a reason; the batch goes on and nothing else is affected."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from imagery.limits import Limits
from imagery.store import FileStore
from tests.imagery.images import exif_bytes, jpeg, png_claiming, with_xmp

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:drone-dji="http://www.dji.com/drone-dji/1.0/" drone-dji:GpsLatitude="&lol2;"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


def _good(files: Path) -> Path:
    return jpeg(files / "good.jpg", seed=99, exif=exif_bytes(lon=121.405, lat=28.7))


def rejected_reason(run_ingest, files: Path, bad: Path, **changes: object) -> str:  # noqa: ANN001
    """Ingest the bad file between two good ones; the batch must go on."""
    first, result, last = run_ingest(_good(files), bad, _good(files), **changes)
    assert (first.status, result.status, last.status) == ("stored", "rejected", "duplicate")
    assert result.file == str(bad)
    return result.reason


def test_bytes_that_are_not_an_image(run_ingest, files: Path) -> None:  # noqa: ANN001
    bad = files / "photo.jpg"
    bad.write_bytes(b"%PDF-1.7 not a photo")
    assert "not a JPEG, PNG, TIFF or HEIC/HEIF image" in rejected_reason(run_ingest, files, bad)


def test_empty_file(run_ingest, files: Path) -> None:  # noqa: ANN001
    bad = files / "empty.jpg"
    bad.write_bytes(b"")
    assert rejected_reason(run_ingest, files, bad) == "the file is empty"


@pytest.mark.parametrize(("width", "height"), [(12_000, 10_000), (20_000, 20_000)])
def test_more_pixels_than_the_limit(run_ingest, files: Path, width: int,  # noqa: ANN001
                                    height: int) -> None:
    """The header's size is checked before anything is decoded (the PNG holds 8 x 8 px)."""
    bad = png_claiming(files / "flood.png", width, height)
    assert rejected_reason(run_ingest, files, bad) == (
        f"is {width} x {height} = {width * height:,} pixels, more than the 100,000,000 "
        "allowed for photos")


def test_the_photo_limit_is_the_callers(run_ingest, files: Path) -> None:  # noqa: ANN001
    bad = png_claiming(files / "big.png", 3_000, 2_000)
    reason = rejected_reason(run_ingest, files, bad, limits=Limits(max_photo_pixels=5_000_000))
    assert reason == "is 3000 x 2000 = 6,000,000 pixels, more than the 5,000,000 allowed for photos"


def test_pillow_refuses_a_flood_past_its_own_backstop(run_ingest, files: Path) -> None:  # noqa: ANN001
    """Above Pillow's own guard (1 gigapixel) the open itself refuses, whatever our limit."""
    bad = png_claiming(files / "flood.png", 40_000, 40_000)
    reason = rejected_reason(run_ingest, files, bad,
                             limits=Limits(max_photo_pixels=4_000_000_000))
    assert reason.startswith("pixel flood: ")


def test_truncated_jpeg(run_ingest, files: Path) -> None:  # noqa: ANN001
    whole = jpeg(files / "whole.jpg", seed=5, size=(1600, 1200)).read_bytes()
    bad = files / "cut.jpg"
    bad.write_bytes(whole[: len(whole) // 2])
    assert "truncated or corrupt" in rejected_reason(run_ingest, files, bad)


def test_malformed_exif(run_ingest, files: Path) -> None:  # noqa: ANN001
    good = jpeg(files / "x.jpg", seed=6, exif=exif_bytes(lon=121.4, lat=28.7)).read_bytes()
    start = good.index(b"Exif\x00\x00") + 6
    bad = files / "badexif.jpg"
    # An IFD offset pointing far past the end of the EXIF block.
    bad.write_bytes(good[:start + 4] + b"\xff\xff\xff\x7f" + good[start + 8:])
    reason = rejected_reason(run_ingest, files, bad)
    assert "malformed EXIF" in reason or "corrupt" in reason


def test_xml_entity_tricks_in_xmp(run_ingest, files: Path) -> None:  # noqa: ANN001
    bad = files / "laughs.jpg"
    bad.write_bytes(with_xmp(jpeg(files / "y.jpg", seed=7).read_bytes(), BILLION_LAUGHS))
    assert "malformed XMP metadata" in rejected_reason(run_ingest, files, bad)


def test_unknown_kind(run_ingest, files: Path) -> None:  # noqa: ANN001
    [result] = run_ingest(_good(files), kind="satellite")
    assert result.status == "rejected"
    assert "kind 'satellite' is unknown" in result.reason


def test_jpeg_given_as_orthophoto(run_ingest, files: Path) -> None:  # noqa: ANN001
    [result] = run_ingest(_good(files), kind="orthophoto")
    assert "an orthophoto must be a GeoTIFF" in result.reason


def test_missing_file(run_ingest, files: Path) -> None:  # noqa: ANN001
    [result] = run_ingest(files / "nowhere.jpg")
    assert (result.status, result.reason) == ("rejected", "not a regular file")


def test_rejected_files_leave_nothing_behind(run_ingest, ctx, files: Path) -> None:  # noqa: ANN001
    bad = files / "cut.jpg"
    bad.write_bytes(jpeg(files / "w.jpg", seed=8).read_bytes()[:500])
    [result] = run_ingest(bad)
    assert result.status == "rejected"
    assert not (ctx.store.root / "originals").exists()
    with ctx.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM photos")).scalar() == 0


def test_a_failed_write_leaves_no_half_file(tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    sha = "ab" * 32
    with pytest.raises(TypeError):
        store.put(sha, "not bytes")  # type: ignore[arg-type]
    assert not store.has(sha)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
