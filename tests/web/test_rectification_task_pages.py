"""The rectification task pages (/rectification-tasks): a leader makes a task from case
references (errors in Chinese under the field, what was typed kept); the acceptance group
sees the task's step with the cases that block it, and a refused step names the case and
changes nothing; who sees what; the closure report button starts a report job."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import docx
import pytest
import sqlalchemy as sa

from inspections import workflow
from inspections.cases import find_case
from inspections.schema import cases
from tests.imagery.images import exif_bytes, jpeg
from tests.inspections.builders import UNIT, photo_ids
from tests.inspections.builders import clock as fixed_clock
from tests.inspections.task_builders import KINDS, open_cases, reference
from tests.web.client import CSRF_META, client_for, sign_in
from tests.web.jobs_worker import row_of
from web.database import engine_for
from web.jobs.local import start_in_thread
from web.jobs.schema import jobs
from web.settings import Settings

NOW = "2022-03-01T10:00:00+08:00"


@pytest.fixture
def world(fresh_demo_url: str, tmp_path: Path) -> dict:
    """The demo's 45 sites with a case each, rectified but the 17th (still rectifying)."""
    store = tmp_path / "store"
    engine = engine_for(Settings(database_url=fresh_demo_url, data_dir=store))
    clk = fixed_clock()
    p = photo_ids(engine, tmp_path, 3)
    from geo.layers import SITES

    t = SITES.table
    with engine.begin() as conn:
        sites = [(r.id, r.kind) for r in conn.execute(
            sa.select(t.c.id, t.c.kind).where(t.c.kind.in_(list(KINDS))).order_by(t.c.code))]
        open_cases(conn, clk, sites, photos={"rectification": p[:2], "acceptance": p[2:]},
                   lagging={17: "rectifying"})
    return {"url": fresh_demo_url, "data": str(store), "engine": engine, "tmp": tmp_path,
            "photos": p, "clock": clk}


def catch_up(world: dict, n: int) -> None:
    """The n-th case, still rectifying, is claimed rectified."""
    with world["engine"].begin() as conn:
        case = find_case(conn, reference(n))
        workflow.claim_rectified(conn, case_id=case.id, actor=UNIT, clock=world["clock"],
                                 photo_ids=world["photos"][:2])


def _client(world: dict, name: str):  # noqa: ANN202
    client = client_for(world["url"], now=NOW, data_dir=world["data"], job_runner="local")
    assert sign_in(client, name).status_code == 303
    return client


def _token(client, path: str) -> str:  # noqa: ANN001
    return CSRF_META.search(client.get(path).text).group(1)


def _make(world: dict, refs: str, **fields: str):  # noqa: ANN202
    leader = _client(world, "leader")
    data = {"title": "农村生活垃圾污染问题", "inspection": "2018年“回头看”", "serial": "12",
            "cases": refs, "contact_person": "王明", "contact_phone": "0576-88001234",
            "contact_email": "zgb@example.gov.cn", **fields,
            "csrf_token": _token(leader, "/rectification-tasks/new")}
    return leader, leader.post("/rectification-tasks", data=data)


ALL = "\n".join(reference(n) for n in range(1, 46))


def _states(world: dict) -> dict[str, int]:
    with world["engine"].connect() as conn:
        rows = conn.execute(sa.select(cases.c.state, sa.func.count()).group_by(cases.c.state))
        return dict(rows.all())


def test_a_leader_makes_a_task_and_the_acceptance_group_is_refused_naming_the_case(
        world: dict) -> None:
    leader = _client(world, "leader")
    assert "还没有整改任务" in leader.get("/rectification-tasks").text
    _, made = _make(world, ALL.replace("\n", "，", 3))  # lines, or commas
    assert made.status_code == 303, made.text
    page_url = made.headers["location"]
    listing = leader.get("/rectification-tasks").text
    assert "农村生活垃圾污染问题" in listing and "45 处点位" in listing
    page = leader.get(page_url).text
    assert "2018年“回头看” · 督察序号12" in page and 'id="closure-report"' in page
    assert 'id="step-accept"' not in page  # the leader does not accept
    case_page = leader.get(f"/cases/{reference(3)}").text
    assert f'<dd id="case-task"><a href="{page_url}">农村生活垃圾污染问题</a></dd>' in case_page
    acceptor = _client(world, "acceptor")
    page = acceptor.get(page_url).text
    assert 'id="step-accept"' in page
    assert f"以下案件尚不能验收，提交将被拒绝：{reference(17)}" in page
    assert 'id="closure-report"' not in page  # reports are for leaders and admins
    photo = jpeg(world["tmp"] / "accept.jpg", seed=91, exif=exif_bytes(lon=121.4, lat=28.7))
    token = _token(acceptor, page_url)
    with photo.open("rb") as fh:
        refused = acceptor.post(f"{page_url}/steps/accept", data={"csrf_token": token},
                                files={"photos": ("accept.jpg", fh, "image/jpeg")})
    assert refused.status_code == 409
    assert (f"案件 {reference(17)} 不能验收：该案件当前为“整改中”，须为“已整改待验收”。"
            "任务内的案件均未办理。") in refused.text
    assert _states(world) == {"rectified": 44, "rectifying": 1}
    denied = leader.post(f"{page_url}/steps/accept", data={"csrf_token": _token(leader, page_url)})
    assert denied.status_code == 403
    assert f"案件 {reference(1)} 不能验收：您无权办理此操作。" in denied.text
    assert acceptor.post(f"{page_url}/steps/accept").status_code == 403  # no CSRF token
    assert acceptor.post(f"{page_url}/steps/jump", data={"csrf_token": token}).status_code == 422
    catch_up(world, 17)
    empty = acceptor.post(f"{page_url}/steps/accept", data={"csrf_token": token})
    assert empty.status_code == 422 and "请上传至少一张现场照片。" in empty.text
    with photo.open("rb") as fh:
        done = acceptor.post(f"{page_url}/steps/accept", data={"csrf_token": token},
                             files={"photos": ("accept.jpg", fh, "image/jpeg")})
    assert (done.status_code, done.headers["location"]) == (303, f"{page_url}?done=accept")
    assert _states(world) == {"accepted": 45}


@pytest.mark.parametrize(("refs", "fields", "field_error"), [
    (f"{reference(1)}\nNOPE-1", {}, "没有编号为 NOPE-1 的案件，请核对案件编号。"),
    ("", {}, "此项必填。"),
    (reference(1), {"title": " "}, "此项必填。"),
    (reference(1), {"contact_email": "zgb.example"}, "请填写有效的电子邮箱。"),
    (reference(1), {"contact_phone": "电话"}, "请填写有效的联系电话"),
])
def test_a_bad_new_task_is_named_under_its_field(world: dict, refs: str, fields: dict,
                                                 field_error: str) -> None:
    _, refused = _make(world, refs, **fields)
    assert refused.status_code == 422 and field_error in refused.text
    assert 'value="2018年“回头看”"' in refused.text  # what was typed, kept


def test_a_case_in_another_task_is_named_and_others_see_no_tasks(world: dict) -> None:
    leader, made = _make(world, reference(1))
    assert made.status_code == 303
    _, again = _make(world, f"{reference(2)} {reference(1)}")
    assert again.status_code == 422 and f"案件 {reference(1)} 已归入其他整改任务。" in again.text
    unit = _client(world, "unit")
    assert unit.get("/rectification-tasks").status_code == 403
    assert unit.get(made.headers["location"]).status_code == 403
    assert 'href="/rectification-tasks"' not in unit.get("/").text
    assert 'href="/rectification-tasks"' in leader.get("/").text
    assert leader.get("/rectification-tasks/999").status_code == 404
    acceptor = _client(world, "acceptor")
    assert acceptor.get("/rectification-tasks/new").status_code == 403


def test_the_report_button_starts_a_report_job_for_the_task(world: dict) -> None:
    """The task page's button starts the existing report job, which writes the task's one
    closure report for the leader to download from the jobs page."""
    leader, made = _make(world, ALL)
    task_id = int(made.headers["location"].rsplit("/", 1)[1])
    token = _token(leader, made.headers["location"])
    started = leader.post("/tasks/reports", data={"csrf_token": token, "report": "closure",
                                                  "task_id": str(task_id)})
    assert (started.status_code, started.headers["location"]) == (303, "/tasks")
    with world["engine"].connect() as conn:
        row = conn.execute(sa.select(jobs.c.id, jobs.c.title, jobs.c.params)
                           .order_by(jobs.c.id.desc())).first()
    params = row.params if isinstance(row.params, dict) else json.loads(row.params)
    assert params == {"report": "closure", "task_id": task_id}
    assert row.title == f"整改任务销号评估报告 {task_id}"
    stop = start_in_thread(Settings(database_url=world["url"], data_dir=world["data"],
                                    now=NOW, job_runner="local"))
    try:
        deadline = time.monotonic() + 120
        while (state := row_of(world["engine"], row.id))["state"] not in ("succeeded",
                                                                         "failed"):
            assert time.monotonic() < deadline, dict(state)
            time.sleep(0.2)
    finally:
        stop()
    assert (state["state"], state["result"]["file"]) == ("succeeded",
                                                         f"closure-task-{task_id}.docx")
    got = leader.get(f"/tasks/{row.id}/result")
    assert got.status_code == 200
    doc = docx.Document(io.BytesIO(got.content))
    assert [p.text for p in doc.paragraphs[:2]] == ["关于农村生活垃圾污染问题整改任务销号评估报告",
                                                    "（2018年“回头看”督察序号12）"]
    assert "联系人：王明；联系电话：0576-88001234；电子邮箱：zgb@example.gov.cn。" in [
        p.text for p in doc.paragraphs]  # no notice yet: the contact sentence stands alone


def test_a_leader_takes_a_case_out_of_the_task(world: dict) -> None:
    leader, made = _make(world, ALL)
    page_url = made.headers["location"]
    page = leader.get(page_url).text
    assert page.count('class="remove-case"') == 45
    token = _token(leader, page_url)
    done = leader.post(f"{page_url}/cases/remove", data={"csrf_token": token,
                                                        "reference": reference(17)})
    assert (done.status_code, done.headers["location"]) == (303, f"{page_url}?done=remove")
    page = leader.get(page_url).text
    assert "44 件案件" in page and f'value="{reference(17)}"' not in page
    assert _states(world) == {"rectified": 44, "rectifying": 1}  # it keeps its state
    again = leader.post(f"{page_url}/cases/remove", data={"csrf_token": token,
                                                         "reference": reference(17)})
    assert again.status_code == 422
    assert f'id="rtask-error">案件 {reference(17)} 不在本任务中。' in again.text
    acceptor = _client(world, "acceptor")
    assert 'class="remove-case"' not in acceptor.get(page_url).text
    refused = acceptor.post(f"{page_url}/cases/remove",
                            data={"csrf_token": _token(acceptor, page_url),
                                  "reference": reference(1)})
    assert refused.status_code == 403
