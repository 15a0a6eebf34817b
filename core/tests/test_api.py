"""API: bearer tokens, throttling, me, errors in Chinese, OpenAPI docs."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from core.tests.fixtures import PASSWORD


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()
    yield
    cache.clear()


def token_for(client, username, password=PASSWORD):
    return client.post(
        "/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json"
    )


def test_token_flow_and_me(world, client):
    r = token_for(client, "t-mediator_a")
    assert r.status_code == 200
    token = r.json()["token"]
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200
    body = me.json()
    assert body["username"] == "t-mediator_a"
    assert body["memberships"][0]["role"] == "mediator"
    assert body["memberships"][0]["region"] == "示例甲居民区"
    assert "personal.reveal" in body["capabilities"]
    people = client.get("/api/v1/people", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [p["name"] for p in people["items"]] == [world.people["a"].name]
    assert people["items"][0]["phone_masked"] == "139****0001"
    assert (
        client.get(f"/api/v1/people/{world.people['b'].pk}", HTTP_AUTHORIZATION=f"Bearer {token}").status_code
        == 404
    )


def test_wrong_password_is_401_then_throttled(world, client):
    for _ in range(4):
        r = token_for(client, "t-justice", "wrong")
        assert r.status_code == 401
        assert r.json() == {"detail": "用户名或密码错误"}
    r = token_for(client, "t-justice", "wrong")  # the fifth failure locks the pair
    assert r.status_code == 429
    r = token_for(client, "t-justice")  # even the right password waits now
    assert r.status_code == 429
    assert "登录失败次数过多" in r.json()["detail"]


def test_login_page_is_throttled_too(world, client):
    for _ in range(4):
        r = client.post("/login/", {"username": "t-justice", "password": "wrong"})
        assert "用户名或密码错误" in r.content.decode()
    r = client.post("/login/", {"username": "t-justice", "password": "wrong"})
    assert r.status_code == 429 and "登录失败次数过多" in r.content.decode()
    r = client.post("/login/", {"username": "t-justice", "password": PASSWORD})
    assert "登录失败次数过多" in r.content.decode()


def test_bad_token_is_401(world, client):
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_missing_body_field_is_400_naming_it(world, client):
    r = client.post("/api/v1/auth/token", {"username": "x"}, content_type="application/json")
    assert r.status_code == 400
    assert r.json()["detail"][0]["field"] == "password"
    assert "缺少必填参数" in r.json()["detail"][0]["message"]


def test_deadline_endpoint(world, client):
    client.force_login(world.users["justice"])
    r = client.get("/api/v1/calendar/deadline?rule=disclosure.answer&start=2026-09-25")
    assert r.status_code == 200
    body = r.json()
    assert body["due"] == "2026-10-29"
    assert body["provisional"] is False
    assert (body["unit"], body["length"]) == ("wd", 20)
    assert "第33条" in body["legal_basis"]
    assert "国庆节" in body["explanation"]
    r = client.get("/api/v1/calendar/deadline?rule=disclosure.answer&start=2026-12-20")
    assert r.json()["provisional"] is True and r.json()["due"] == "2027-01-15"


@pytest.mark.parametrize(
    ("query", "field", "text"),
    [
        ("rule=nope.rule&start=2026-09-25", "rule", "未知的时限规则"),
        ("rule=disclosure.answer&start=2026-9-31", "start", "不是有效日期"),
        ("rule=disclosure.answer&start=yesterday", "start", "不是有效日期"),
        ("start=2026-09-25", "rule", "缺少必填参数"),
        ("rule=disclosure.answer", "start", "缺少必填参数"),
    ],
)
def test_deadline_bad_parameters_are_400_naming_the_parameter(world, client, query, field, text):
    client.force_login(world.users["justice"])
    r = client.get(f"/api/v1/calendar/deadline?{query}")
    assert r.status_code == 400
    detail = r.json()["detail"][0]
    assert detail["field"] == field and text in detail["message"]


def test_openapi_docs_and_schema(world, client):
    client.force_login(world.users["justice"])
    assert client.get("/api/v1/docs").status_code == 200
    schema = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/auth/token",
        "/api/v1/me",
        "/api/v1/regions",
        "/api/v1/units",
        "/api/v1/people",
        "/api/v1/calendar/deadline",
        "/api/v1/my-work",
    ):
        assert path in schema["paths"], path


def test_units_filter_by_region_subtree(world, client):
    client.force_login(world.users["district"])
    r = client.get(f"/api/v1/units?region={world.street.pk}").json()
    names = {u["name"] for u in r["items"]}
    assert "示例甲居民区人民调解委员会" in names and "示例二街道司法所" not in names
    client.force_login(world.users["mediator_a"])
    assert client.get(f"/api/v1/units?region={world.street.pk}").status_code == 404
