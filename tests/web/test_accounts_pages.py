"""The accounts pages (账号管理) over HTTP: admin only, the same rules as `lookback users add`
with each refusal in Chinese beside its field (what was typed kept, never the password),
disable and enable, and a password reset shown once and stored only as a hash."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from geo.db import create_engine
from tests.web.client import client_for, csrf, sign_in
from web.accounts.schema import users
from web.security import CSRF_FIELD

CELLS = ("331002-01-01", "331002-01-02")


def _admin(url: str):  # noqa: ANN202
    client = client_for(url)
    assert sign_in(client, "admin").status_code == 303
    return client


def _create(client, **fields: object):  # noqa: ANN001, ANN202
    data = {CSRF_FIELD: csrf(client), "name": "wang.wei", "password": "a-long-secret",
            "role": "grid_officer", "grid": list(CELLS), "agency": "", "unit": ""} | fields
    return client.post("/accounts", data=data)


def _error_beside(page: str, field: str) -> str:
    """The error shown with a field (by the input's name; the grid cells' in their box)."""
    start = r'id="grid-cells"' if field == "grid" else rf'name="{field}"'
    found = re.search(rf'{start}.*?<(?:span|p) class="field-error" role="alert">'
                      r"([^<]+)<", page, re.S)
    assert found, page
    return found.group(1)


@pytest.mark.parametrize("name", ["officer", "unit", "leader", "inspector"])
def test_other_roles_get_the_forbidden_page(demo_url: str, name: str) -> None:
    client = client_for(demo_url)
    sign_in(client, name)
    for path in ("/accounts", "/accounts/new", "/accounts/officer"):
        page = client.get(path)
        assert page.status_code == 403
        assert "无权" in page.text or "权限" in page.text
    refused = client.post("/accounts/officer/disable", data={CSRF_FIELD: csrf(client)})
    assert refused.status_code == 403


def test_the_list_shows_each_account_with_role_binding_and_state(demo_url: str) -> None:
    page = _admin(demo_url).get("/accounts")
    assert page.status_code == 200
    assert "共 7 个账号" in page.text
    row = re.search(r'<tr data-name="inspector">(.*?)</tr>', page.text, re.S).group(1)
    assert "第三方检查人员" in row and "第三方机构：" in row and "启用" in row
    assert "网格：331002-" in re.search(r'<tr data-name="officer">(.*?)</tr>', page.text,
                                       re.S).group(1)


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"name": "Wang Wei!"}, "name", "登录名须为 2 至 64 个字符"),
    ({"name": "officer"}, "name", "登录名已被使用"),
    ({"name": "step-roles"}, "name", "该登录名为系统保留"),
    ({"password": "short"}, "password", "密码至少 8 个字符"),
    ({"role": ""}, "role", "请选择角色"),
    ({"grid": []}, "grid", "网格员至少要选择一个网格"),
    ({"role": "unit", "unit": "区水务局"}, "grid", "只有网格员才绑定网格"),
    ({"role": "inspector", "grid": []}, "agency", "第三方检查人员须填写所属机构"),
    ({"role": "unit", "grid": []}, "unit", "责任单位人员须填写所属责任单位"),
    ({"grid": ["331002-99-99"]}, "grid", "没有编号为 331002-99-99 的网格"),
])
def test_a_refused_account_says_why_beside_the_field(fresh_demo_url: str, fields: dict,
                                                     field: str, message: str) -> None:
    client = _admin(fresh_demo_url)
    page = _create(client, **fields)
    assert page.status_code == 422
    assert message in _error_beside(page.text, field)
    assert "账号未创建" in page.text
    assert "a-long-secret" not in page.text  # the password is never echoed
    typed = fields.get("name", "wang.wei")
    assert f'value="{typed}"' in page.text.replace("&#39;", "'").replace("&amp;", "&") or \
        typed == "Wang Wei!" and 'value="Wang Wei!"' in page.text
    for code in fields.get("grid", CELLS):
        if code in CELLS:
            assert re.search(rf'value="{code}" checked', page.text)
    with create_engine(fresh_demo_url).connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(users)).scalar_one() == 7


def test_an_officer_created_on_the_page_is_bound_to_the_cells_chosen(fresh_demo_url: str
                                                                     ) -> None:
    client = _admin(fresh_demo_url)
    made = _create(client)
    assert made.status_code == 303
    assert made.headers["location"] == "/accounts?done=created&name=wang.wei"
    listing = client.get(made.headers["location"])
    assert "已创建账号 wang.wei（网格员）。" in listing.text
    assert "共 8 个账号" in listing.text
    one = client.get("/accounts/wang.wei")
    assert "网格：331002-01-01、331002-01-02" in one.text
    officer = client_for(fresh_demo_url)
    assert sign_in(officer, "wang.wei", "a-long-secret").status_code == 303
    with create_engine(fresh_demo_url).connect() as conn:
        stored = conn.execute(sa.select(users.c.password_hash)
                              .where(users.c.name == "wang.wei")).scalar_one()
    assert "a-long-secret" not in stored


def test_disable_then_enable_an_account(fresh_demo_url: str) -> None:
    client = _admin(fresh_demo_url)
    page = client.get("/accounts/unit")
    assert "停用后，unit 立即退出登录" in page.text
    staff = client_for(fresh_demo_url)
    sign_in(staff, "unit")
    assert staff.get("/cases").status_code == 200
    done = client.post("/accounts/unit/disable", data={CSRF_FIELD: csrf(client)})
    assert done.headers["location"] == "/accounts/unit?done=disabled"
    assert "已停用账号 unit" in client.get(done.headers["location"]).text
    assert staff.get("/cases").status_code == 303  # the open session ended at once
    assert sign_in(client_for(fresh_demo_url), "unit").status_code == 401
    again = client.post("/accounts/unit/enable", data={CSRF_FIELD: csrf(client)})
    assert "已重新启用账号 unit" in client.get(again.headers["location"]).text
    assert sign_in(client_for(fresh_demo_url), "unit").status_code == 303


def test_an_admin_cannot_disable_themselves_nor_an_unknown_account(fresh_demo_url: str
                                                                   ) -> None:
    client = _admin(fresh_demo_url)
    page = client.get("/accounts/admin")
    assert "这是您自己的账号，不能停用。" in page.text
    assert "/accounts/admin/disable" not in page.text
    assert client.post("/accounts/admin/disable",
                       data={CSRF_FIELD: csrf(client)}).status_code == 403
    assert client.get("/accounts/nobody").status_code == 404
    assert client.post("/accounts/nobody/password",
                       data={CSRF_FIELD: csrf(client)}).status_code == 404


def test_a_reset_password_is_shown_once_and_only_its_hash_kept(fresh_demo_url: str) -> None:
    client = _admin(fresh_demo_url)
    staff = client_for(fresh_demo_url)
    sign_in(staff, "leader")
    answer = client.post("/accounts/leader/password", data={CSRF_FIELD: csrf(client)})
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    password = re.search(r'id="new-password">([^<]+)<', answer.text).group(1)
    assert len(password) == 16
    assert staff.get("/cases").status_code == 303  # the leader's session ended
    assert sign_in(client_for(fresh_demo_url), "leader").status_code == 401  # old password
    assert sign_in(client_for(fresh_demo_url), "leader", password).status_code == 303
    assert password not in client.get("/accounts/leader").text
    with create_engine(fresh_demo_url).connect() as conn:
        assert password not in conn.execute(
            sa.select(users.c.password_hash).where(users.c.name == "leader")).scalar_one()


def test_no_csrf_field_no_change(fresh_demo_url: str) -> None:
    client = _admin(fresh_demo_url)
    assert client.post("/accounts/unit/disable").status_code == 403
    assert sign_in(client_for(fresh_demo_url), "unit").status_code == 303


@pytest.mark.parametrize(("role", "label"), [("acceptor", "验收工作小组"),
                                             ("assessor", "评估工作小组")])
def test_an_admin_gives_an_account_a_government_group_role(fresh_demo_url: str, role: str,
                                                          label: str) -> None:
    client = _admin(fresh_demo_url)
    form = client.get("/accounts/new").text
    assert f'<option value="{role}">{label}</option>' in form
    made = _create(client, name="liu.jianguo", role=role, grid=[])
    assert made.status_code == 303, made.text
    row = re.search(r'<tr data-name="liu.jianguo">(.*?)</tr>', client.get("/accounts").text,
                    re.S).group(1)
    assert label in row
    with create_engine(fresh_demo_url).connect() as conn:
        stored = conn.execute(sa.select(users.c.role).where(users.c.name == "liu.jianguo"))
        assert stored.scalar_one() == role


def test_an_admin_sets_who_accepts_and_assesses_per_source(fresh_demo_url: str) -> None:
    client = _admin(fresh_demo_url)
    assert 'href="/accounts/step-roles"' in client.get("/accounts").text
    page = client.get("/accounts/step-roles").text
    assert "信访件 · 验收" in page and "网格巡查 · 销号评估" in page
    form = re.search(r'id="roles-petition-accept">(.*?)</form>', page, re.S).group(1)
    assert 'value="acceptor" checked' in form and 'value="inspector" checked' not in form
    none = client.post("/accounts/step-roles", data={CSRF_FIELD: csrf(client),
                                                     "source": "petition", "step": "accept"})
    assert none.status_code == 422 and "请至少选择一个角色。" in none.text
    saved = client.post("/accounts/step-roles", data={
        CSRF_FIELD: csrf(client), "source": "petition", "step": "accept",
        "roles": ["acceptor", "inspector"]})
    assert saved.status_code == 303
    page = client.get(saved.headers["location"]).text
    assert "已保存信访件的验收办理角色。" in page
    form = re.search(r'id="roles-petition-accept">(.*?)</form>', page, re.S).group(1)
    assert 'value="inspector" checked' in form and "恢复默认" in form
    reset = client.post("/accounts/step-roles", data={
        CSRF_FIELD: csrf(client), "source": "petition", "step": "accept", "reset": "1"})
    assert reset.status_code == 303
    form = re.search(r'id="roles-petition-accept">(.*?)</form>',
                     client.get("/accounts/step-roles").text, re.S).group(1)
    assert 'value="inspector" checked' not in form and "默认" in form
    leader = client_for(fresh_demo_url)
    sign_in(leader, "leader")
    assert leader.get("/accounts/step-roles").status_code == 403


def _change(client, name: str, **fields: object):  # noqa: ANN001, ANN202
    data = {CSRF_FIELD: csrf(client), "role": "unit", "grid": [], "agency": "",
            "unit": "区水务局"} | fields
    return client.post(f"/accounts/{name}/role", data=data)


def test_an_officer_becomes_a_units_clerk_from_the_next_page(fresh_demo_url: str) -> None:
    client = _admin(fresh_demo_url)
    page = client.get("/accounts/officer")
    assert 'href="/accounts/officer/edit"' in page.text
    form = client.get("/accounts/officer/edit").text
    assert '<option value="grid_officer" selected>' in form  # today's role and cells filled in
    assert re.search(r'value="331002-[0-9-]+" checked', form)
    staff = client_for(fresh_demo_url)
    sign_in(staff, "officer")
    assert "officer · 网格员" in staff.get("/").text
    done = _change(client, "officer")
    assert done.status_code == 303
    assert done.headers["location"] == "/accounts/officer?done=changed"
    shown = client.get(done.headers["location"]).text
    assert "已修改账号 officer 的角色和负责范围。" in shown and "责任单位：区水务局" in shown
    assert "officer · 责任单位" in staff.get("/").text  # the open session, under the new role
    with create_engine(fresh_demo_url).connect() as conn:
        row = conn.execute(sa.select(users.c.role, users.c.unit)
                           .where(users.c.name == "officer")).one()
    assert tuple(row) == ("unit", "区水务局")


@pytest.mark.parametrize(("name", "fields", "field", "message"), [
    ("officer", {"unit": ""}, "unit", "责任单位人员须填写所属责任单位"),
    ("officer", {"role": "grid_officer", "unit": "", "grid": []}, "grid",
     "网格员至少要选择一个网格"),
    ("officer", {"role": "grid_officer", "unit": "", "grid": ["331002-99-99"]}, "grid",
     "没有编号为 331002-99-99 的网格"),
    ("admin", {"role": "leader", "unit": ""}, "role", "不能修改自己的角色"),
])
def test_a_refused_change_says_why_and_changes_nothing(fresh_demo_url: str, name: str,
                                                      fields: dict, field: str,
                                                      message: str) -> None:
    client = _admin(fresh_demo_url)
    page = _change(client, name, **fields)
    assert page.status_code == 422
    assert message in _error_beside(page.text, field)
    assert "未保存" in page.text
    with create_engine(fresh_demo_url).connect() as conn:
        role = conn.execute(sa.select(users.c.role).where(users.c.name == name)).scalar_one()
    assert role == ("grid_officer" if name == "officer" else "admin")


def test_only_an_admin_changes_a_role_and_only_with_the_token(fresh_demo_url: str) -> None:
    leader = client_for(fresh_demo_url)
    sign_in(leader, "leader")
    assert leader.get("/accounts/officer/edit").status_code == 403
    assert _change(leader, "officer").status_code == 403
    client = _admin(fresh_demo_url)
    assert client.post("/accounts/officer/role", data={"role": "leader"}).status_code == 403
    assert _change(client, "nobody").status_code == 404
    assert 'href="/accounts/admin/edit"' not in client.get("/accounts/admin").text
    with create_engine(fresh_demo_url).connect() as conn:
        role = conn.execute(sa.select(users.c.role).where(users.c.name == "officer"))
        assert role.scalar_one() == "grid_officer"
