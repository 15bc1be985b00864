"""Accounts over the API: administrators only; never a password hash in an answer."""

from __future__ import annotations

from tests.web.client import client_for, headers, sign_in


def test_admins_create_list_and_disable_accounts(fresh_demo_url: str) -> None:
    admin = client_for(fresh_demo_url)
    sign_in(admin, "admin")
    made = admin.post("/api/users", headers=headers(admin), json={
        "name": "Zhang.San", "password": "zhang-san-pass", "role": "unit",
        "unit": "东山镇人民政府"})
    assert made.status_code == 201, made.text
    assert made.json() == {"id": made.json()["id"], "name": "zhang.san", "role": "unit",
                           "agency": None, "unit": "东山镇人民政府", "active": True,
                           "grid_cells": []}
    listed = admin.get("/api/users").json()
    assert [u["name"] for u in listed] == ["acceptor", "admin", "assessor", "inspector",
                                           "leader", "officer", "unit", "zhang.san"]
    assert all("password" not in str(u) for u in listed)
    zhang = client_for(fresh_demo_url)
    assert sign_in(zhang, "zhang.san", "zhang-san-pass").status_code == 303
    assert zhang.get("/api/layers").status_code == 200
    off = admin.post("/api/users/zhang.san/disable", headers=headers(admin))
    assert off.json()["active"] is False
    assert zhang.get("/api/layers").json() == {"error": "not_signed_in",
                                               "detail": "user zhang.san is disabled"}
    assert sign_in(client_for(fresh_demo_url), "zhang.san", "zhang-san-pass").status_code == 401


def test_only_admins_manage_accounts(fresh_demo_url: str) -> None:
    leader = client_for(fresh_demo_url)
    sign_in(leader, "leader")
    assert leader.get("/api/users").json() == {
        "error": "not_allowed", "detail": "users: role 'leader' may not list accounts; only "
                                          "admin"}
    refused = leader.post("/api/users", headers=headers(leader), json={
        "name": "x1", "password": "long-enough", "role": "admin"})
    assert refused.status_code == 403


def test_bad_accounts_are_named(fresh_demo_url: str) -> None:
    admin = client_for(fresh_demo_url)
    sign_in(admin, "admin")
    taken = admin.post("/api/users", headers=headers(admin), json={
        "name": "leader", "password": "long-enough", "role": "leader"})
    assert taken.status_code == 422
    assert taken.json()["detail"] == "user leader: the name is taken"
    assert admin.post("/api/users/admin/disable", headers=headers(admin)).status_code == 403
    missing = admin.post("/api/users/nobody/disable", headers=headers(admin))
    assert missing.status_code == 404
    assert missing.json() == {"error": "not_found", "detail": "user nobody: no such user"}
