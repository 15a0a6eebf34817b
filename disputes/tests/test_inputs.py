"""Every input answered cleanly (core/validation.py, core/errors.py, core/pagination.py): what the
user sees is a 400/413 in Chinese that names the field, the same on SQLite and PostgreSQL, and
nothing half-written."""

from __future__ import annotations

import datetime as dt
import os
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone

from core import services
from core.models import Region
from disputes.models import Dispute, Party

SH = dt.timezone(dt.timedelta(hours=8))
PAYLOAD: dict[str, Any] = {
    "source": "hotline_12345",
    "external_ref": "12345-2026-009001",
    "dispute_type": "neighbour",
    "description": "楼上卫生间漏水，楼下墙面发霉（示例）",
    "parties": [
        {"role": "applicant", "name": "张某（示例）"},
        {"role": "respondent", "name": "李某（示例）"},
    ],
}


def _post(client: Any, world: Any, **changes: Any) -> Any:
    body = {**PAYLOAD, "community": world.community_a.pk, **changes}
    return client.post("/api/v1/disputes", body, content_type="application/json")


def _messages(response: Any) -> dict[str, str]:
    return {d["field"]: d["message"] for d in response.json()["detail"]}


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"address": "长" * 201}, "address", "纠纷发生地址：不能超过200个字（现有201个）"),
        ({"external_ref": "R" * 81}, "external_ref", "来源编号：不能超过80个字"),
        ({"description": "楼上漏水\x01楼下发霉"}, "description", "纠纷概要：含有不允许的控制字符"),
        ({"amount": "1e20"}, "amount", "涉及金额（元）：数值过大"),
        ({"people_count": 2**63}, "people_count", "涉及人数：应在0至2147483647之间"),
        ({"received_at": "1900-01-01T08:00:00+08:00"}, "received_at", "受理时间：日期1900-01-01早于2000年"),
        ({"parties": [{"role": "applicant", "name": "张" * 101}]}, "name", "姓名/名称：不能超过100个字"),
    ],
)
def test_api_intake_refuses_what_the_database_cannot_hold(world, client, changes, field, text):
    client.force_login(world.users["justice"])
    before = (Dispute.objects.count(), Party.objects.count())
    r = _post(client, world, **changes)
    assert r.status_code == 400, r.content
    assert text in _messages(r)[field]
    assert (Dispute.objects.count(), Party.objects.count()) == before


def test_nul_anywhere_in_the_input_is_a_400_naming_the_parameter(world, client):
    client.force_login(world.users["justice"])
    before = Dispute.objects.count()
    r = _post(client, world, description="楼上漏水\x00楼下发霉")
    assert r.status_code == 400
    assert _messages(r) == {"description": "参数 description：含有不允许的控制字符（如空字符），请删除后重试"}
    r = _post(client, world, parties=[{"role": "applicant", "name": "张\x00某"}])
    assert r.status_code == 400 and "parties.0.name" in _messages(r)
    assert Dispute.objects.count() == before
    r = client.get("/api/v1/disputes", {"q": "a\x00b"})
    assert r.status_code == 400 and "参数 q" in _messages(r)["q"]
    page = client.get("/disputes/", {"q": "a\x00b"})
    assert page.status_code == 400 and "参数 q：含有不允许的控制字符" in page.content.decode()


def test_naive_received_at_is_read_as_shanghai_and_a_future_one_is_refused(world, client):
    client.force_login(world.users["justice"])
    r = _post(client, world, received_at="2026-03-02T09:30:00")
    assert r.status_code == 201, r.content
    assert Dispute.objects.get().received_at == dt.datetime(2026, 3, 2, 9, 30, tzinfo=SH)
    tomorrow = timezone.localtime() + dt.timedelta(days=1)
    r = _post(client, world, external_ref="12345-2026-009002", received_at=tomorrow.isoformat())
    assert r.status_code == 400
    assert "受理时间：" in _messages(r)["received_at"] and "不能是将来的日期" in _messages(r)["received_at"]
    assert Dispute.objects.count() == 1


def test_every_model_save_is_checked_with_the_field_name(world):
    with pytest.raises(ValidationError) as caught:
        services.region_create(
            code="990100001099", name="名" * 300, level="community", parent=world.street, by=None
        )
    assert (
        "名称" in caught.value.message_dict["name"][0] and "不能超过" in caught.value.message_dict["name"][0]
    )
    assert not Region.objects.filter(code="990100001099").exists()


@pytest.mark.parametrize(
    ("url", "field", "text"),
    [
        ("/api/v1/disputes?page=99999999999999999999", "page", "参数 page：应不大于100000"),
        ("/api/v1/regions?page_size=1000", "page_size", "参数 page_size：应不大于100"),
        ("/api/v1/calendar/deadline?rule=disclosure.answer&start=9999-12-31", "start", "晚于2099年"),
        ("/api/v1/calendar/deadline?rule=disclosure.answer&start=1900-01-01", "start", "早于2000年"),
    ],
)
def test_pages_and_dates_are_bounded(world, client, url, field, text):
    client.force_login(world.users["justice"])
    r = client.get(url)
    assert r.status_code == 400 and text in _messages(r)[field]


def test_django_errors_are_chinese_json_under_api_and_pages_elsewhere(world, client, settings):
    client.force_login(world.users["justice"])
    r = client.get("/api/v1/no-such-thing")
    assert r.status_code == 404 and r.json() == {"detail": "未找到：它可能不存在，或不在您的工作范围内"}
    r = client.post("/api/v1/disputes", b"{not json", content_type="application/json")
    assert r.status_code == 400 and "请求体无法解析" in r.json()["detail"]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    r = _post(client, world, description="很长的纠纷概要" * 200)
    assert r.status_code == 413 and "提交的内容过大" in r.json()["detail"]
    page = client.post("/disputes/new/", {"description": "很长" * 1000})
    assert page.status_code == 413 and "提交的内容过大" in page.content.decode()


def test_openapi_declares_the_error_answers(world, client):
    schema = client.get("/api/v1/openapi.json").json()
    intake = schema["paths"]["/api/v1/disputes"]["post"]["responses"]
    assert {"400", "401", "403", "404", "413"} <= set(intake)
    params = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/disputes"]["get"]["parameters"]}
    assert params["page"]["maximum"] == 100000
    assert {"type": "integer", "minimum": 1, "maximum": 100} in params["page_size"]["anyOf"]


# Concurrent writers meet only on PostgreSQL: SQLite serialises them behind one file lock (and the
# test database is in memory), so this test exists only where DATABASE_URL names PostgreSQL.
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
if ON_POSTGRESQL:

    @pytest.mark.django_db(transaction=True)
    def test_concurrent_intakes_with_one_reference_give_one_case(world):
        """Three threads post the same source reference at once: one 201, the others 200 with that case."""
        barrier = threading.Barrier(3)
        results: list[tuple[int, int]] = []

        def post() -> None:
            client = Client()
            client.force_login(world.users["justice"])
            barrier.wait()
            try:
                r = _post(client, world)
                results.append((r.status_code, r.json()["dispute"]["id"] if r.status_code < 300 else 0))
            finally:
                connection.close()

        threads = [threading.Thread(target=post) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(status for status, _ in results) == [200, 200, 201], results
        assert len({pk for _, pk in results}) == 1
        assert (
            Dispute.objects.filter(source="hotline_12345", external_ref=PAYLOAD["external_ref"]).count() == 1
        )
