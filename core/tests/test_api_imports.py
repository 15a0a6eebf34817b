"""POST /api/v1/imports/{kind}: the importers' rows as JSON, with a token and CSRF enforced."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from core import services
from core.imports import IMPORTERS
from core.models import ChangeLog, Person


def _post(token: str, kind: str, body: object) -> Any:
    return Client(enforce_csrf_checks=True).post(
        f"/api/v1/imports/{kind}",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


@pytest.fixture
def token(world):
    return services.token_issue(user=world.users["justice"], name="台账系统")


def test_every_importer_has_a_typed_create_operation():
    from fazhi.api import api

    schema = api.get_openapi_schema()
    for kind, importer in IMPORTERS.items():
        op = schema["paths"][f"/api/v1/imports/{kind}"]["post"]
        assert op["summary"] == f"导入{importer.title}"
        ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
        record_ref = schema["components"]["schemas"][ref]["properties"]["records"]["items"]["$ref"].split(
            "/"
        )[-1]
        props = schema["components"]["schemas"][record_ref]["properties"]
        assert {c.key for c in importer.columns} == set(props)
        assert {props[c.key]["title"] for c in importer.columns} == {c.header for c in importer.columns}


def test_people_by_api_all_or_nothing_with_errors_by_record_and_field(world, token):
    before, log_before = Person.objects.count(), ChangeLog.objects.count()
    good = {"name": "王某（示例）", "kind": "人民调解员", "region": "990100001001"}
    r = _post(
        token,
        "people",
        {
            "records": [
                good,
                {"kind": "人民调解员", "region": "990100001001"},
                {**good, "id_number": "110105194912310021"},
            ]
        },
    )
    assert r.status_code == 400
    detail = r.json()["detail"]
    fields = {d["field"] for d in detail}
    assert {"records[1].name", "records[2].id_number"} <= fields
    assert any("第2条" in d["message"] and "姓名" in d["message"] for d in detail)
    assert Person.objects.count() == before and ChangeLog.objects.count() == log_before
    r = _post(token, "people", {"records": [good]})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["created"] == 1 and Person.objects.get(pk=body["ids"][0]).name == "王某（示例）"


def test_unknown_fields_and_empty_batches_are_refused_in_chinese(world, token):
    r = _post(token, "people", {"records": [{"name": "某", "colour": "red"}]})
    assert r.status_code == 400
    assert (
        r.json()["detail"][0]["field"] == "records.0.colour"
        and "不是可接受的参数" in r.json()["detail"][0]["message"]
    )
    r = _post(token, "people", {"records": []})
    assert r.status_code == 400


def test_a_role_the_table_refuses_is_refused_before_the_body_is_read(world):
    t = services.token_issue(user=world.users["auditor"], name="审计")
    r = _post(t, "people", "not even json")
    assert r.status_code == 403
    assert "权限" in r.json()["detail"] or r.json()["detail"]
