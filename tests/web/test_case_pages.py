"""The case pages' forms without a browser: each refused step answers in Chinese beside its
field with what was typed kept and nothing recorded; only the steps a user may take are
offered; the new-case form and the case list's filters, sorting and pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.client import headers
from tests.web.test_api_cases import AGENCY, NEW_CASE, T0, UNIT, People, url  # noqa: F401

REF = "DC2-2022-01"


def _form(client: TestClient, path: str, data: dict, files: dict | None = None):  # noqa: ANN202
    return client.post(path, data=data | {"csrf_token": headers(client)["X-CSRF-Token"]},
                       files=files)


def _state(now: People) -> str:
    return now["leader"].get(f"/api/cases/{REF}").json()["case"]["state"]


def _opened(now: People) -> None:
    assert now.post("leader", "/api/cases", NEW_CASE).status_code == 201


def test_only_the_steps_the_user_may_take_are_offered(url: str, tmp_path: Path) -> None:  # noqa: F811
    now = People(url, tmp_path, T0)
    _opened(now)
    assert 'id="step-start"' in now["unit"].get(f"/cases/{REF}").text
    for name in ("inspector", "other-unit"):
        page = now[name].get(f"/cases/{REF}")
        assert 'id="step-start"' not in page.text
    assert now["other-unit"].get(f"/cases/{REF}").status_code == 404
    leader = now["leader"].get(f"/cases/{REF}").text
    assert 'id="step-publicise"' not in leader and 'id="step-close"' not in leader
    assert f'href="/tickets/new?case={REF}"' in leader  # 下发督办单 from the case
    assert 'id="issue-ticket"' not in now["unit"].get(f"/cases/{REF}").text
    refused = _form(now["inspector"], f"/cases/{REF}/steps/start", {})
    assert refused.status_code == 403 and "您无权办理此操作。" in refused.text
    assert _state(now) == "open"


def test_a_measure_without_photos_keeps_the_note(url: str, tmp_path: Path) -> None:  # noqa: F811
    now = People(url, tmp_path, T0)
    _opened(now)
    assert _form(now["unit"], f"/cases/{REF}/steps/start", {}).status_code == 303
    page = _form(now["unit"], f"/cases/{REF}/steps/measure",
                 {"position": "1", "note": "已完成收集改造"})
    assert page.status_code == 422
    assert '<span class="field-error" role="alert">请上传至少一张现场照片。</span>' in page.text
    assert "已完成收集改造</textarea>" in page.text
    bad = _form(now["unit"], f"/cases/{REF}/steps/measure", {"position": "9"})
    assert bad.status_code == 422 and "请填写 1 到 1 之间的整数。" in bad.text
    assert now["leader"].get(f"/api/cases/{REF}").json()["case"]["measures"][0]["done_at"] \
        is None


def test_a_file_that_is_not_an_image_is_named(url: str, tmp_path: Path) -> None:  # noqa: F811
    now = People(url, tmp_path, T0)
    _opened(now)
    _form(now["unit"], f"/cases/{REF}/steps/start", {})
    page = _form(now["unit"], f"/cases/{REF}/steps/claim", {"note": "整改完毕"},
                 files={"photos": ("f09.jpg", b"not a picture", "image/jpeg")})
    assert page.status_code == 422
    assert "照片 f09.jpg 无法接收" in page.text and "整改完毕</textarea>" in page.text
    assert _state(now) == "rectifying"


@pytest.mark.parametrize(("days", "status"), [("0", 422), ("abc", 422), ("61", 422)])
def test_a_bad_notice_period_is_refused(url: str, tmp_path: Path, days: str,  # noqa: F811
                                        status: int) -> None:
    now = People(url, tmp_path, T0)
    _opened(now)
    page = _form(now["leader"], f"/cases/{REF}/steps/publicise", {"days": days})
    assert page.status_code == status  # refused before the state is looked at
    assert "请填写 1 到 60 之间的整数。" in page.text


def test_the_wrong_state_and_an_unknown_step_are_refused(url: str, tmp_path: Path) -> None:  # noqa: F811
    now = People(url, tmp_path, T0)
    _opened(now)
    page = _form(now["leader"], f"/cases/{REF}/steps/publicise", {"days": "5"})
    assert page.status_code == 409 and "案件状态已变化，请刷新页面后再办理。" in page.text
    assert _form(now["leader"], f"/cases/{REF}/steps/explode", {}).status_code == 404
    assert _form(now["leader"], "/cases/NO-SUCH/steps/start", {}).status_code == 404


def test_the_person_in_charge(url: str, tmp_path: Path) -> None:  # noqa: F811
    now = People(url, tmp_path, T0)
    _opened(now)
    empty = _form(now["unit"], f"/cases/{REF}/steps/assign", {"person": "  "})
    assert empty.status_code == 422 and "此项必填。" in empty.text
    assert _form(now["unit"], f"/cases/{REF}/steps/assign", {"person": "陈华"}).status_code \
        == 303
    assert '<dd id="person">陈华</dd>' in now["leader"].get(f"/cases/{REF}").text


FORM = {"source": "inspection_feedback", "reference": "DC-2022-40", "title": "废气治理不到位",
        "target": "整改到位", "measures": "完成废气收集改造\n\n安装在线监测",
        "deadline": "2022-12-31",
        "responsible_unit": UNIT, "leader": "张副区长", "agency": AGENCY, "key_case": "1",
    "sites": "E1、E1"}


def test_a_leader_opens_a_case_with_the_form(url: str, tmp_path: Path) -> None:  # noqa: F811
    now = People(url, tmp_path, T0)
    assert now["leader"].get("/cases/new").status_code == 200
    done = _form(now["leader"], "/cases/new", FORM)
    assert (done.status_code, done.headers["location"]) == (303, "/cases/DC-2022-40")
    case = now["leader"].get("/api/cases/DC-2022-40").json()["case"]
    assert [m["text"] for m in case["measures"]] == ["完成废气收集改造", "安装在线监测"]
    assert (case["key_case"], case["leader"]) == (True, "张副区长")
    assert len(case["site_ids"]) == 1
    assert 'href="/map?site=E1"' in now["leader"].get("/cases/DC-2022-40").text
    again = _form(now["leader"], "/cases/new", FORM)
    assert again.status_code == 422 and "该案件编号已存在。" in again.text


@pytest.mark.parametrize(("change", "message"), [
    ({"title": " "}, "此项必填。"), ({"deadline": "2022-13-40"}, "请选择有效日期。"),
    ({"source": "petition"}, "信访件须填写批次（正整数）。"), ({"measures": ""}, "此项必填。"),
    ({"sites": "E1, NO-SUCH"}, "没有编码为 NO-SUCH 的点位，请核对点位编码。")])
def test_a_bad_new_case_is_refused_and_kept(url: str, tmp_path: Path, change: dict,  # noqa: F811
                                            message: str) -> None:
    now = People(url, tmp_path, T0)
    page = _form(now["leader"], "/cases/new", FORM | change)
    assert page.status_code == 422 and message in page.text
    assert 'value="DC-2022-40"' in page.text  # what was typed is kept
    assert now["leader"].get("/api/cases/DC-2022-40").status_code == 404


def test_only_leaders_open_cases_here(url: str, tmp_path: Path) -> None:  # noqa: F811
    now = People(url, tmp_path, T0)
    assert now["unit"].get("/cases/new").status_code == 403
    assert _form(now["inspector"], "/cases/new", FORM).status_code == 403
    assert 'id="new-case"' not in now["unit"].get("/cases").text


def test_the_list_filters_sorts_and_pages(url: str, tmp_path: Path) -> None:  # noqa: F811
    now = People(url, tmp_path, T0)
    for i in range(52):
        body = NEW_CASE | {"reference": f"DC-2022-{i:03d}", "title": f"问题{i}",
                           "deadline": f"2022-{(i % 12) + 1:02d}-15", "key_case": i == 7}
        assert now.post("leader", "/api/cases", body).status_code == 201
    leader = now["leader"]
    first = leader.get("/cases").text
    assert "共 52 件" in first and first.count('<tr><td data-label="编号">') == 50
    assert "第 1 / 2 页" in first
    second = leader.get("/cases?page=2").text
    assert second.count('<tr><td data-label="编号">') == 2
    found = leader.get("/cases?q=问题7").text  # 问题7 and 问题7x
    assert "共 1 件" in found
    assert "共 1 件" in leader.get("/cases?key=1").text
    dated = leader.get("/cases?from=2022-01-01&to=2022-01-31").text
    assert "共 5 件" in dated  # i = 0, 12, 24, 36, 48
    latest = leader.get("/cases?sort=deadline&desc=1").text
    assert latest.index("2022年12月15日") < latest.index("2022年1月15日")
    empty = leader.get("/cases?state=closed&q=无此问题").text
    assert "没有符合条件的案件。请放宽筛选条件" in empty
    assert "共 0 件" in empty and 'value="无此问题"' in empty
    assert "共 52 件" in leader.get("/cases?from=&to=&state=&sort=nonsense").text


def test_a_leader_sets_the_deadline(url: str, tmp_path: Path) -> None:  # noqa: F811
    now = People(url, tmp_path, T0)
    _opened(now)
    assert 'id="step-deadline"' not in now["unit"].get(f"/cases/{REF}").text
    past = _form(now["leader"], f"/cases/{REF}/steps/deadline", {"deadline": "2022-02-01"})
    assert past.status_code == 422 and "整改时限须晚于今天。" in past.text
    assert 'value="2022-02-01"' in past.text
    bad = _form(now["leader"], f"/cases/{REF}/steps/deadline", {"deadline": "soon"})
    assert bad.status_code == 422 and "请选择有效日期。" in bad.text
    done = _form(now["leader"], f"/cases/{REF}/steps/deadline",
                 {"deadline": "2022-06-30", "note": "雨季前完成"})
    assert done.status_code == 303
    page = now["leader"].get(f"/cases/{REF}").text
    assert "2022年6月30日" in page and "调整整改时限" in page
