"""Ingesting field photos: store, locate, georeference, flag; duplicates and similar photos."""

from __future__ import annotations

import io
from pathlib import Path

import sqlalchemy as sa
from PIL import Image

from imagery import photos
from imagery.georef import Georeferencer
from imagery.ingest import IngestRequest
from imagery.schema import photo_sites
from imagery.store import sha256_of
from imagery.thumbs import thumbnail
from tests.imagery.images import exif_bytes, heic, jpeg, png, tiff_photo

# 0.0009 deg east of (121.405, 28.7) is E2 at 87.95 m; E1 is 99.75 m north.
NEAR_E2 = dict(lon=121.405, lat=28.7)


def test_field_photo_is_stored_located_and_linked(run_ingest, ctx, files: Path) -> None:  # noqa: ANN001
    path = jpeg(files / "a.jpg", exif=exif_bytes(**NEAR_E2))
    [result] = run_ingest(path)
    assert result.status == "stored"
    assert (result.kind, result.location_source) == ("field", "exif")
    assert (round(result.lon, 6), round(result.lat, 6)) == (121.405, 28.7)
    assert result.taken_at == "2022-05-01T10:00:00+08:00"
    assert result.grid_cell == {"code": "C1", "name": "海门街道第01网格", "town": "海门街道"}
    assert [(s["code"], s["distance_m"]) for s in result.near_sites] == [("E2", 87.95),
                                                                          ("E1", 99.75)]
    assert result.flags == []
    assert result.sha256 == sha256_of(path.read_bytes())
    assert ctx.store.read(result.sha256) == path.read_bytes()  # byte for byte
    with ctx.engine.connect() as conn:
        assert [r["relation"] for r in photos.site_links(conn, result.id)] == ["near", "near"]


def test_thumbnails_are_small_upright_and_stripped(run_ingest, ctx, files: Path) -> None:  # noqa: ANN001
    # Orientation 6: the camera was turned; the stored 640x480 pixels display as 480x640.
    path = jpeg(files / "r.jpg", exif=exif_bytes(**NEAR_E2, orientation=6))
    [result] = run_ingest(path)
    assert not ctx.store.has(result.sha256, "1024.jpg")  # made on first use
    for size in (1024, 256):
        thumb = Image.open(io.BytesIO(thumbnail(ctx.store, result.sha256, size, kind="field")))
        assert thumb.size == ((480, 640) if size == 1024 else (192, 256))
        assert not thumb.getexif()
        assert "exif" not in thumb.info and "icc_profile" not in thumb.info
    assert ctx.store.has(result.sha256, "1024.jpg")


def test_same_bytes_again_is_a_duplicate(run_ingest, ctx, files: Path) -> None:  # noqa: ANN001
    path = jpeg(files / "a.jpg", exif=exif_bytes(**NEAR_E2))
    first, again = run_ingest(path, path)
    assert again.status == "duplicate"
    assert again.id == first.id
    assert "already stored as photo" in again.reason
    originals = list((ctx.store.root / "originals").rglob("*"))
    assert len([p for p in originals if p.is_file()]) == 1
    with ctx.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM photos")).scalar() == 1


def test_same_picture_saved_again_is_flagged_similar(run_ingest, files: Path) -> None:  # noqa: ANN001
    first = jpeg(files / "a.jpg", seed=11, exif=exif_bytes(**NEAR_E2), quality=90)
    resaved = jpeg(files / "b.jpg", seed=11, exif=exif_bytes(**NEAR_E2), quality=60)
    other = jpeg(files / "c.jpg", seed=12, exif=exif_bytes(**NEAR_E2))
    a, b, c = run_ingest(first, resaved, other)
    assert b.status == "stored"
    assert b.similar_to == [a.id]
    assert "similar_to_earlier_photo" in b.flags
    assert c.similar_to == []


def test_photo_without_location_needs_one_until_pinned(run_ingest, ctx, files: Path) -> None:  # noqa: ANN001
    [result] = run_ingest(jpeg(files / "n.jpg", exif=exif_bytes()))
    assert (result.location_source, result.lon, result.grid_cell) == ("none", None, None)
    assert result.flags == ["needs_location"]
    with ctx.engine.begin() as conn:
        georef = Georeferencer.from_connection(conn).locate(121.415, 28.708)
        photos.set_location(conn, result.id, 121.415, 28.708, georef=georef)
    with ctx.engine.connect() as conn:
        row = photos.get_photo(conn, result.id)
        assert (row["location_source"], row["flags"]) == ("manual", [])
        assert conn.execute(sa.select(photo_sites.c.relation)).scalars().all() == []  # 221 m


def test_gps_zero_zero_is_no_location(run_ingest, files: Path) -> None:  # noqa: ANN001
    [result] = run_ingest(jpeg(files / "z.jpg", exif=exif_bytes(lon=0.0, lat=0.0)))
    assert result.location_source == "none"
    assert "needs_location" in result.flags


def test_device_location_used_and_checked(run_ingest, files: Path) -> None:  # noqa: ANN001
    plain = jpeg(files / "d.jpg", seed=21, exif=exif_bytes())
    tagged = jpeg(files / "e.jpg", seed=22, exif=exif_bytes(**NEAR_E2))
    # 0.003 deg north of the EXIF position: 332.5 m away.
    device_only, far = run_ingest(IngestRequest(plain, device=(121.405, 28.7)),
                                  IngestRequest(tagged, device=(121.405, 28.703)))
    assert device_only.location_source == "device"
    assert device_only.grid_cell["code"] == "C1"
    assert far.location_source == "exif"
    assert "device_far_from_exif: 332 m" in far.flags


def test_manual_pin_wins(run_ingest, files: Path) -> None:  # noqa: ANN001
    path = jpeg(files / "m.jpg", exif=exif_bytes(**NEAR_E2))
    [result] = run_ingest(IngestRequest(path, manual=(121.435, 28.695)))
    assert (result.location_source, result.grid_cell["code"]) == ("manual", "C3")


def test_future_time_and_outside_grid_are_flagged(run_ingest, files: Path) -> None:  # noqa: ANN001
    path = jpeg(files / "f.jpg", exif=exif_bytes(lon=121.425, lat=28.695,
                                                   taken="2030:01:01 08:00:00"))
    [result] = run_ingest(path)
    assert result.flags == ["outside_grid", "time_in_future"]


def test_time_without_offset_is_marked(run_ingest, files: Path) -> None:  # noqa: ANN001
    [result] = run_ingest(jpeg(files / "t.jpg", exif=exif_bytes(**NEAR_E2, offset=None)))
    assert result.taken_at == "2022-05-01T10:00:00+08:00"  # read in the context's zone
    assert "time_without_offset" in result.flags


def test_heic_png_and_plain_tiff_photos(run_ingest, files: Path) -> None:  # noqa: ANN001
    results = run_ingest(heic(files / "i.heic", exif=exif_bytes(**NEAR_E2)),
                         png(files / "p.png"), tiff_photo(files / "t.tif"))
    assert [(r.status, r.kind) for r in results] == [("stored", "field")] * 3
    assert results[0].location_source == "exif"
    assert results[0].grid_cell["code"] == "C1"
    assert [r.location_source for r in results[1:]] == ["none", "none"]


def test_folders_are_walked(files: Path) -> None:
    from imagery.ingest import collect_paths

    (files / "sub").mkdir()
    jpeg(files / "sub" / "b.jpg")
    jpeg(files / "a.jpg")
    (files / ".hidden.jpg").write_bytes(b"x")
    assert [p.name for p in collect_paths([files])] == ["a.jpg", "b.jpg"]


def test_photo_time_is_stored_as_the_same_instant(run_ingest, ctx, files: Path) -> None:  # noqa: ANN001
    from datetime import UTC, datetime

    [result] = run_ingest(jpeg(files / "t.jpg", exif=exif_bytes(**NEAR_E2)))
    with ctx.engine.connect() as conn:
        stored = photos.get_photo(conn, result.id)["taken_at"]
    stored = stored if stored.tzinfo else stored.replace(tzinfo=UTC)  # SQLite: naive UTC
    assert stored == datetime(2022, 5, 1, 2, 0, tzinfo=UTC)  # 10:00 at +08:00
