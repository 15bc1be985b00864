"""The cases, look-back, ticket and stats API: the closed loop walked by the right people,
each role seeing only its records, and each error mapped to its status with a reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from geo.db import create_engine
from tests.conftest import Templates
from tests.geo import sample
from tests.imagery.images import exif_bytes, jpeg
from tests.web.client import client_for, headers, sign_in
from web.accounts.schema import security_events
from web.accounts.users import add_user
from web.database import init_database

T0 = datetime(2022, 3, 1, 2, 0, tzinfo=UTC)  # 10:00 in the district
AGENCY = "台州环科第三方评估中心"
UNIT = "区生态环境分局"
E1 = (121.405, 28.7009)
PEOPLE = {"leader": {"role": "leader"}, "inspector": {"role": "inspector", "agency": AGENCY},
          "other-inspector": {"role": "inspector", "agency": "别的检测公司"},
          "unit": {"role": "unit", "unit": UNIT},
          "other-unit": {"role": "unit", "unit": "东山镇人民政府"},
          "officer": {"role": "grid_officer", "grids": ["C3"]},
          "acceptor": {"role": "acceptor"}, "assessor": {"role": "assessor"}}
REPORT_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"  # enough for the sniffer


def _story(url: str, _anchor: Path) -> None:
    """The sample layers and one user per part in the story (a template, built once)."""
    engine = create_engine(url)
    init_database(engine)
    sample.load(engine)
    with engine.begin() as conn:
        for name, binding in PEOPLE.items():
            add_user(conn, name=name, password=f"{name}-password", now=T0, **binding)
    engine.dispose()


@pytest.fixture
def url(database_url: str, _templates: Templates) -> str:
    """The sample layers and one user per part in the story: a copy of the template."""
    _templates.copy("api-cases", database_url, _story)
    return database_url


class People:
    """Signed-in clients at a moment of the story."""

    def __init__(self, url: str, tmp_path: Path, at: datetime) -> None:
        self.url, self.tmp, self.at = url, tmp_path, at
        self._clients: dict[str, TestClient] = {}

    def __getitem__(self, name: str) -> TestClient:
        if name not in self._clients:
            client = client_for(self.url, now=self.at, data_dir=self.tmp / "data")
            assert sign_in(client, name, f"{name}-password").status_code == 303
            self._clients[name] = client
        return self._clients[name]

    def post(self, name: str, path: str, body: dict | None = None):  # noqa: ANN201
        client = self[name]
        return client.post(path, json=body or {}, headers=headers(client))

    def photo(self, name: str, seed: int, at: datetime | None = None) -> int:
        taken = (at or self.at).astimezone(UTC) + timedelta(hours=8)
        path = jpeg(self.tmp / f"p{seed}.jpg", seed=seed,
                    exif=exif_bytes(lon=E1[0], lat=E1[1] - 0.0001,
                                    taken=taken.strftime("%Y:%m:%d %H:%M:%S")))
        client = self[name]
        with path.open("rb") as f:
            response = client.post("/api/photos", headers=headers(client),
                                   files={"file": (path.name, f, "image/jpeg")})
        assert response.status_code == 200, response.text
        return response.json()["photo"]["id"]


NEW_CASE = {"source": "inspection_feedback", "reference": "DC2-2022-01",
            "title": "医化企业废气治理不到位", "responsible_unit": UNIT,
            "deadline": "2022-12-31", "target": "整改到位", "measures": ["完成废气收集改造"],
            "site_codes": ["E1"], "lookback_agency": AGENCY, "inspection": "第二轮"}


def _opened(people: People) -> None:
    response = people.post("leader", "/api/cases", NEW_CASE)
    assert response.status_code == 201, response.text


def test_the_closed_loop_over_the_api(url: str, tmp_path: Path) -> None:
    now = People(url, tmp_path, T0)
    _opened(now)
    base = "/api/cases/DC2-2022-01"
    assert now.post("unit", f"{base}/start").json()["case"]["state"] == "rectifying"
    fix = now.photo("unit", 11)
    done = now.post("unit", f"{base}/measures/1/complete", {"photo_ids": [fix]}).json()
    assert done["progress"]["done_share"] == 1.0
    assert now.post("unit", f"{base}/claim", {"photo_ids": [fix]}).json()["case"]["state"] \
        == "rectified"
    seen = now.photo("acceptor", 12)
    assert now.post("acceptor", f"{base}/accept", {"photo_ids": [seen], "note": "到位"}
                    ).json()["case"]["state"] == "accepted"
    assessor = now["assessor"]
    assessed = assessor.post(f"{base}/assess", headers=headers(assessor),
                             data={"conclusion": "经评估，符合销号条件。"},
                             files={"documents": ("评估报告.pdf", REPORT_PDF, "application/pdf")})
    assert assessed.status_code == 200, assessed.text
    assert assessed.json()["case"]["state"] == "assessed"
    assert now.post("leader", f"{base}/publicise", {"notice_start": "2022-03-02",
                                                    "notice_end": "2022-03-08"}
                    ).json()["case"]["state"] == "publicised"
    early = now.post("leader", f"{base}/close")
    assert early.status_code == 409
    assert early.json() == {"error": "illegal_transition", "detail":
                            "case DC2-2022-01: cannot close before the notice period has "
                            "ended (ends 2022-03-08, today 2022-03-01)"}
    later = People(url, tmp_path, T0 + timedelta(days=8))
    closed = later.post("leader", f"{base}/close", {"note": "公示期满无异议"})
    assert closed.json()["case"]["state"] == "closed"
    rounds = later["inspector"].get("/api/lookbacks").json()
    assert [r["number"] for r in rounds] == [1, 2, 3, 4]
    detail = later["leader"].get(base).json()
    assert [h["action"] for h in detail["history"]][-1] == "case.close"


def test_a_look_back_round_is_reviewed_with_its_evidence(url: str, tmp_path: Path) -> None:
    test_the_closed_loop_over_the_api(url, tmp_path)
    month = People(url, tmp_path, T0 + timedelta(days=40))
    [first, *_] = month["inspector"].get("/api/lookbacks").json()
    evidence = month.photo("inspector", 21)
    result = month.post("inspector", f"/api/lookbacks/{first['id']}/review",
                        {"outcome": "passed", "note": "复查未见反弹", "photo_ids": [evidence]})
    assert result.status_code == 200, result.text
    assert result.json()["state"] == "passed"
    assert evidence in result.json()["photo_ids"]
    stranger = month.post("other-inspector", f"/api/lookbacks/{first['id']}/review",
                          {"outcome": "passed", "note": "x"})
    assert stranger.status_code == 404
    assert month["other-inspector"].get(f"/api/lookbacks/{first['id']}").status_code == 404
    assert month["other-inspector"].get("/api/lookbacks").json() == []
    assert month["unit"].get(f"/api/lookbacks/{first['id']}").json()["state"] == "passed"
    passed = month["leader"].get("/api/lookbacks", params={"state": "passed"}).json()
    assert [r["id"] for r in passed] == [first["id"]]
    bad = month["leader"].get("/api/lookbacks", params={"due_before": "soon"})
    assert bad.status_code == 422 and "due_before" in bad.json()["detail"]


def test_each_role_sees_its_own_cases(url: str, tmp_path: Path) -> None:
    now = People(url, tmp_path, T0)
    _opened(now)
    refs = {name: [c["case"]["reference"] for c in now[name].get("/api/cases").json()]
            for name in PEOPLE}
    assert refs == {"leader": ["DC2-2022-01"], "inspector": ["DC2-2022-01"],
                    "other-inspector": [], "unit": ["DC2-2022-01"], "other-unit": [],
                    "officer": [], "acceptor": ["DC2-2022-01"], "assessor": ["DC2-2022-01"]}
    hidden = now["other-unit"].get("/api/cases/DC2-2022-01")
    assert hidden.status_code == 404
    assert hidden.json() == {"error": "not_found", "detail": "case DC2-2022-01: no such case"}


def test_the_wrong_role_gets_403_and_it_is_logged(url: str, tmp_path: Path) -> None:
    now = People(url, tmp_path, T0)
    _opened(now)
    refused = now.post("inspector", "/api/cases/DC2-2022-01/start")
    assert refused.status_code == 403
    assert refused.json()["detail"] == ("case DC2-2022-01: role 'inspector' may not start "
                                        "rectification; only unit, leader, admin")
    assert now.post("unit", "/api/cases", NEW_CASE | {"reference": "X"}).status_code == 403
    engine = create_engine(url)
    with engine.connect() as conn:
        denied = conn.execute(sa.select(security_events.c.user_name, security_events.c.detail)
                              .where(security_events.c.kind == "denied")).all()
    engine.dispose()
    assert [d.user_name for d in denied] == ["inspector", "unit"]
    assert "POST /api/cases/DC2-2022-01/start" in denied[0].detail


@pytest.mark.parametrize(("body", "status", "kind", "detail"), [
    ({"photo_ids": []}, 422, "missing_evidence", "claim rectified needs rectification photos"),
    ({"photo_ids": [999]}, 404, "not_found", "photo 999: no such photo"),
])
def test_claims_without_good_evidence_are_refused(url: str, tmp_path: Path, body: dict,
                                                  status: int, kind: str, detail: str) -> None:
    now = People(url, tmp_path, T0)
    _opened(now)
    now.post("unit", "/api/cases/DC2-2022-01/start")
    response = now.post("unit", "/api/cases/DC2-2022-01/claim", body)
    assert response.status_code == status
    assert response.json()["error"] == kind and detail in response.json()["detail"]
    assert now["unit"].get("/api/cases/DC2-2022-01").json()["case"]["state"] == "rectifying"


@pytest.mark.parametrize(("change", "detail"), [
    ({"site_codes": ["NOPE"]}, "site_codes: no site with code NOPE"),
    ({"source": "gossip"}, "source 'gossip' is unknown"),
    ({"deadline": "someday"}, "deadline"),
])
def test_bad_new_cases_are_named(url: str, tmp_path: Path, change: dict, detail: str) -> None:
    response = People(url, tmp_path, T0).post("leader", "/api/cases", NEW_CASE | change)
    assert response.status_code == 422
    assert detail in str(response.json()["detail"])


def test_tickets_go_to_their_unit(url: str, tmp_path: Path) -> None:
    now = People(url, tmp_path, T0)
    _opened(now)
    issued = now.post("leader", "/api/tickets", {
        "responsible_unit": UNIT, "deadline": "2022-03-11", "request": "请立即整改",
        "case_reference": "DC2-2022-01"})
    assert issued.status_code == 201, issued.text
    ticket = issued.json()
    assert ticket["number"] == "DB-2022-0001"
    assert [t["id"] for t in now["unit"].get("/api/tickets").json()] == [ticket["id"]]
    assert now["other-unit"].get(f"/api/tickets/{ticket['id']}").status_code == 404
    assert now["officer"].get("/api/tickets").json() == []
    answered = now.post("unit", f"/api/tickets/{ticket['id']}/respond",
                        {"response": "已整改", "photo_ids": [now.photo("unit", 31)]})
    assert answered.json()["state"] == "responded"
    verified = now.post("inspector", f"/api/tickets/{ticket['id']}/verify", {"note": "属实"})
    assert verified.json()["state"] == "verified"
    again = now.post("inspector", f"/api/tickets/{ticket['id']}/verify")
    assert again.status_code == 409


def test_stats_are_for_leaders(url: str, tmp_path: Path) -> None:
    now = People(url, tmp_path, T0)
    _opened(now)
    figures = now["leader"].get("/api/stats", params={"year": 2022}).json()
    assert figures["feedback"]["total"] == 1
    refused = now["unit"].get("/api/stats", params={"year": 2022})
    assert refused.status_code == 403 and refused.json()["error"] == "not_allowed"
    bad = now["leader"].get("/api/stats", params={"year": 2022, "month": 13})
    assert bad.status_code == 422


def _rectified(now: People) -> None:
    _opened(now)
    now.post("unit", "/api/cases/DC2-2022-01/start")
    now.post("unit", "/api/cases/DC2-2022-01/claim", {"photo_ids": [now.photo("unit", 41)]})


def test_the_acceptance_group_accepts_on_the_case_page(url: str, tmp_path: Path) -> None:
    now = People(url, tmp_path, T0)
    _rectified(now)
    inspector = now["acceptor"]
    page = inspector.get("/cases/DC2-2022-01")
    assert page.status_code == 200 and 'id="step-accept"' in page.text
    for other in ("unit", "inspector", "assessor"):
        assert 'id="step-accept"' not in now[other].get("/cases/DC2-2022-01").text
    token = headers(inspector)["X-CSRF-Token"]
    empty = inspector.post("/cases/DC2-2022-01/acceptance",
                           data={"decision": "accept", "csrf_token": token})
    assert empty.status_code == 422
    assert "请上传至少一张现场照片。" in empty.text  # beside the photo field, in Chinese
    shot = jpeg(tmp_path / "site.jpg", seed=42, exif=exif_bytes(lon=E1[0], lat=E1[1]))
    with shot.open("rb") as f:
        done = inspector.post("/cases/DC2-2022-01/acceptance",
                              data={"decision": "accept", "note": "现场核查到位",
                                    "csrf_token": token},
                              files={"photos": ("site.jpg", f, "image/jpeg")})
    assert (done.status_code, done.headers["location"]) == (303,
                                                          "/cases/DC2-2022-01?done=accept")
    assert now["leader"].get("/api/cases/DC2-2022-01").json()["case"]["state"] == "accepted"


def test_a_return_for_rework_needs_a_reason(url: str, tmp_path: Path) -> None:
    now = People(url, tmp_path, T0)
    _rectified(now)
    inspector = now["acceptor"]
    token = headers(inspector)["X-CSRF-Token"]
    silent = inspector.post("/cases/DC2-2022-01/acceptance",
                            data={"decision": "return", "csrf_token": token})
    assert silent.status_code == 422 and "请填写理由。" in silent.text
    sent = inspector.post("/cases/DC2-2022-01/acceptance",
                          data={"decision": "return", "note": "渗滤液池未封闭",
                                "csrf_token": token})
    assert sent.status_code == 303
    assert now["leader"].get("/api/cases/DC2-2022-01").json()["case"]["state"] == "rectifying"
    refused = now["unit"].post("/cases/DC2-2022-01/acceptance",
                               data={"decision": "accept", "csrf_token":
                                     headers(now["unit"])["X-CSRF-Token"]})
    assert refused.status_code == 403  # only the acceptance group accepts


def test_case_downloads_hold_what_the_role_sees(url: str, tmp_path: Path) -> None:
    now = People(url, tmp_path, T0)
    _opened(now)

    def rows(name: str, fmt: str = "csv") -> list[str]:
        response = now[name].get("/api/exports/cases", params={"format": fmt})
        assert response.status_code == 200, response.text
        assert response.headers["content-disposition"] == \
            f'attachment; filename="lookback-cases.{fmt}"'
        return response.content.decode("utf-8-sig").splitlines()[1:]

    assert len(rows("unit")) == 1 and "DC2-2022-01" in rows("unit")[0]
    assert rows("other-unit") == []
    gpkg = now["leader"].get("/api/exports/cases", params={"format": "gpkg"})
    path = tmp_path / "cases.gpkg"
    path.write_bytes(gpkg.content)
    import pyogrio

    assert len(pyogrio.read_dataframe(path)) == 1
    bad = now["leader"].get("/api/exports/cases", params={"format": "xls"})
    assert bad.status_code == 422 and "format 'xls' is unknown" in bad.json()["detail"]
