"""Change detection around the engine, on both backends: the "changes" job queued by an
orthophoto's ingest job and run by the job runner; `lookback changes detect` and its JSON
contract and errors; the round page's polygons, 确认为反弹证据 and 排除 (the reason kept, the
errors in Chinese); the map's possible_change flag appearing and clearing."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from inspections import lookbacks
from inspections.change_review import list_changes
from inspections.schema import change_polygons
from tests.s3 import S3Server, s3_server  # noqa: F401 (the fixture)
from tests.web.change_world import (
    BEFORE_AT,
    IN_ROUND_1,
    ChangeWorld,
    detect_lf1,
    ingest_orthophoto,
    lf1_world,
    orthophoto_pair,
)
from tests.web.cli import json_lines, run
from tests.web.client import csrf, headers, sign_in
from tests.web.flight_world import run_next
from web.accounts.users import find_user
from web.app import create_app
from web.jobs.received_job import submit_received
from web.jobs.schema import jobs
from web.services.received import Finished, record_finished
from web.settings import Settings

KEYS = {"site", "before_photo", "after_photo", "geometry", "area_m2", "score", "shift_m"}


def _settings(database_url: str, data_dir: Path) -> Settings:
    return Settings(database_url=database_url, data_dir=data_dir, job_runner="local",
                    now=IN_ROUND_1)


def _client(settings: Settings, name: str) -> TestClient:
    client = TestClient(create_app(settings), follow_redirects=False)
    assert sign_in(client, name).status_code == 303
    return client


@pytest.fixture
def world(engine: Engine) -> ChangeWorld:
    return lf1_world(engine)


@pytest.fixture
def detected(engine: Engine, world: ChangeWorld, database_url: str,
             tmp_path: Path) -> tuple[Settings, list[int]]:
    """Both orthophotos ingested and the CLI's detection run; the settings and the ids."""
    data, ids = detect_lf1(engine, database_url, tmp_path)
    return _settings(database_url, data), ids


def test_the_job_runs_after_an_orthophoto_ingest(engine: Engine, world: ChangeWorld,
                                                 database_url: str, tmp_path: Path) -> None:
    settings = _settings(database_url, tmp_path / "data")
    client = _client(settings, "inspector")
    before, after, planted = orthophoto_pair(tmp_path / "ortho")
    for path, jobs_after in ((before, ["ingest_upload"]), (after, ["ingest_upload", "changes"])):
        with path.open("rb") as file:
            sent = client.post("/api/photos", headers=headers(client),
                               files={"file": (path.name, file, "image/tiff")})
        assert sent.status_code == 202, sent.text
        ran = [run_next(settings) for _ in jobs_after]
        assert ran == [(kind, "succeeded") for kind in jobs_after]
    with engine.connect() as conn:
        found = list_changes(conn, site_ids=[world.site_id])
        job = conn.execute(sa.select(jobs).where(jobs.c.kind == "changes")).mappings().one()
    assert planted is not None and found
    best = max(found, key=lambda c: c.geometry.intersection(planted.geometry).area)
    assert best.geometry.intersects(planted.geometry)
    assert {c.state for c in found} == {"unreviewed"}
    assert (job["title"], job["result"]["polygons"]) == ("LF1", len(found))
    thumb = client.get(f"/changes/{best.id}/after.jpg")
    assert thumb.status_code == 200 and thumb.content[:3] == b"\xff\xd8\xff"


def test_the_cli_prints_one_json_line_per_polygon(engine: Engine, world: ChangeWorld,
                                                  database_url: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    before, after, _ = orthophoto_pair(tmp_path / "ortho")
    first = ingest_orthophoto(engine, data, before, at=BEFORE_AT)
    second = ingest_orthophoto(engine, data, after, at=IN_ROUND_1)
    done = run(database_url, "changes", "detect", "--site", "LF1", "--json",
               LOOKBACK_DATA_DIR=str(data))
    assert done.exit_code == 0, done.output
    lines = json_lines(done.stdout)
    assert lines and all(set(line) == KEYS for line in lines)
    assert {(x["site"], x["before_photo"], x["after_photo"]) for x in lines} == {
        ("LF1", first, second)}
    assert all(x["geometry"]["type"] in ("Polygon", "MultiPolygon") for x in lines)
    lon, lat = lines[0]["geometry"]["coordinates"][0][0][:2] \
        if lines[0]["geometry"]["type"] == "Polygon" \
        else lines[0]["geometry"]["coordinates"][0][0][0][:2]
    assert 121.41 < lon < 121.42 and 28.70 < lat < 28.72  # EPSG:4326, lon first
    assert [x["area_m2"] for x in lines] == sorted((x["area_m2"] for x in lines), reverse=True)
    assert all(x["area_m2"] >= 25 and 0 <= x["score"] <= 1 and x["shift_m"] >= 0
               for x in lines)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(change_polygons)
                            ).scalar_one() == len(lines)


def test_no_change_found_still_exits_0(engine: Engine, world: ChangeWorld,
                                       database_url: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    before, after, _ = orthophoto_pair(tmp_path / "ortho", seed=5, change=False)
    ingest_orthophoto(engine, data, before, at=BEFORE_AT)
    ingest_orthophoto(engine, data, after, at=IN_ROUND_1)
    done = run(database_url, "changes", "detect", "--site", "LF1",
               LOOKBACK_DATA_DIR=str(data), LOOKBACK_CHANGE_MIN_AREA_M2="5000")
    assert done.exit_code == 0, done.output
    assert "发现变化图斑 0 个" in done.stdout


def test_the_cli_names_what_is_wrong(engine: Engine, world: ChangeWorld, database_url: str,
                                     tmp_path: Path) -> None:
    data = tmp_path / "data"
    before, _, _ = orthophoto_pair(tmp_path / "ortho")
    only = ingest_orthophoto(engine, data, before, at=BEFORE_AT)
    cases = [
        (("--site", "XX9"), "--site XX9：没有这个点位", "unknown_site"),
        (("--site", "LF1"), "点位 LF1：只有 1 期影像（正射影像或航飞）覆盖，变化检测需要前后两期",
         "no_pair"),
        (("--site", "LF1", "--after", "999"), "照片 999：没有这张照片", "unknown_photo"),
        (("--site", "E1", "--after", str(only)), f"照片 {only}：没有覆盖点位 E1",
         "not_covering"),
        (("--site", "LF1", "--before", str(only), "--after", str(only)),
         f"点位 LF1：前后两期是同一张影像（照片 {only}）", "same_photo"),
    ]
    for args, said, problem in cases:
        done = run(database_url, "changes", "detect", *args, LOOKBACK_DATA_DIR=str(data))
        assert done.exit_code == 1 and said in done.output, (args, done.output)
        as_json = run(database_url, "changes", "detect", *args, "--json",
                      LOOKBACK_DATA_DIR=str(data))
        assert as_json.exit_code == 1
        assert json_lines(as_json.stdout)[0]["problem"] == problem


def _flags(client: TestClient) -> list[str]:
    answer = client.get("/api/map/sites/LF1")
    assert answer.status_code == 200, answer.text
    return answer.json()["flags"]


def test_confirm_and_dismiss_on_the_round_page(engine: Engine, world: ChangeWorld,
                                               detected: tuple[Settings, list[int]]) -> None:
    settings, ids = detected
    client = _client(settings, "inspector")
    page = client.get(f"/review/{world.round_id}")
    assert page.status_code == 200
    assert all(f'id="change-{i}"' in page.text for i in ids)
    assert "确认为反弹证据" in page.text and "卷帘对比" in page.text
    assert "possible_change" in _flags(client)
    token = csrf(client)
    empty = client.post(f"/review/{world.round_id}/changes/{ids[0]}/dismiss",
                        data={"csrf_token": token, "reason": "  "})
    assert empty.status_code == 422 and "请填写排除理由" in empty.text
    dismissed = client.post(f"/review/{world.round_id}/changes/{ids[0]}/dismiss",
                            data={"csrf_token": token, "reason": "云影造成的色差"})
    assert dismissed.status_code == 303
    confirmed = [client.post(f"/review/{world.round_id}/changes/{i}/confirm",
                             data={"csrf_token": token, "note": "正射影像比对发现新增堆体"})
                 for i in ids[1:]]
    assert all(answer.status_code == 303 for answer in confirmed), confirmed[0].text
    with engine.connect() as conn:
        kept = {c.id: (c.state, c.reason, c.round_id)
                for c in list_changes(conn, site_ids=[world.site_id])}
        r = lookbacks.get_round(conn, world.round_id)
    assert kept[ids[0]] == ("dismissed", "云影造成的色差", None)
    assert all(kept[i] == ("confirmed", None, world.round_id) for i in ids[1:])
    assert r.state == "recurred" and r.note == "正射影像比对发现新增堆体"
    again = client.get(f"/review/{world.round_id}")
    assert "排除理由：云影造成的色差" in again.text
    assert "possible_change" not in _flags(client)


def test_refusals_on_the_round_page_are_in_chinese(engine: Engine, world: ChangeWorld,
                                                   detected: tuple[Settings, list[int]]
                                                   ) -> None:
    settings, ids = detected
    other = _client(settings, "other")
    refused = other.post(f"/review/{world.round_id}/changes/{ids[0]}/dismiss",
                         data={"csrf_token": csrf(other), "reason": "云影"})
    assert refused.status_code in (403, 404)
    client = _client(settings, "inspector")
    token = csrf(client)
    no_note = client.post(f"/review/{world.round_id}/changes/{ids[0]}/confirm",
                          data={"csrf_token": token, "note": ""})
    assert no_note.status_code == 422 and "确认为反弹证据需要填写复核意见" in no_note.text
    assert client.post(f"/review/{world.round_id}/changes/{ids[0]}/dismiss",
                       data={"csrf_token": token, "reason": "车辆"}).status_code == 303
    twice = client.post(f"/review/{world.round_id}/changes/{ids[0]}/dismiss",
                        data={"csrf_token": token, "reason": "车辆"})
    assert twice.status_code == 409 and "该图斑已复核" in twice.text
    no_csrf = client.post(f"/review/{world.round_id}/changes/{ids[-1]}/dismiss",
                          data={"reason": "车辆"})
    assert no_csrf.status_code == 403
    leader = _client(settings, "leader")
    assert leader.get("/dashboard").status_code == 200
    assert 'data-figure="changes-dismissed">1<' in leader.get("/dashboard").text


def test_the_cli_compares_orthophotos_in_the_object_store(
        engine: Engine, world: ChangeWorld, database_url: str, tmp_path: Path,
        s3_server: S3Server) -> None:  # noqa: F811
    env = s3_server.env(s3_server.new_prefix()) | {"LOOKBACK_DATA_DIR": str(tmp_path / "d")}
    before, after, _ = orthophoto_pair(tmp_path / "ortho")
    for path in (before, after):
        done = run(database_url, "ingest", str(path), "--kind", "orthophoto", "--json", **env)
        assert done.exit_code == 0, done.output
    done = run(database_url, "changes", "detect", "--site", "LF1", "--json", **env)
    assert done.exit_code == 0, done.output
    lines = json_lines(done.stdout)
    assert lines and all(set(line) == KEYS for line in lines)
    with engine.connect() as conn:
        queued = conn.execute(sa.select(jobs.c.kind, jobs.c.params)).all()
    # The CLI's ingest queued the same comparison as a job, for a worker to run.
    assert [kind for kind, _ in queued] == ["changes"]


def test_an_orthophoto_received_by_resumable_upload_queues_the_job(
        engine: Engine, world: ChangeWorld, database_url: str, tmp_path: Path) -> None:
    settings = _settings(database_url, tmp_path / "data")
    before, after, _ = orthophoto_pair(tmp_path / "ortho", seed=6)
    ingest_orthophoto(engine, settings.data_dir, before, at=BEFORE_AT)
    with engine.connect() as conn:
        inspector = find_user(conn, "inspector")[0]
    item = Finished("tus-ortho-0001", after, inspector.id,
                    {"filename": after.name, "kind": "orthophoto"})
    record_finished(engine, item, inspector)
    submit_received(engine, settings, item)
    assert [run_next(settings) for _ in range(2)] == [
        ("ingest_received", "succeeded"), ("changes", "succeeded")]
    with engine.connect() as conn:
        assert list_changes(conn, site_ids=[world.site_id])
