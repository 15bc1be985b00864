"""Signing in and out: Argon2 passwords, HttpOnly sessions, CSRF, rate limits, languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from geo.db import create_engine
from tests.web.client import client_for, csrf, headers, sign_in
from web.accounts.schema import security_events, users

NOW = datetime(2022, 12, 20, 2, 0, tzinfo=UTC)


def _events(url: str, kind: str) -> list[sa.Row]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(security_events).where(security_events.c.kind == kind)
                            .order_by(security_events.c.id)).all()
    engine.dispose()
    return rows


def test_the_login_page_is_chinese_by_default_and_english_on_request(demo_url: str) -> None:
    client = client_for(demo_url)
    page = client.get("/login")
    assert page.status_code == 200
    assert '<html lang="zh-CN">' in page.text and "用户名" in page.text
    assert "lookback_csrf" in page.cookies
    csrf = next(h for h in page.headers.get_list("set-cookie") if h.startswith("lookback_csrf="))
    assert "HttpOnly" in csrf and "SameSite=strict" in csrf and "Path=/" in csrf
    assert "set-cookie" not in client.get("/login").headers  # made once, then kept
    english = client.get("/login?lang=en")
    assert '<html lang="en">' in english.text and "User name" in english.text
    assert client.get("/login").text.count("User name") == 1  # the choice is remembered


def test_home_sends_strangers_to_the_login_page(demo_url: str) -> None:
    response = client_for(demo_url).get("/")
    assert (response.status_code, response.headers["location"]) == (303, "/login")


def test_sign_in_sets_an_httponly_session_and_shows_the_role(demo_url: str) -> None:
    client = client_for(demo_url, now=NOW)
    response = sign_in(client, "officer")
    assert (response.status_code, response.headers["location"]) == (303, "/")
    cookie = next(h for h in response.headers.get_list("set-cookie")
                  if h.startswith("lookback_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    home = client.get("/")
    assert home.status_code == 200
    assert "当前用户：officer（网格员）" in home.text
    assert client.get("/api/layers").json()["grid_cells"] == 272


def test_passwords_are_stored_as_argon2_hashes(demo_url: str) -> None:
    engine = create_engine(demo_url)
    with engine.connect() as conn:
        hashes = conn.execute(sa.select(users.c.password_hash)).scalars().all()
    engine.dispose()
    assert len(hashes) == 7  # the demo accounts, one per role
    assert all(h.startswith("$argon2id$") and "demo" not in h for h in hashes)


def test_a_wrong_password_is_refused_in_chinese_and_logged(demo_url: str) -> None:
    client = client_for(demo_url, now=NOW)
    response = sign_in(client, "leader", "not-the-password")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text
    assert "lookback_session" not in response.cookies
    unknown = sign_in(client, "nobody", "whatever-it-is")
    assert unknown.status_code == 401 and "用户名或密码错误" in unknown.text
    logged = [(e.user_name, e.detail) for e in _events(demo_url, "login_failed")]
    assert ("leader", "wrong name or password") in logged
    assert ("nobody", "wrong name or password") in logged


def test_a_wrong_password_in_english(demo_url: str) -> None:
    client = client_for(demo_url, now=NOW)
    client.get("/login?lang=en")
    assert "Wrong user name or password." in sign_in(client, "unit", "bad-password").text


def test_posts_without_the_csrf_token_are_refused(demo_url: str) -> None:
    client = client_for(demo_url, now=NOW)
    csrf(client)
    page = client.post("/login", data={"name": "leader", "password": "leader-demo-2022"})
    assert page.status_code == 403
    assert "CSRF" in page.text and "lookback_session" not in page.cookies
    wrong = client.post("/login", data={"name": "leader", "password": "leader-demo-2022",
                                        "csrf_token": "forged"})
    assert wrong.status_code == 403
    assert sign_in(client, "leader").status_code == 303
    api = client.post("/logout")
    assert api.status_code == 403
    assert client.get("/api/layers").status_code == 200  # still signed in
    assert client.post("/logout", headers=headers(client)).status_code == 303


def test_sign_out_ends_the_session(demo_url: str) -> None:
    client = client_for(demo_url, now=NOW)
    sign_in(client, "inspector")
    token = client.cookies["lookback_session"]
    client.post("/logout", headers=headers(client))
    client.cookies.set("lookback_session", token)  # a stolen cookie is no use afterwards
    response = client.get("/api/layers")
    assert response.status_code == 401
    assert response.json() == {"error": "not_signed_in",
                               "detail": "the session has ended; sign in again"}


def test_sessions_expire_after_twelve_hours_even_on_a_frozen_clock(demo_url: str) -> None:
    client = client_for(demo_url, now=NOW, wall=NOW)
    sign_in(client, "admin")
    later = client_for(demo_url, now=NOW, wall=NOW + timedelta(hours=12, seconds=1))
    later.cookies.set("lookback_session", client.cookies["lookback_session"])
    assert later.get("/api/layers").status_code == 401
    assert client.get("/api/layers").status_code == 200


def test_next_only_goes_to_this_site(demo_url: str) -> None:
    client = client_for(demo_url, now=NOW)
    for target, expected in (("//evil.example/x", "/"), ("https://evil.example", "/"),
                             ("/docs", "/docs")):
        response = client.post("/login", data={"name": "leader", "password":
                                                "leader-demo-2022", "next": target,
                                                "csrf_token": csrf(client)})
        assert response.headers["location"] == expected


def test_repeated_failures_are_rate_limited(fresh_demo_url: str) -> None:
    client = client_for(fresh_demo_url, now=NOW, wall=NOW)
    for _ in range(5):
        assert sign_in(client, "leader", "wrong-password").status_code == 401
    limited = sign_in(client, "leader")  # even the right password, for now
    assert limited.status_code == 429
    assert "登录失败次数过多，请 16 分钟后再试" in limited.text
    assert _events(fresh_demo_url, "login_limited")[0].user_name == "leader"
    assert sign_in(client, "officer").status_code == 303  # other names are not locked out
    # The app's clock stays frozen (a demo); the lockout ends with the real time.
    later = client_for(fresh_demo_url, now=NOW, wall=NOW + timedelta(minutes=16))
    assert sign_in(later, "leader").status_code == 303


def test_api_requests_without_a_session_get_401_json(demo_url: str) -> None:
    response = client_for(demo_url).get("/api/layers")
    assert response.status_code == 401
    assert response.json()["error"] == "not_signed_in"


def test_a_planted_csrf_cookie_does_not_pass_once_signed_in(demo_url: str) -> None:
    victim = client_for(demo_url, now=NOW)
    sign_in(victim, "admin")
    # An attacker who can set cookies (a sibling subdomain) plants its own CSRF cookie and
    # echoes it: the token of a signed-in request is the session's, so this is refused.
    victim.cookies.set("lookback_csrf", "planted-token-value", domain="testserver.local")
    forged = victim.post("/api/users", headers={"X-CSRF-Token": "planted-token-value"},
                         json={"name": "intruder", "password": "intruder-pass-1234",
                               "role": "admin"})
    assert forged.status_code == 403 and forged.json()["error"] == "csrf"
    # The page's own token (the session's) still works, whatever the cookie says.
    page_token = csrf(victim)
    assert page_token != "planted-token-value"
    assert victim.post("/logout", data={"csrf_token": page_token}).status_code == 303

