"""The photos API: upload (with a retry that stores nothing new), what each role may see,
thumbnails and originals by id only, and every bad file refused with nothing stored."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from geo.db import create_engine
from geo.layers import GRID_CELLS
from imagery.schema import photos
from tests.imagery.images import exif_bytes, jpeg, png_claiming, with_xmp
from tests.imagery.test_ingest_rejections import BILLION_LAUGHS
from tests.web.client import client_for, headers, inside_town, sign_in
from web.accounts.demo import DEMO_TOWN
from web.accounts.users import add_user

NOW = datetime(2022, 6, 1, 4, 0, tzinfo=UTC)


def _cell_point(url: str, town: str) -> tuple[float, float]:
    return inside_town(url, town)


def _count(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(photos)).scalar_one()
    engine.dispose()
    return n


@pytest.fixture
def officer(demo_url: str) -> TestClient:
    client = client_for(demo_url, now=NOW)
    assert sign_in(client, "officer").status_code == 303
    return client


def _upload(client: TestClient, path: Path, **form: object):  # noqa: ANN202
    with path.open("rb") as f:
        return client.post("/api/photos", headers=headers(client),
                           files={"file": (path.name, f, "image/jpeg")},
                           data={k: str(v) for k, v in form.items()})


def test_an_officer_uploads_in_their_grid_and_sees_it(demo_url: str, officer: TestClient,
                                                      tmp_path: Path) -> None:
    lon, lat = _cell_point(demo_url, DEMO_TOWN)
    path = jpeg(tmp_path / "IMG_0001.JPG", seed=501, exif=exif_bytes(lon=lon, lat=lat))
    response = _upload(officer, path, upload_id="u-0000000001", note="河边堆放垃圾")
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["file"], body["flags"]) == ("stored", "IMG_0001.JPG", [])
    photo = body["photo"]
    assert photo["location_source"] == "exif" and photo["uploaded_by"] == "officer"
    assert photo["note"] == "河边堆放垃圾"
    listed = officer.get("/api/photos", params={"bbox": f"{lon-0.01},{lat-0.01},{lon+0.01},"
                                                        f"{lat+0.01}"}).json()
    assert photo["id"] in [p["id"] for p in listed]
    thumb = officer.get(f"/api/photos/{photo['id']}/thumbnail")
    assert thumb.status_code == 200
    assert thumb.headers["content-type"] == "image/jpeg"
    assert thumb.headers["x-content-type-options"] == "nosniff"
    assert thumb.content[:2] == b"\xff\xd8"
    original = officer.get(f"/api/photos/{photo['id']}/original")
    assert original.content == path.read_bytes()
    assert original.headers["content-disposition"] == \
        f'inline; filename="photo-{photo["id"]}-IMG_0001.JPG"'


def test_a_retry_with_the_same_upload_id_stores_nothing_new(demo_url: str, officer: TestClient,
                                                            tmp_path: Path) -> None:
    lon, lat = _cell_point(demo_url, DEMO_TOWN)
    path = jpeg(tmp_path / "a.jpg", seed=502, exif=exif_bytes(lon=lon, lat=lat))
    first = _upload(officer, path, upload_id="retry-000002").json()
    before = _count(demo_url)
    again = _upload(officer, path, upload_id="retry-000002").json()
    assert (again["status"], again["photo"]["id"]) == ("duplicate", first["photo"]["id"])
    assert _count(demo_url) == before


def test_a_photo_without_gps_takes_the_manual_pin(demo_url: str, officer: TestClient,
                                                  tmp_path: Path) -> None:
    lon, lat = _cell_point(demo_url, DEMO_TOWN)
    path = jpeg(tmp_path / "wechat.jpg", seed=503, exif=exif_bytes())
    body = _upload(officer, path, manual_lon=lon, manual_lat=lat, device_lon=lon + 0.01,
                   device_lat=lat).json()
    assert body["photo"]["location_source"] == "manual"
    assert (body["photo"]["lon"], body["photo"]["lat"]) == pytest.approx((lon, lat))


def test_outside_the_officers_grid_is_flagged_and_no_patrol_case(demo_url: str,
                                                                 officer: TestClient,
                                                                 tmp_path: Path) -> None:
    lon, lat = _cell_point(demo_url, "海门街道")
    path = jpeg(tmp_path / "far.jpg", seed=504, exif=exif_bytes(lon=lon, lat=lat))
    body = _upload(officer, path, problem_found="true", note="发现偷排").json()
    assert "outside_your_grid" in body["flags"]
    assert body["patrol_case"] is None
    assert "not one of officer's grid cells" in body["patrol_refused"]


def test_problem_found_opens_one_patrol_case_even_when_retried(demo_url: str,
                                                               officer: TestClient,
                                                               tmp_path: Path) -> None:
    lon, lat = _cell_point(demo_url, DEMO_TOWN)
    path = jpeg(tmp_path / "p.jpg", seed=505, exif=exif_bytes(lon=lon, lat=lat))
    first = _upload(officer, path, upload_id="problem-0005", problem_found="true",
                    note="企业门口废水外溢").json()
    assert first["patrol_case"].startswith("XC-2022-")
    again = _upload(officer, path, upload_id="problem-0005", problem_found="true").json()
    assert again["patrol_case"] == first["patrol_case"]


def test_other_grids_and_units_do_not_see_the_photo(demo_url: str, officer: TestClient,
                                                    tmp_path: Path) -> None:
    lon, lat = _cell_point(demo_url, DEMO_TOWN)
    path = jpeg(tmp_path / "mine.jpg", seed=506, exif=exif_bytes(lon=lon, lat=lat))
    photo_id = _upload(officer, path).json()["photo"]["id"]
    engine = create_engine(demo_url)
    with engine.begin() as conn:
        code = conn.execute(sa.text("SELECT code FROM grid_cells WHERE town = '海门街道' "
                                    "ORDER BY code")).scalars().first()
        add_user(conn, name="officer2", password="officer2-pass", role="grid_officer",
                 grids=[code], now=NOW)
    engine.dispose()
    other = client_for(demo_url, now=NOW)
    sign_in(other, "officer2", "officer2-pass")
    for path_ in (f"/api/photos/{photo_id}", f"/api/photos/{photo_id}/thumbnail",
                  f"/api/photos/{photo_id}/original"):
        response = other.get(path_)
        assert response.status_code == 404, path_
        assert response.json() == {"error": "not_found",
                                   "detail": f"photo {photo_id}: no such photo"}
    assert photo_id not in [p["id"] for p in other.get("/api/photos").json()]
    unit = client_for(demo_url, now=NOW)
    sign_in(unit, "unit")
    assert unit.get(f"/api/photos/{photo_id}").status_code == 404
    leader = client_for(demo_url, now=NOW)
    sign_in(leader, "leader")
    assert leader.get(f"/api/photos/{photo_id}").json()["uploaded_by"] == "officer"
    assert leader.get(f"/api/photos/{photo_id}/original").status_code == 200


def _pdf(folder: Path) -> Path:
    path = folder / "photo.jpg"
    path.write_bytes(b"%PDF-1.7 not a photo")
    return path


def _empty(folder: Path) -> Path:
    path = folder / "empty.jpg"
    path.write_bytes(b"")
    return path


def _flood(folder: Path) -> Path:
    return png_claiming(folder / "flood.png", 11_000, 11_000)


def _truncated(folder: Path) -> Path:
    whole = jpeg(folder / "whole.jpg", seed=5, size=(1600, 1200)).read_bytes()
    path = folder / "cut.jpg"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def _bad_exif(folder: Path) -> Path:
    good = jpeg(folder / "x.jpg", seed=6, exif=exif_bytes(lon=121.4, lat=28.7)).read_bytes()
    start = good.index(b"Exif\x00\x00") + 6
    path = folder / "badexif.jpg"
    path.write_bytes(good[:start + 4] + b"\xff\xff\xff\x7f" + good[start + 8:])
    return path


def _laughs(folder: Path) -> Path:
    path = folder / "laughs.jpg"
    path.write_bytes(with_xmp(jpeg(folder / "y.jpg", seed=7).read_bytes(), BILLION_LAUGHS))
    return path


@pytest.mark.parametrize(("make", "reason"), [
    (_pdf, "photo.jpg: the bytes are not a JPEG, PNG, TIFF or HEIC/HEIF image"),
    (_empty, "empty.jpg: the file is empty"),
    (_flood, "flood.png: "),
    (_truncated, "cut.jpg: "),
    (_bad_exif, "badexif.jpg: "),
    (_laughs, "laughs.jpg: malformed XMP metadata"),
])
def test_bad_files_are_refused_with_the_reason_and_nothing_stored(
        demo_url: str, officer: TestClient, tmp_path: Path, make, reason: str) -> None:  # noqa: ANN001
    before = _count(demo_url)
    response = _upload(officer, make(tmp_path), upload_id="bad-file-0001")
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "rejected_file"
    assert body["detail"].startswith(reason)
    assert _count(demo_url) == before


def test_uploads_need_the_csrf_token_and_a_session(demo_url: str, tmp_path: Path) -> None:
    path = jpeg(tmp_path / "c.jpg", seed=507)
    anonymous = client_for(demo_url, now=NOW)
    with path.open("rb") as f:
        assert anonymous.post("/api/photos", headers=headers(anonymous),
                              files={"file": ("c.jpg", f)}).status_code == 401
    client = client_for(demo_url, now=NOW)
    sign_in(client, "officer")
    with path.open("rb") as f:
        refused = client.post("/api/photos", files={"file": ("c.jpg", f)})
    assert refused.status_code == 403 and refused.json()["error"] == "csrf"


@pytest.mark.parametrize(("params", "message"), [
    ({"bbox": "1,2,3"}, "bbox '1,2,3': give min_lon,min_lat,max_lon,max_lat"),
    ({"bbox": "5,5,1,1"}, "bbox"),
    ({"grid_cell": "NOPE"}, "grid_cell 'NOPE': no grid cell with that code"),
    ({"site": "NOPE"}, "site 'NOPE': no site with that code"),
])
def test_bad_listing_filters_are_named(officer: TestClient, params: dict, message: str) -> None:
    response = officer.get("/api/photos", params=params)
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_listing_by_grid_cell_site_and_time(demo_url: str, officer: TestClient,
                                            tmp_path: Path) -> None:
    lon, lat = _cell_point(demo_url, DEMO_TOWN)
    path = jpeg(tmp_path / "t.jpg", seed=508, exif=exif_bytes(
        lon=lon, lat=lat, taken="2022:05:20 09:30:00"))
    photo = _upload(officer, path).json()["photo"]
    cell = officer.get(f"/api/photos/{photo['id']}").json()["grid_cell_id"]
    engine = create_engine(demo_url)
    with engine.connect() as conn:
        code = conn.execute(sa.select(GRID_CELLS.table.c.code)
                            .where(GRID_CELLS.table.c.id == cell)).scalar_one()
    engine.dispose()

    def ids(**params: str) -> list[int]:
        response = officer.get("/api/photos", params=params)
        assert response.status_code == 200, response.text
        return [p["id"] for p in response.json()]

    assert photo["id"] in ids(grid_cell=code)
    assert photo["id"] in ids(start="2022-05-20T01:00:00+00:00",
                              end="2022-05-20T02:00:00+00:00")
    assert photo["id"] not in ids(start="2022-05-21T00:00:00+08:00")
    assert ids(start="2030-01-01T00:00:00Z") == []
    assert len(ids(limit="1")) == 1
