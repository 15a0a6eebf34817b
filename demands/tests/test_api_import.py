"""The city platform sends orders through the API with a token (CSRF enforced) or a workbook: an order sent twice
is received once; the handling unit takes its steps through the API; the figures equal their drill-downs."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from core import services as core_services
from core.tests.sheets import post_import, xlsx_upload
from core.workflow import transition
from demands import indicators
from demands.importers import ORDERS_IMPORTER
from demands.models import WorkOrder
from demands.tests.conftest import at

D = dt.date


@pytest.fixture(autouse=True)
def _today(frozen_today):
    frozen_today(D(2026, 10, 20))


def rows_of(reading: Any) -> list[Any]:
    assert reading.records is not None
    return list(reading.records)


def post(token: str, path: str, body: dict) -> Any:
    return Client(enforce_csrf_checks=True).post(
        path, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


BODY = {
    "number": "12345-20261008-0001",
    "kind": "complaint",
    "category": "市容环境-占道经营",
    "content": "市民来电反映示例路口有人占道经营（示例）",
    "received_at": "2026-10-08T10:15:00+08:00",
    "caller_phone": "13900000111",
}


def test_the_city_platform_sends_an_order_once_and_the_unit_answers_it(hot, world):
    platform = core_services.token_issue(user=hot.desk, name="市12345平台（示例）")
    body = {**BODY, "region": world.community_a.pk}
    first = post(platform, "/api/v1/demands/orders", body)
    assert first.status_code == 201 and first.json()["created"] is True
    again = post(platform, "/api/v1/demands/orders", body)
    assert again.status_code == 200 and again.json()["created"] is False
    assert WorkOrder.objects.count() == 1
    order = first.json()["order"]
    assert order["actions"] == ["dispatch"] and "13900000111" not in first.content.decode()
    bad = post(
        platform,
        "/api/v1/demands/orders",
        {**body, "number": "12345-x", "kind": "不存在", "caller_phone": "12"},
    )
    assert bad.status_code == 400
    assert {d["field"] for d in bad.json()["detail"]} == {"kind", "caller_phone"}
    team = world.units["enforcement"]
    r = post(
        platform,
        f"/api/v1/demands/orders/{order['id']}/actions/dispatch",
        {"version": order["version"], "data": {"unit": str(team.pk), "dispatched_on": "2026-10-08"}},
    )
    assert r.status_code == 200 and r.json()["state"] == "dispatched"
    officer = core_services.token_issue(user=world.users["officer"], name="执法队系统（示例）")
    r = post(
        officer,
        f"/api/v1/demands/orders/{order['id']}/actions/accept",
        {"version": r.json()["version"], "data": {"accepted_on": "2026-10-09"}},
    )
    assert r.status_code == 200 and r.json()["state"] == "handling"
    # Another street's account does not see it
    other = core_services.token_issue(user=world.users["other"], name="示例")
    assert (
        Client()
        .get(f"/api/v1/demands/orders/{order['id']}", HTTP_AUTHORIZATION=f"Bearer {other}")
        .status_code
        == 404
    )
    # The auditor reads but never writes
    auditor = core_services.token_issue(user=world.users["auditor"], name="审计（示例）")
    assert post(auditor, "/api/v1/demands/orders", {**body, "number": "12345-y"}).status_code == 403


def test_a_workbook_of_orders_is_received_once_and_a_bad_row_names_its_column(hot, world, client_for):
    headers = [c.header for c in ORDERS_IMPORTER.columns]
    keys = [c.key for c in ORDERS_IMPORTER.columns]

    def sheet(rows: list[dict[str, str]]) -> Any:
        return xlsx_upload(headers, [[r.get(k, "") for k in keys] for r in rows], "工单.xlsx")

    rows = [
        {
            "number": f"12345-20261009-{n:04d}",
            "kind": "投诉",
            "category": "市容环境-占道经营",
            "content": "示例路口占道经营（示例）",
            "community": "990100001001",
            "received_at": "2026-10-09 09:30",
        }
        for n in range(1, 4)
    ]
    client = client_for(hot.desk)
    done = post_import(client, "demands-orders", sheet(rows))
    assert done.succeeded and WorkOrder.objects.count() == 3
    assert post_import(client, "demands-orders", sheet(rows)).succeeded and WorkOrder.objects.count() == 3
    bad = post_import(
        client,
        "demands-orders",
        sheet(
            [
                {**rows[0], "number": "12345-新"},
                {**rows[1], "number": "12345-新2", "community": "990100002001"},
            ]
        ),
    )
    assert bad.failed and WorkOrder.objects.count() == 3
    assert [(e[0], e[1]) for e in bad.job.errors] == [(3, "区划代码")]


def test_the_figures_are_their_own_drill_downs(hot, world):
    team = world.units["enforcement"]
    officer = world.users["officer"]

    def handled(order, replied_on: str, resolution: str = "resolved") -> Any:
        order = transition(
            order, "dispatch", by=hot.desk, data={"unit": str(team.pk), "dispatched_on": "2026-10-08"}
        )
        order = transition(order, "accept", by=officer, data={"accepted_on": "2026-10-08"})
        data = {"replied_on": replied_on, "resolution": resolution, "reply": "已办理并答复来电人（示例）"}
        return transition(order, "reply", by=officer, data=data)

    on_time = handled(hot.receive(), "2026-10-12")  # due 10-13
    late = handled(hot.receive(caller_phone="13900000222", address="另一路2号"), "2026-10-14", "explained")
    open_order = hot.receive(received_at=at(D(2026, 10, 9)), caller_phone="13900000333", address="第三路3号")
    transition(on_time, "close", by=hot.desk, data={"callback_on": "2026-10-13", "result": "satisfied"})
    transition(late, "reopen", by=hot.desk, data={"callback_on": "2026-10-15", "note": "未解决（示例）"})
    user, street = world.users["leader"], world.street
    start, end = D(2026, 1, 1), D(2026, 10, 20)
    received = indicators.orders_received(user, street, start, end)
    assert received.value == 3 and set(rows_of(received)) == {on_time, late, open_order}
    # The reopened order is being re-handled: not answered, so neither on time nor resolved yet
    rate = indicators.on_time_rate(user, street, start, end)
    assert (rate.numerator, rate.denominator) == (1, 1) and rows_of(rate) == [on_time]
    solved = indicators.resolution_rate(user, street, start, end)
    assert (solved.numerator, solved.denominator) == (1, 1)
    satisfied = indicators.satisfaction_rate(user, street, start, end)
    assert (satisfied.numerator, satisfied.denominator) == (1, 2) and rows_of(satisfied) == [on_time]
    # Answered again after its 3 working days: answered, but not on time
    again = {"replied_on": "2026-10-20", "resolution": "resolved", "reply": "重新处理完毕（示例）"}
    transition(late, "reply", by=officer, data=again)
    rate = indicators.on_time_rate(user, street, start, end)
    assert (rate.numerator, rate.denominator) == (1, 2) and rows_of(rate) == [on_time]
    # The same caller again within 30 days counts as a repeat
    repeat = hot.receive(received_at=at(D(2026, 10, 19)))
    assert rows_of(indicators.repeat_orders(user, street, start, end)) == [repeat]
    # Another street's figures do not include them
    assert indicators.orders_received(user, world.street2, start, end).value == 0
