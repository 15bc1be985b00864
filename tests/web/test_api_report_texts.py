"""The report paragraphs over the API (/api/reports/texts): saved and read back, the next
month's draft, refused for an unknown part, a bad period, no CSRF token or a role that may
not have them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.client import client_for, headers, sign_in

NOW = datetime(2022, 12, 20, 2, 0, tzinfo=UTC)  # 10:00 on 20 December in the district
URL = "/api/reports/texts"


def _client(url: str, tmp_path: Path, name: str) -> TestClient:
    client = client_for(url, data_dir=tmp_path / "data", now=NOW)
    assert sign_in(client, name).status_code == 303
    return client


def test_paragraphs_are_saved_read_and_offered_as_the_next_months_draft(
        fresh_demo_url: str, tmp_path: Path) -> None:
    admin = _client(fresh_demo_url, tmp_path, "admin")
    assert admin.get(f"{URL}?year=2022&month=6").json() == {
        "kind": "month", "year": 2022, "month": 6, "texts": {}, "draft_from": None,
        "updated_at": None, "updated_by": None}
    saved = admin.put(f"{URL}?year=2022&month=6", headers=headers(admin),
                      json={"texts": {"plan": " 紧盯剩余问题。 ", "intro": ""}})
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert (body["changed"], body["texts"], body["updated_by"]) == (
        ["plan"], {"plan": "紧盯剩余问题。"}, "admin")
    assert body["updated_at"].startswith("2022-12-20T02:00")
    july = admin.get(f"{URL}?year=2022&month=7").json()
    assert (july["draft_from"], july["texts"]) == ("2022-06", {"plan": "紧盯剩余问题。"})
    year = admin.get(f"{URL}?year=2022").json()
    assert (year["kind"], year["month"], year["texts"]) == ("year", None, {})


def test_refusals(fresh_demo_url: str, tmp_path: Path) -> None:
    leader = _client(fresh_demo_url, tmp_path, "leader")
    unknown = leader.put(f"{URL}?year=2022&month=6", headers=headers(leader),
                         json={"texts": {"meetings": "42次"}})
    assert unknown.status_code == 422
    assert "no part named 'meetings'" in unknown.json()["detail"]
    assert leader.get(f"{URL}?year=1999").status_code == 422
    assert leader.get(f"{URL}?year=2022&month=13").status_code == 422
    assert leader.put(f"{URL}?year=2022&month=6",
                      json={"texts": {"plan": "计划"}}).status_code == 403  # no CSRF token
    assert leader.get(f"{URL}?year=2022&month=6").json()["texts"] == {}


@pytest.mark.parametrize("name", ["unit", "inspector"])
def test_other_roles_may_neither_read_nor_save_them(fresh_demo_url: str, tmp_path: Path,
                                                    name: str) -> None:
    client = _client(fresh_demo_url, tmp_path, name)
    assert client.get(f"{URL}?year=2022&month=6").status_code == 403
    assert client.put(f"{URL}?year=2022&month=6", headers=headers(client),
                      json={"texts": {"plan": "计划"}}).status_code == 403
