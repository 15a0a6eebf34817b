"""Other systems file enforcement cases and take their steps through the API with a token, CSRF enforced."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from core import services as core_services
from enforcement.models import EnforcementCase


@pytest.fixture(autouse=True)
def _today(frozen_today):
    frozen_today(dt.date(2026, 11, 30))


def post(token: str, path: str, body: dict) -> Any:
    client = Client(enforce_csrf_checks=True)
    return client.post(
        path, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_a_12345_order_filed_once_and_decided_through_the_api(enf, world):
    token = core_services.token_issue(user=world.users["officer"], name="12345平台（示例）")
    body = {
        "procedure": "ordinary",
        "source": "hotline_12345",
        "source_ref": "12345-20261120-0001",
        "item_code": "CG-001",
        "community": world.community_a.pk,
        "party_kind": "person",
        "party_name": "示例摊主甲",
        "facts": "市民来电反映示例路口有人占道设摊（示例）",
        "offence_on": "2026-11-20",
        "filed_on": "2026-11-23",
        "officers": [enf.people["wang"].pk, enf.people["li"].pk],
    }
    first = post(token, "/api/v1/enforcement/cases", body)
    assert first.status_code == 201 and first.json()["created"] is True
    again = post(token, "/api/v1/enforcement/cases", body)
    assert again.status_code == 200 and again.json()["created"] is False
    assert (
        again.json()["case"]["number"] == first.json()["case"]["number"]
        and EnforcementCase.objects.count() == 1
    )
    case_id = first.json()["case"]["id"]
    assert first.json()["case"]["actions"] == ["notify", "drop"]
    # A single officer is refused with the field and the reason, in Chinese
    refused = post(
        token,
        "/api/v1/enforcement/cases",
        {**body, "source_ref": "12345-2", "officers": [enf.people["wang"].pk]},
    )
    assert refused.status_code == 400
    assert (
        refused.json()["detail"][0]["field"] == "officers"
        and "第42条" in refused.json()["detail"][0]["message"]
    )
    notify = post(
        token,
        f"/api/v1/enforcement/cases/{case_id}/actions/notify",
        {"version": 1, "data": {"notified_on": "2026-11-24", "proposed": "拟警告", "hearing_right": "no"}},
    )
    assert notify.status_code == 200 and notify.json()["state"] == "notified"
    decide = post(
        token,
        f"/api/v1/enforcement/cases/{case_id}/actions/decide",
        {"version": 2, "data": {"decided_on": "2026-11-26", "outcome": "fine", "fine": "600"}},
    )
    assert decide.status_code == 403 and "罚款上限" in decide.json()["detail"]
    # Another street's coordinator cannot see it
    other = core_services.token_issue(user=world.users["other"], name="示例")
    assert (
        Client().get(f"/api/v1/enforcement/cases/{case_id}", HTTP_AUTHORIZATION=f"Bearer {other}").status_code
        == 404
    )
