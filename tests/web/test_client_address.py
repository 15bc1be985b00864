"""Forwarded headers are believed only from trusted proxies; the per-address login limit
cannot be dodged by sending X-Forwarded-For."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from starlette.requests import Request

from inspections.clock import FixedClock
from tests.web.client import csrf
from web.accounts.sessions import MAX_PER_IP
from web.app import create_app
from web.client_address import client_address, parse_proxies
from web.settings import Settings

NOW = datetime(2022, 12, 20, 2, 0, tzinfo=UTC)


def _request(peer: str, forwarded: str | None = None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return Request({"type": "http", "client": (peer, 5000), "headers": headers})


def test_the_header_is_ignored_unless_the_peer_is_a_trusted_proxy() -> None:
    proxies = parse_proxies("10.0.0.5, 192.168.1.0/24")
    assert client_address(_request("203.0.113.9", "1.2.3.4"), proxies) == "203.0.113.9"
    assert client_address(_request("203.0.113.9", "1.2.3.4"), ()) == "203.0.113.9"
    assert client_address(_request("10.0.0.5", "1.2.3.4"), proxies) == "1.2.3.4"
    # The client's own claim before the proxies' entries is not believed.
    assert client_address(_request("10.0.0.5", "6.6.6.6, 1.2.3.4, 192.168.1.7"),
                          proxies) == "1.2.3.4"
    assert client_address(_request("10.0.0.5"), proxies) == "10.0.0.5"
    assert client_address(_request("10.0.0.5", "garbage"), proxies) == "garbage"


def test_a_bad_proxy_setting_is_named() -> None:
    with pytest.raises(ValueError, match="trusted proxy 'proxy.lan': not an IP address"):
        parse_proxies("10.0.0.5,proxy.lan")
    with pytest.raises(ValidationError, match="proxy.lan"):
        Settings(trusted_proxies="proxy.lan")


def _client(url: str, proxies: str = "") -> TestClient:
    app = create_app(Settings(database_url=url, now=NOW, trusted_proxies=proxies))
    app.state.wall_clock = FixedClock(NOW)
    return TestClient(app, client=("203.0.113.9", 5000), follow_redirects=False)


def _fail_from_many_addresses(client: TestClient) -> list[int]:
    token = csrf(client)
    return [client.post("/login", headers={"X-Forwarded-For": f"198.51.100.{n}"},
                        data={"name": f"nobody{n}", "password": "wrong-password",
                              "csrf_token": token}).status_code
            for n in range(MAX_PER_IP + 1)]


def test_a_forged_header_does_not_dodge_the_address_limit(fresh_demo_url: str) -> None:
    statuses = _fail_from_many_addresses(_client(fresh_demo_url))
    assert statuses[:MAX_PER_IP] == [401] * MAX_PER_IP and statuses[-1] == 429


def test_behind_a_trusted_proxy_each_client_is_counted_alone(fresh_demo_url: str) -> None:
    statuses = _fail_from_many_addresses(_client(fresh_demo_url, "203.0.113.9"))
    assert statuses == [401] * (MAX_PER_IP + 1)
