"""The app and the command line with LOOKBACK_STORE_URL=s3://...: uploads land in the object
store (nothing kept on the app's disk); originals stream back through the access checks,
thumbnails and orthophoto tiles too; `lookback store check` works there; and a store that
cannot be used answers 503 (the CLI: exit 1) saying in Chinese which setting to look at."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import morecantile
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from geo.db import create_engine
from imagery.store import object_name, sha256_of
from tests.imagery.images import exif_bytes, jpeg
from tests.imagery.rasters import write_geotiff
from tests.s3 import S3Server, free_ports, s3_server  # noqa: F401 (the fixture)
from tests.web.cli import json_lines, run
from tests.web.client import client_for, headers, inside_town, sign_in
from tests.web.jobs_worker import row_of
from web.accounts.demo import DEMO_TOWN
from web.accounts.users import add_user
from web.database import engine_for
from web.jobs.local import start_in_thread
from web.settings import Settings

NOW = datetime(2022, 6, 1, 4, 0, tzinfo=UTC)
WEB_MERCATOR = morecantile.tms.get("WebMercatorQuad")
pytestmark = pytest.mark.filterwarnings("ignore:Use `@` matmul:PendingDeprecationWarning")


@pytest.fixture(scope="module")
def prefix(s3_server: S3Server) -> str:  # noqa: F811
    """The module's key prefix in the test bucket."""
    return s3_server.new_prefix()


def _client(url: str, server: S3Server, prefix: str, data: Path, name: str,
            password: str | None = None, **changes: str) -> TestClient:
    settings = {**server.settings(prefix), **changes}
    client = client_for(url, now=NOW, data_dir=data, **settings)
    assert sign_in(client, name, password).status_code == 303
    return client


def _upload(client: TestClient, path: Path):  # noqa: ANN202
    with path.open("rb") as f:
        return client.post("/api/photos", headers=headers(client),
                           files={"file": (path.name, f, "application/octet-stream")})


def _objects(server: S3Server, prefix: str) -> set[str]:
    pages = server.client().get_paginator("list_objects_v2")
    return {o["Key"][len(prefix) + 1:] for page in pages.paginate(
        Bucket=server.bucket, Prefix=f"{prefix}/") for o in page.get("Contents", [])}


def _other_town_officer(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        code = conn.execute(sa.text("SELECT code FROM grid_cells WHERE town = '海门街道' "
                                    "ORDER BY code")).scalars().first()
        add_user(conn, name="officer5", password="officer5-pass", role="grid_officer",
                 grids=[code], now=NOW)
    engine.dispose()


def test_uploads_are_served_from_the_object_store_through_the_access_checks(
        demo_url: str, s3_server: S3Server, prefix: str, tmp_path: Path) -> None:  # noqa: F811
    data = tmp_path / "data"
    officer = _client(demo_url, s3_server, prefix, data, "officer")
    lon, lat = inside_town(demo_url, DEMO_TOWN)
    path = jpeg(tmp_path / "IMG_0100.JPG", seed=700, exif=exif_bytes(lon=lon, lat=lat))
    answer = _upload(officer, path)
    assert answer.status_code == 200, answer.text
    photo = answer.json()["photo"]
    sha = sha256_of(path.read_bytes())
    assert {object_name(sha), object_name(sha, "256.jpg")} <= _objects(s3_server, prefix)
    assert not [p for p in data.rglob("*") if p.is_file()]  # nothing kept on the app's disk
    original = officer.get(f"/api/photos/{photo['id']}/original")
    assert original.status_code == 200 and original.content == path.read_bytes()
    assert original.headers["content-length"] == str(path.stat().st_size)
    assert original.headers["content-disposition"] == \
        f'inline; filename="photo-{photo["id"]}-IMG_0100.JPG"'
    for size in (256, 1024):
        thumb = officer.get(f"/api/photos/{photo['id']}/thumbnail", params={"size": size})
        assert thumb.status_code == 200 and thumb.content[:2] == b"\xff\xd8"
    assert object_name(sha, "1024.jpg") in _objects(s3_server, prefix)
    _other_town_officer(demo_url)
    other = _client(demo_url, s3_server, prefix, data, "officer5", "officer5-pass")
    for path_ in ("original", "thumbnail"):
        assert other.get(f"/api/photos/{photo['id']}/{path_}").status_code == 404


def test_an_orthophoto_upload_is_tiled_from_the_object_store(
        demo_url: str, s3_server: S3Server, prefix: str, tmp_path: Path) -> None:  # noqa: F811
    jobs = {"job_runner": "local", "job_poll_seconds": 0.1}  # its conversion is a job
    officer = _client(demo_url, s3_server, prefix, tmp_path / "data", "officer", **jobs)
    ortho = write_geotiff(tmp_path / "ortho.tif")
    answer = _upload(officer, ortho)
    assert answer.status_code == 202, answer.text
    settings = Settings(database_url=demo_url, data_dir=tmp_path / "data",
                        **s3_server.settings(prefix), **jobs)
    stop = start_in_thread(settings)
    engine, deadline = engine_for(settings), time.monotonic() + 60
    try:
        while (row := row_of(engine, answer.json()["job_id"]))["state"] not in (
                "succeeded", "failed") and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop()
    assert (row["state"], row["result"]["kind"]) == ("succeeded", "orthophoto")
    photo = {"id": row["result"]["photo_id"]}
    assert object_name(sha256_of(ortho.read_bytes()), "cog.tif") in _objects(s3_server, prefix)
    tile = WEB_MERCATOR.tile(121.45, 28.68, 19)
    png = officer.get(f"/api/photos/{photo['id']}/tiles/19/{tile.x}/{tile.y}.png")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_store_that_refuses_the_keys_answers_503_naming_the_setting(
        demo_url: str, s3_server: S3Server, prefix: str, tmp_path: Path) -> None:  # noqa: F811
    good = _client(demo_url, s3_server, prefix, tmp_path / "data", "officer")
    photo = _upload(good, jpeg(tmp_path / "a.jpg", seed=701)).json()["photo"]
    wrong = _client(demo_url, s3_server, prefix, tmp_path / "data", "officer",
                    store_secret_key="not-the-secret")
    for answer in (wrong.get(f"/api/photos/{photo['id']}/original"),
                   _upload(wrong, jpeg(tmp_path / "b.jpg", seed=702))):
        assert answer.status_code == 503, answer.text
        body = answer.json()
        assert body["error"] == "store_unavailable"
        store = f"s3://{s3_server.bucket}/{prefix}"
        assert body["detail"].startswith(f"对象存储 {store} 拒绝了访问密钥")
        assert "LOOKBACK_STORE_SECRET_KEY" in body["detail"]
    nowhere = _client(demo_url, s3_server, prefix, tmp_path / "data", "officer",
                      store_endpoint=f"http://127.0.0.1:{free_ports(1)[0]}")
    answer = nowhere.get(f"/api/photos/{photo['id']}/thumbnail", params={"lang": "en"})
    assert answer.status_code == 503
    assert answer.json()["detail"].startswith("Cannot reach the object store at http://127.0.0.1:")
    assert "check LOOKBACK_STORE_ENDPOINT" in answer.json()["detail"]


def test_the_cli_ingests_and_checks_the_object_store(
        demo_url: str, s3_server: S3Server, prefix: str, tmp_path: Path) -> None:  # noqa: F811
    env = {**s3_server.env(prefix), "LOOKBACK_DATA_DIR": str(tmp_path / "d")}
    ingested = run(demo_url, "ingest", str(jpeg(tmp_path / "c.jpg", seed=703)), "--json", **env)
    assert ingested.exit_code == 0, ingested.output
    checked = run(demo_url, "store", "check", "--json", **env)
    assert checked.exit_code == 0, checked.output
    summary = json_lines(checked.stdout)[-1]
    assert (summary["orphan_files"], summary["missing_files"]) == (0, 0)
    assert summary["originals"] >= 1
    bucket = f"lb-none-{uuid.uuid4().hex[:8]}"  # (SeaweedFS makes a bucket a PUT names)
    bad = run(demo_url, "store", "check", **{**env, "LOOKBACK_STORE_URL": f"s3://{bucket}/x"})
    assert bad.exit_code == 1
    assert (f"对象存储中没有存储桶“{bucket}”：请先创建该存储桶，或改正 LOOKBACK_STORE_URL。"
            in bad.output)
    malformed = run(demo_url, "store", "check", **{**env, "LOOKBACK_STORE_URL": "s3:/x"})
    assert malformed.exit_code != 0
    assert "LOOKBACK_STORE_URL“s3:/x”不是对象存储地址" in str(malformed.exception or "") + \
        malformed.output
