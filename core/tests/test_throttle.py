"""Sign-in locks behind a proxy: django-axes per (user name, client address) on the login page,
the admin login and the token API; the client address from the trusted proxy header."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory

from core.auth import client_ip
from core.tests.fixtures import PASSWORD

PROXY = "10.0.0.1"  # the TLS proxy every request comes through


@pytest.fixture
def behind_proxy(settings):
    settings.FAZHI_TRUSTED_PROXY_COUNT = 1
    settings.FAZHI_TRUSTED_PROXIES = ["10.0.0.0/24"]
    return settings


def via(address: str | None) -> dict[str, Any]:
    """Request headers of a client at ``address`` behind the one proxy (None: straight to the proxy)."""
    meta: dict[str, Any] = {"REMOTE_ADDR": PROXY}
    if address:
        meta["HTTP_X_FORWARDED_FOR"] = address
    return meta


def token(client: Client, username: str, password: str, address: str | None) -> int:
    r = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
        **via(address),
    )
    return r.status_code


def test_client_address_from_the_trusted_proxy_header(settings):
    rf = RequestFactory()
    spoofed = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    settings.FAZHI_TRUSTED_PROXIES = ["10.0.0.0/24"]
    settings.FAZHI_TRUSTED_PROXY_COUNT = 0  # not configured: the header is anybody's words
    assert client_ip(spoofed) == PROXY
    settings.FAZHI_TRUSTED_PROXY_COUNT = 1  # what the client wrote left of the proxy's entry is ignored
    assert client_ip(spoofed) == "198.51.100.7"
    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY)) == PROXY  # came around the proxy
    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not an address")) == PROXY
    two = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7, 10.0.0.1")
    settings.FAZHI_TRUSTED_PROXY_COUNT = 2  # e.g. a load balancer behind the TLS proxy
    assert client_ip(two) == "198.51.100.7"
    settings.FAZHI_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.FAZHI_TRUSTED_PROXY_COUNT = 1
    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="203.0.113.5")) == "203.0.113.5"
    # A client that reaches the app directly, not through a listed proxy, cannot choose its address.
    direct = rf.get("/", REMOTE_ADDR="3.3.3.3", HTTP_X_REAL_IP="203.0.113.5")
    assert client_ip(direct) == "3.3.3.3"


def test_two_clients_behind_one_proxy_do_not_lock_each_other_out(world, behind_proxy):
    a, b = Client(), Client()
    assert [token(a, "t-justice", "wrong", "198.51.100.7") for _ in range(5)] == [401] * 4 + [429]
    assert token(a, "t-justice", PASSWORD, "198.51.100.7") == 429  # locked at A's address
    assert token(b, "t-justice", PASSWORD, "198.51.100.8") == 200  # the same user elsewhere is not
    assert token(b, "t-leader", PASSWORD, "198.51.100.7") == 200  # nor another user at A's address
    assert [token(b, "t-leader", "wrong", "198.51.100.8") for _ in range(5)][-1] == 429
    assert token(a, "t-leader", PASSWORD, "198.51.100.7") == 200  # B's lock does not reach A


def test_without_proxy_setting_a_forged_header_does_not_escape_the_lock(world):
    c = Client()
    for i in range(5):
        token(c, "t-justice", "wrong", f"198.51.100.{i}")
    assert token(c, "t-justice", PASSWORD, "198.51.100.99") == 429


def test_login_page_locks_a_user_at_one_address_only(world, behind_proxy):
    here, there = Client(), Client()
    for _ in range(4):
        r = here.post("/login/", {"username": "t-mediator_a", "password": "wrong"}, **via("198.51.100.7"))
        assert r.status_code == 200 and "用户名或密码错误" in r.content.decode()
    r = here.post("/login/", {"username": "t-mediator_a", "password": "wrong"}, **via("198.51.100.7"))
    assert r.status_code == 429
    page = r.content.decode()
    assert "登录失败次数过多，请15分钟后再试" in page and "在其他地址登录不受影响" in page
    r = here.post("/login/", {"username": "t-mediator_a", "password": PASSWORD}, **via("198.51.100.7"))
    assert r.status_code == 429
    r = there.post("/login/", {"username": "t-mediator_a", "password": PASSWORD}, **via("198.51.100.8"))
    assert r.status_code == 302 and r["Location"] == "/"  # signed in, sent to 我的工作


def test_admin_login_is_throttled(world, behind_proxy):
    c = Client()
    for _ in range(4):
        r = c.post("/admin/login/", {"username": "t-district", "password": "wrong"}, **via("198.51.100.7"))
        assert r.status_code == 200
    r = c.post("/admin/login/", {"username": "t-district", "password": "wrong"}, **via("198.51.100.7"))
    assert r.status_code == 429 and "登录失败次数过多" in r.content.decode()
    r = c.post("/admin/login/", {"username": "t-district", "password": PASSWORD}, **via("198.51.100.7"))
    assert r.status_code == 429
    # The login page shares the lock of the pair: the same password guessing does not move there.
    r = c.post("/login/", {"username": "t-district", "password": PASSWORD}, **via("198.51.100.7"))
    assert r.status_code == 429
    other = Client()
    r = other.post(
        "/admin/login/?next=/admin/", {"username": "t-district", "password": PASSWORD}, **via("198.51.100.8")
    )
    assert r.status_code == 302 and r["Location"] == "/admin/"


def test_a_success_clears_the_count(world, behind_proxy):
    c = Client()
    for _ in range(4):
        token(c, "t-justice", "wrong", "198.51.100.7")
    assert token(c, "t-justice", PASSWORD, "198.51.100.7") == 200
    assert [token(c, "t-justice", "wrong", "198.51.100.7") for _ in range(4)] == [401] * 4
