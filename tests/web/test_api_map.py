"""The map API on the demo scenario as of its last day: flags by viewport, clusters when a
view holds many, one site's popup, photos, footprints, cases at a point, search, scoping."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from inspections.site_flags import FLAGS
from tests.scenario import Played
from tests.web.client import client_for, sign_in

DISTRICT = "121.2,28.5,121.7,28.9"


def _client(played: Played, name: str) -> TestClient:
    client = client_for(played.env["url"], now=played.env["now"],
                        data_dir=played.env["data"])
    assert sign_in(client, name).status_code == 303
    return client


def test_a_leader_sees_every_flag_of_the_scenario(played: Played) -> None:
    sites = _client(played, "leader").get("/api/map/sites", params={
        "bbox": DISTRICT, "zoom": 12}).json()
    assert sites["clustered"] is False
    flags = [f["properties"]["flag"] for f in sites["features"]]
    assert len(flags) == 445
    for flag in ("recurred", "overdue", "due", "awaiting_review", "passed"):
        assert flag in flags, flag
    assert all(f["geometry"]["type"] == "Point" for f in sites["features"])


def test_filters_narrow_the_sites(played: Played) -> None:
    leader = _client(played, "leader")

    def codes(**params: str) -> set[str]:
        found = leader.get("/api/map/sites", params={"bbox": DISTRICT} | params).json()
        return {f["properties"]["code"] for f in found["features"]}

    recurred = codes(flag="recurred")
    assert len(recurred) == 1
    assert codes(source="petition") and codes(source="petition") <= codes()
    assert all(c.startswith("LF") for c in codes(industry="", flag="recurred"))
    eyewear = leader.get("/api/map/sites", params={"bbox": DISTRICT,
                                                   "industry": "eyewear"}).json()
    assert {f["properties"]["industry"] for f in eyewear["features"]} == {"eyewear"}
    bad = leader.get("/api/map/sites", params={"bbox": DISTRICT, "flag": "purple"})
    assert bad.status_code == 422 and "flag 'purple'" in bad.json()["detail"]


def test_a_unit_sees_flags_only_of_its_own_cases(played: Played) -> None:
    unit = _client(played, "unit").get("/api/map/sites", params={"bbox": DISTRICT}).json()
    leader = _client(played, "leader").get("/api/map/sites", params={"bbox": DISTRICT}).json()
    flagged = sum(1 for f in unit["features"] if f["properties"]["flag"])
    assert 0 < flagged < sum(1 for f in leader["features"] if f["properties"]["flag"])


def test_the_popup_of_the_recurred_site(played: Played) -> None:
    leader = _client(played, "leader")
    [site] = leader.get("/api/map/sites", params={"bbox": DISTRICT,
                                                  "flag": "recurred"}).json()["features"]
    detail = leader.get(f"/api/map/sites/{site['properties']['code']}").json()
    assert detail["flags"][0] == "recurred"
    assert detail["cases"][0]["state"] == "rectifying" and detail["cases"][0]["is_recurrence"]
    assert [r["state"] for r in detail["rounds"]][-1] == "recurred"
    assert detail["photos"] and all(p["thumbnail"].startswith("/api/photos/")
                                    for p in detail["photos"])
    assert leader.get("/api/map/sites/NOPE").status_code == 404


def test_photos_footprints_cases_and_search(played: Played) -> None:
    leader = _client(played, "leader")
    photos = leader.get("/api/map/photos", params={"bbox": DISTRICT}).json()
    assert photos["features"]
    footprints = leader.get("/api/map/footprints", params={"bbox": DISTRICT}).json()
    assert footprints["features"] and all(f["geometry"]["type"] == "Polygon"
                                          for f in footprints["features"])
    cases = leader.get("/api/map/cases", params={"bbox": DISTRICT}).json()
    assert all(f["properties"]["reference"].startswith("XC-") for f in cases["features"])
    found = leader.get("/api/map/search", params={"q": "lf02"}).json()
    assert found and all("lf02" in f["code"].lower() for f in found)
    orthophotos = leader.get("/api/map/orthophotos", params={"bbox": DISTRICT}).json()
    assert len(orthophotos) == 6  # LF025-LF027 on two look-back rounds each
    assert {o["kind"] for o in orthophotos} == {"orthophoto"}


@pytest.mark.parametrize("path", ["/api/map/sites", "/api/map/photos"])
def test_a_view_of_many_is_counted_per_square(played: Played, path: str) -> None:
    body = _client(played, "leader").get(path, params={"bbox": DISTRICT, "limit": 50}).json()
    assert body["clustered"] is True
    assert all(f["properties"]["cluster"] for f in body["features"])
    assert sum(f["properties"]["count"] for f in body["features"]) > 50


def test_the_flag_filter_applies_to_patrol_cases(played: Played) -> None:
    leader = _client(played, "leader")
    every = leader.get("/api/map/cases", params={"bbox": DISTRICT}).json()["features"]
    assert every
    for flag in FLAGS:
        found = leader.get("/api/map/cases", params={"bbox": DISTRICT, "flag": flag}).json()
        expected = [f["id"] for f in every if flag in f["properties"]["flags"]]
        assert [f["id"] for f in found["features"]] == expected, flag
    bad = leader.get("/api/map/cases", params={"bbox": DISTRICT, "flag": "purple"})
    assert bad.status_code == 422 and "flag 'purple'" in bad.json()["detail"]
