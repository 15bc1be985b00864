"""The store in S3-compatible object storage, against a real SeaweedFS server: originals stored,
read and streamed; a duplicate put leaves the object as it is; photos and an orthophoto
ingested with their thumbnails; orthophoto tiles read with ranged requests (/vsis3/), never a
whole download; the store check deletes nothing a photo names; and a store that cannot be
used says why."""

from __future__ import annotations

import io
import logging
import uuid
from dataclasses import replace
from pathlib import Path

import morecantile
import pytest
from PIL import Image

from imagery.errors import StoreUnavailable
from imagery.ingest import IngestContext
from imagery.ortho.render import tile_png
from imagery.store import RemoteRaster, commit, object_name, sha256_of, stage
from imagery.store.s3 import S3Config, S3Store
from imagery.store_check import check_store, repair
from imagery.thumbs import thumbnail
from tests.imagery.images import exif_bytes, jpeg
from tests.imagery.rasters import write_geotiff
from tests.s3 import S3Server, free_ports

WEB_MERCATOR = morecantile.tms.get("WebMercatorQuad")
pytestmark = pytest.mark.filterwarnings("ignore:Use `@` matmul:PendingDeprecationWarning")


def _store(server: S3Server, scratch: Path, **changes: str) -> S3Store:
    config = S3Config(server.bucket, server.new_prefix(), server.endpoint,
                      server.access_key, server.secret_key, server.region)
    return S3Store(replace(config, **changes), scratch)


@pytest.fixture
def s3_store(s3_server: S3Server, tmp_path: Path) -> S3Store:
    """A store in a fresh bucket, under a prefix; work files in tmp_path."""
    return _store(s3_server, tmp_path / "data")


@pytest.fixture
def s3_ctx(ctx: IngestContext, s3_store: S3Store) -> IngestContext:
    """The layered ingest context with its files in the object store."""
    return replace(ctx, store=s3_store)


def _keys(store: S3Store) -> list[str]:
    answer = store.client.list_objects_v2(Bucket=store.config.bucket,
                                          Prefix=store.config.prefix + "/")
    return sorted(o["Key"] for o in answer.get("Contents", []))


def test_an_original_is_stored_read_and_streamed(s3_store: S3Store) -> None:
    data = bytes(range(256)) * 9000  # 2.3 MB: streamed in blocks
    sha = sha256_of(data)
    assert not s3_store.has(sha)
    s3_store.put(sha, data)
    assert s3_store.has(sha) and s3_store.read(sha) == data
    assert _keys(s3_store) == [f"{s3_store.config.prefix}/{object_name(sha)}"]
    opened = s3_store.open(sha)
    blocks = list(opened.chunks(block=1024 * 1024))
    assert opened.size == len(data) and b"".join(blocks) == data and len(blocks) == 3
    with pytest.raises(FileNotFoundError):
        s3_store.open(sha256_of(b"never stored"))


def test_a_duplicate_put_leaves_the_object_and_marks_it_used(s3_store: S3Store) -> None:
    data = b"the same bytes twice"
    sha = sha256_of(data)
    s3_store.put(sha, data)
    before = s3_store.stat(object_name(sha))
    s3_store.put(sha, b"other bytes under that name are never written")
    assert s3_store.read(sha) == data
    after = s3_store.stat(object_name(sha))
    assert after is not None and before is not None and after.modified >= before.modified
    assert s3_store.touch(sha) and not s3_store.touch(sha256_of(b"absent"))


def test_a_batch_is_uploaded_on_commit_from_local_scratch(s3_store: S3Store) -> None:
    datas = [f"staged {i}".encode() for i in range(3)]
    staged = [stage(s3_store, sha256_of(d), d, "256.jpg") for d in datas]
    assert all(s is not None and s.scratch.is_file() for s in staged)
    assert _keys(s3_store) == []  # nothing in the store before the commit
    sent: list[str] = []

    def note(model, **_) -> None:  # noqa: ANN001, ANN003 (botocore's event arguments)
        sent.append(model.name)

    events = s3_store.client.meta.events  # botocore's own hooks: the requests made
    events.register("before-call.s3", note)
    try:
        commit([s for s in staged if s is not None])
    finally:
        events.unregister("before-call.s3", note)
    assert sent == ["PutObject"] * 3  # one request each: `stage` looked for them already
    assert all(s3_store.read(sha256_of(d), "256.jpg") == d for d in datas)
    assert list(s3_store.scratch_dir().iterdir()) == []
    assert stage(s3_store, sha256_of(datas[0]), datas[0], "256.jpg") is None


def test_photos_ingest_into_the_object_store_with_thumbnails(run_ingest, s3_ctx,  # noqa: ANN001
                                                             files: Path) -> None:
    paths = [jpeg(files / f"p{i}.jpg", seed=40 + i, exif=exif_bytes(lon=121.415, lat=28.711))
             for i in range(2)]
    results = run_ingest(*paths, store=s3_ctx.store)
    assert [r.status for r in results] == ["stored", "stored"]
    store = s3_ctx.store
    for path, result in zip(paths, results, strict=True):
        assert store.read(result.sha256) == path.read_bytes()
        small = Image.open(io.BytesIO(store.read(result.sha256, "256.jpg")))
        assert max(small.size) == 256
        assert not store.has(result.sha256, "1024.jpg")
        preview = thumbnail(store, result.sha256, 1024, kind="field")
        assert max(Image.open(io.BytesIO(preview)).size) == 640  # never enlarged
        assert store.read(result.sha256, "1024.jpg") == preview
    assert list(store.scratch_dir().iterdir()) == []


def _downloads(records: list[logging.LogRecord]) -> list[tuple[int, int]]:
    """The byte ranges GDAL fetched, from its debug lines ("Downloading 0-16383 (...)")."""
    ranges = []
    for record in records:
        text = record.getMessage()
        if "Downloading" in text:
            first, last = text.split("Downloading", 1)[1].split()[0].split("-")
            ranges.append((int(first), int(last)))
    return ranges


def test_an_orthophoto_is_converted_stored_and_tiled_with_ranged_reads(
        run_ingest, s3_ctx, files: Path, caplog: pytest.LogCaptureFixture) -> None:  # noqa: ANN001
    source = write_geotiff(files / "ortho.tif", width=2048, height=2048, pixel_size=0.25)
    [result] = run_ingest(source, store=s3_ctx.store)
    assert (result.status, result.kind) == ("stored", "orthophoto")
    store = s3_ctx.store
    assert store.read(result.sha256) == source.read_bytes()
    cog = store.raster(result.sha256)
    assert isinstance(cog, RemoteRaster)
    assert cog.vsi_path == (f"/vsis3/{store.config.bucket}/{store.config.prefix}/"
                            f"{object_name(result.sha256, 'cog.tif')}")
    size = store.stat(object_name(result.sha256, "cog.tif")).size
    thumb = Image.open(io.BytesIO(thumbnail(store, result.sha256, 1024, kind="orthophoto")))
    assert max(thumb.size) == 1024
    tile = WEB_MERCATOR.tile(121.45, 28.68, 21)
    traced = replace(cog, options=(*cog.options, ("CPL_DEBUG", "ON")))
    with caplog.at_level(logging.DEBUG, logger="rasterio"):
        png = Image.open(io.BytesIO(tile_png(traced, tile.x, tile.y, 21)))
    assert png.size == (256, 256) and png.getextrema()[3] == (255, 255)  # all opaque
    ranges = _downloads(caplog.records)
    assert ranges, "GDAL fetched nothing over HTTP"
    fetched = len(set().union(*(range(first, last + 1) for first, last in ranges)))
    assert fetched < size / 2, (fetched, size)  # the blocks the tile needs, not the file
    assert not any(p.suffix == ".tif" for p in store.scratch_root.rglob("*"))


def test_the_store_check_deletes_nothing_a_photo_names(run_ingest, s3_ctx,  # noqa: ANN001
                                                       files: Path) -> None:
    photo = jpeg(files / "kept.jpg", seed=51)
    [kept] = run_ingest(photo, store=s3_ctx.store)
    store = s3_ctx.store
    orphan = b"bytes no photo names"
    store.put(sha256_of(orphan), orphan)
    late = jpeg(files / "late.jpg", seed=52)
    store.put(sha256_of(late.read_bytes()), late.read_bytes())  # its row comes after the check
    with s3_ctx.engine.connect() as conn:
        assert check_store(conn, store).findings == []  # young files: work under way
        report = check_store(conn, store, stale_after=0.0)
    assert sorted(f.sha256 for f in report.findings) == sorted(
        [sha256_of(orphan), sha256_of(late.read_bytes())])
    assert {f.kind for f in report.findings} == {"orphan_file"}
    assert (report.files, report.originals, report.photos) == (4, 3, 1)
    [late_result] = run_ingest(late, store=store)
    with s3_ctx.engine.connect() as conn:
        repaired = repair(store, report.findings, stale_after=0.0, conn=conn)
        assert {f.sha256: f.repaired for f in repaired} == {
            sha256_of(orphan): True, late_result.sha256: False}
        after = check_store(conn, store, stale_after=0.0)
    assert after.findings == [] and (after.files, after.photos) == (4, 2)
    assert not store.has(sha256_of(orphan))
    for sha in (kept.sha256, late_result.sha256):
        assert store.has(sha) and store.has(sha, "256.jpg")


def test_a_photo_whose_object_is_gone_is_reported_not_deleted(run_ingest, s3_ctx,  # noqa: ANN001
                                                              files: Path) -> None:
    [result] = run_ingest(jpeg(files / "lost.jpg", seed=53), store=s3_ctx.store)
    s3_ctx.store.delete(object_name(result.sha256))
    with s3_ctx.engine.connect() as conn:
        [missing] = check_store(conn, s3_ctx.store).findings
        [after] = repair(s3_ctx.store, [missing], conn=conn)
    assert (missing.kind, missing.path, missing.photo_ids) == (
        "missing_file", object_name(result.sha256), [result.id])
    assert not after.repaired and s3_ctx.store.has(result.sha256, "256.jpg")


def test_a_store_that_cannot_be_used_says_why(s3_server: S3Server, tmp_path: Path) -> None:
    good = _store(s3_server, tmp_path)
    good.check()
    cases = {
        "credentials": replace(good.config, secret_key="wrong"),
        "no_bucket": replace(good.config, bucket=f"lb-none-{uuid.uuid4().hex[:8]}"),
        "unreachable": replace(good.config, endpoint=f"http://127.0.0.1:{free_ports(1)[0]}"),
    }
    for problem, config in cases.items():
        store = S3Store(config, tmp_path)
        with pytest.raises(StoreUnavailable) as caught:
            store.check()
        assert caught.value.problem == problem, caught.value
        assert caught.value.facts["store"] == config.url
    wrong = S3Store(cases["credentials"], tmp_path)
    source = tmp_path / "big.bin"
    source.write_bytes(b"y" * 1000)
    for write in (lambda: wrong.put(sha256_of(b"x"), b"x"),
                  lambda: wrong.put_path(sha256_of(b"y" * 1000), source)):
        with pytest.raises(StoreUnavailable) as caught:
            write()
        assert caught.value.problem == "credentials"
        assert isinstance(caught.value, OSError)  # a batch rejects the file and goes on


def test_a_burst_of_threads_shares_one_client_made_once(tmp_path: Path) -> None:
    """Many threads asking at once for the client of a store not yet used (each with its
    own store object, as uploads' files come back from the analysis workers) get one client,
    the process's; warming a store makes it before anyone asks. No request is sent."""
    import threading

    config = S3Config(f"burst-{uuid.uuid4().hex[:8]}", "p", "http://127.0.0.1:9", "key",
                      "secret")
    start, clients = threading.Barrier(8), []

    def ask() -> None:
        store = S3Store(config, tmp_path)
        start.wait()
        clients.append(store.client)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(clients) == 8 and len({id(c) for c in clients}) == 1

    other = replace(config, bucket=f"warm-{uuid.uuid4().hex[:8]}")
    warmed = S3Store(other, tmp_path)
    warmed.warm()
    assert S3Store(other, tmp_path).client is warmed.client is not clients[0]
