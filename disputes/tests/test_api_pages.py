"""Disputes API and pages: idempotent intake, actions from the table, search, scoping, documents."""

from __future__ import annotations

import datetime as dt
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from core.models import Person, RevealLog
from core.workflow import transition
from disputes import services
from disputes.models import Dispute
from disputes.tests.conftest import at, party

PAYLOAD = {
    "source": "hotline_12345",
    "external_ref": "12345-2026-000123",
    "dispute_type": "neighbour",
    "description": "楼上卫生间漏水，楼下墙面发霉（示例）",
    "people_count": 2,
    "parties": [
        {"role": "applicant", "name": "张某（示例）", "phone": "13900000111"},
        {"role": "respondent", "name": "李某（示例）"},
    ],
}


def test_api_intake_is_idempotent_on_source_and_reference(world, client):
    client.force_login(world.users["justice"])
    body = {**PAYLOAD, "community": world.community_a.pk}
    first = client.post("/api/v1/disputes", body, content_type="application/json")
    assert first.status_code == 201 and first.json()["created"] is True
    again = client.post("/api/v1/disputes", body, content_type="application/json")
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["dispute"]["id"] == first.json()["dispute"]["id"]
    assert Dispute.objects.count() == 1
    detail = first.json()["dispute"]
    assert detail["parties"][0]["phone_masked"] == "139****0111"
    assert "13900000111" not in first.content.decode()
    assert detail["actions"] == ["triage", "transfer", "reject"]


def test_api_intake_errors_name_fields(world, client):
    client.force_login(world.users["justice"])
    r = client.post(
        "/api/v1/disputes",
        {**PAYLOAD, "community": world.community_c.pk, "dispute_type": "nope"},
        content_type="application/json",
    )
    assert r.status_code == 400
    fields = {d["field"] for d in r.json()["detail"]}
    assert fields == {"community", "dispute_type"}
    r = client.post("/api/v1/disputes", {"source": "phone"}, content_type="application/json")
    assert r.status_code == 400 and "缺少必填参数" in r.json()["detail"][0]["message"]


def test_api_actions_roles_guards_and_conflicts(world, client, intake):
    d = intake()
    client.force_login(world.users["mediator_b"])
    assert (
        client.post(
            f"/api/v1/disputes/{d.pk}/actions/triage",
            {"data": {"route": "community"}},
            content_type="application/json",
        ).status_code
        == 404
    )
    client.force_login(world.users["officer"])
    r = client.post(
        f"/api/v1/disputes/{d.pk}/actions/triage",
        {"data": {"route": "community"}},
        content_type="application/json",
    )
    assert r.status_code == 403 and "您的角色不能执行“研判”" in r.json()["detail"]
    client.force_login(world.users["justice"])
    r = client.post(
        f"/api/v1/disputes/{d.pk}/actions/triage", {"version": 1, "data": {}}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["detail"][0]["field"] == "data.route"
    assert "缺少必填参数" in r.json()["detail"][0]["message"]
    r = client.post(
        f"/api/v1/disputes/{d.pk}/actions/triage",
        {"version": 1, "data": {"route": "community"}},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["state"] == "triaged" and r.json()["version"] == 2
    r = client.post(
        f"/api/v1/disputes/{d.pk}/actions/transfer",
        {"version": 1, "data": {"body": "court", "transferred_on": "2026-10-01", "reason": "x"}},
        content_type="application/json",
    )
    assert r.status_code == 409 and "已被他人更新" in r.json()["detail"]
    assert (
        client.post(f"/api/v1/disputes/{d.pk}/actions/fly", {}, content_type="application/json").status_code
        == 404
    )
    timeline = client.get(f"/api/v1/disputes/{d.pk}/timeline").json()
    # The triage the public page promises is timed from the intake and met by the triage.
    assert [e["action"] for e in timeline] == ["intake", "clock.start", "clock.meet", "triage"]
    assert timeline[1]["summary"].startswith("开始计时：受理后研判")


def test_search_finds_two_character_words_and_filters(world, client, intake):
    leak = intake(description="卫生间漏水殃及楼下（示例）")
    intake(description="停车位被长期占用（示例）", dispute_type="property_mgmt")
    intake(by=world.users["other"], community=world.community_c.pk, description="屋顶漏水（示例）")
    client.force_login(world.users["justice"])
    items = client.get("/api/v1/disputes?q=漏水").json()["items"]
    assert [i["id"] for i in items] == [leak.pk]
    page = client.get("/disputes/?q=漏水").content.decode()
    assert leak.number in page and "停车位" not in page
    assert client.get("/api/v1/disputes?dispute_type=property_mgmt").json()["count"] == 1
    # the same applicant name is on all three disputes; the third is in the other street
    assert client.get(f"/api/v1/disputes?party={leak.parties.first().name}").json()["count"] == 2


def test_mediator_sees_only_own_community_and_district_sees_all(world, client, intake):
    a = intake()
    b = intake(community=world.community_b.pk)
    c = intake(by=world.users["other"], community=world.community_c.pk)
    for user, expected in (
        ("mediator_a", {a.pk}),
        ("mediator_b", {b.pk}),
        ("district", {a.pk, b.pk, c.pk}),
        ("other", {c.pk}),
        ("justice", {a.pk, b.pk}),
    ):
        client.force_login(world.users[user])
        assert {i["id"] for i in client.get("/api/v1/disputes").json()["items"]} == expected, user
        for d in (a, b, c):
            assert client.get(f"/disputes/{d.pk}/").status_code == (200 if d.pk in expected else 404)


def test_detail_page_query_count_is_constant(world, client, intake):
    d = intake()
    client.force_login(world.users["justice"])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/disputes/{d.pk}/").status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for i in range(6):
        services.escalation_record(
            dispute=d, reported_to=f"街道平安办{i}", note="", by=world.users["justice"]
        )
    assert count() == small


def test_queue_query_count_is_constant(world, client, intake):
    client.force_login(world.users["justice"])
    intake()

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/disputes/").status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for _ in range(10):
        intake()
    assert count() == small


def test_agreement_docx_has_article_29_contents_and_logs_reveal(world, client, intake):
    j = world.users["justice"]
    d = intake(
        parties=[
            party(id_number="11010519491231002X", phone="13900000001", address="示例路1号"),
            party("respondent", "被申请人（示例）"),
        ],
        received_at=at(2026, 9, 24),
    )
    person = Person.objects.get(name="调解员a（示例）")
    d = transition(d, "triage", by=j, data={"route": "community"})
    d = transition(
        d,
        "assign",
        by=j,
        data={"committee": str(world.units["committee_a"].pk), "mediators": [str(person.pk)]},
    )
    d = transition(d, "accept", by=j, data={"accepted_on": "2026-09-25"})
    services.agreement_record(
        dispute=d,
        kind="written",
        facts="楼上漏水致楼下受损（示例）",
        terms="一、楼上支付维修费3000元（示例）\n\n二、楼上于十日内修复防水层（示例）",
        effective_on=dt.date(2026, 9, 29),
        schedule="2026-10-09 支付维修费3000元",
        by=j,
    )
    client.force_login(world.users["mediator_a"])
    r = client.get(f"/disputes/{d.pk}/agreement.docx")
    assert r.status_code == 200
    paragraphs = Document(io.BytesIO(r.content)).paragraphs
    text = "\n".join(p.text for p in paragraphs)
    # Each line the mediator typed is its own paragraph (no line break stretched in a justified line), blank
    # lines dropped; a particular not recorded is left blank to be written in by hand, never "—".
    texts = [p.text for p in paragraphs]
    assert "一、楼上支付维修费3000元（示例）" in texts and "二、楼上于十日内修复防水层（示例）" in texts
    assert not any("\n" in p.text or "\v" in p.text for p in paragraphs)
    assert "住址：__________" in text and "—" not in text
    for expected in (
        "人民调解协议书",
        "示例街道调字〔2026〕1号",
        "申请人（示例）",
        "11010519491231002X",
        "楼上漏水致楼下受损",
        "楼上支付维修费3000元",
        "2026年10月9日前：支付维修费3000元",
        "三十日内共同向人民法院申请司法确认",
    ):
        assert expected in text, expected
    assert RevealLog.objects.filter(user=world.users["mediator_a"], reason="生成人民调解协议书").exists()
    client.force_login(world.users["auditor"])
    assert client.get(f"/disputes/{d.pk}/agreement.docx").status_code == 403


def test_vulnerable_register_is_strict(world, client):
    for user, status in (
        ("justice", 200),
        ("leader", 200),
        ("mediator_a", 404),
        ("auditor", 404),
        ("district", 404),
    ):
        client.force_login(world.users[user])
        assert client.get("/disputes/vulnerable/").status_code == status, user


def test_queue_filters_by_community_and_risk(world, client, intake):
    a = intake()
    b = intake(community=world.community_b.pk, people_count=6)
    client.force_login(world.users["justice"])
    page = client.get(f"/disputes/?community={world.community_b.pk}").content.decode()
    assert b.number in page and a.number not in page
    assert f'<option value="{world.community_b.pk}" selected>示例乙居民区</option>' in page
    page = client.get("/disputes/?risk=high").content.decode()
    assert b.number in page and a.number not in page
    client.force_login(world.users["mediator_a"])
    page = client.get("/disputes/").content.decode()
    assert "示例乙居民区</option>" not in page  # only communities in scope are offered
