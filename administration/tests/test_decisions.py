"""Major decisions: the five steps, the comment period, and the hard guard — no decision without a
completed legality review and collective discussion (review rate 100% by construction)."""

from __future__ import annotations

import datetime as dt

import pytest

from administration import services
from administration.choices import DecisionState
from core import services as core_services
from core.models import Clock
from core.models.people import PersonKind
from core.workflow import TransitionNotAllowed, transition

D = dt.date


@pytest.fixture
def decision(world):
    return services.decision_create(
        by=world.users["justice"],
        year=2026,
        title="示例街道老旧小区加装电梯实施办法",
        unit_id=world.units["leadership"].pk,
    )


def test_no_decision_without_review_and_collective_discussion(world, decision):
    leader, j = world.users["leader"], world.users["justice"]
    with pytest.raises(TransitionNotAllowed, match="合法性审查尚未完成"):
        transition(decision, "decide", by=leader, data={"decided_on": "2026-09-30"})
    d = transition(decision, "open_comment", by=j, data={"published_on": "2026-08-01", "days": 30})
    clock = Clock.objects.get(content_type__model="majordecision", object_id=d.pk, name="public_comment")
    assert clock.due_on == D(2026, 8, 31)  # 30 days, not moved (a minimum period)
    with pytest.raises(TransitionNotAllowed, match="征求意见期限至2026-08-31届满"):
        transition(
            d,
            "close_comment",
            by=j,
            data={
                "closed_on": "2026-08-20",
                "expert_review": "不开展：非专业性事项",
                "risk_assessment": "已开展，风险可控",
            },
        )
    d = transition(
        d,
        "close_comment",
        by=j,
        data={
            "closed_on": "2026-09-01",
            "expert_review": "不开展：非专业性事项",
            "risk_assessment": "已开展，风险可控",
        },
    )
    assert d.review is not None and d.review.kind == "major_decision"
    with pytest.raises(TransitionNotAllowed, match="未经合法性审查的，不得提交集体讨论"):
        transition(
            d,
            "record_discussion",
            by=j,
            data={"meeting": "主任办公会", "held_on": "2026-09-20", "speakers": "甲、乙"},
        )
    with pytest.raises(TransitionNotAllowed, match="合法性审查尚未完成"):
        transition(d, "decide", by=leader, data={"decided_on": "2026-09-30"})
    lawyer = core_services.person_create(
        by=None,
        name="律师（示例）",
        kind=PersonKind.PUBLIC_LAWYER,
        region=world.street,
        legal_qualification=True,
    )
    review = transition(d.review, "assign", by=j, data={"reviewer": str(lawyer.pk)})
    transition(
        review,
        "give_opinion",
        by=world.users["reviewer"],
        data={"conclusion": "lawful", "opinion_on": "2026-09-10"},
    )
    with pytest.raises(TransitionNotAllowed, match="未经集体讨论"):
        transition(d, "decide", by=leader, data={"decided_on": "2026-09-30"})
    d = transition(
        d,
        "record_discussion",
        by=j,
        data={
            "meeting": "主任办公会",
            "held_on": "2026-09-20",
            "speakers": "主任、副主任、司法所所长",
            "dissent": "一人建议暂缓",
        },
    )
    with pytest.raises(TransitionNotAllowed, match="您的角色不能执行"):
        transition(d, "decide", by=j, data={"decided_on": "2026-09-30"})
    d = transition(d, "decide", by=leader, data={"decided_on": "2026-09-30"})
    d = transition(d, "publish", by=j, data={"published_on": "2026-10-09", "where": "街道门户网站"})
    d = transition(d, "archive", by=j, data={})
    assert d.state == DecisionState.ARCHIVED


def test_shorter_comment_period_needs_a_reason(world, decision):
    j = world.users["justice"]
    with pytest.raises(TransitionNotAllowed, match="第15条"):
        transition(decision, "open_comment", by=j, data={"published_on": "2026-08-01", "days": 15})
    d = transition(
        decision,
        "open_comment",
        by=j,
        data={"published_on": "2026-08-01", "days": 15, "short_reason": "防汛应急，情况紧急"},
    )
    assert d.short_comment_reason == "防汛应急，情况紧急"


def test_unlawful_review_blocks_the_discussion(world, decision):
    j = world.users["justice"]
    d = transition(decision, "open_comment", by=j, data={"published_on": "2026-08-01", "days": 30})
    d = transition(
        d,
        "close_comment",
        by=j,
        data={"closed_on": "2026-09-01", "expert_review": "已开展", "risk_assessment": "已开展"},
    )
    lawyer = core_services.person_create(
        by=None,
        name="律师乙（示例）",
        kind=PersonKind.PUBLIC_LAWYER,
        region=world.street,
        legal_qualification=True,
    )
    review = transition(d.review, "assign", by=j, data={"reviewer": str(lawyer.pk)})
    services.issue_add(
        item=review,
        aspect="authority",
        finding="超越法定权限",
        suggestion="由有权机关决定",
        by=world.users["reviewer"],
    )
    transition(
        review,
        "give_opinion",
        by=world.users["reviewer"],
        data={"conclusion": "unlawful", "opinion_on": "2026-09-10"},
    )
    with pytest.raises(TransitionNotAllowed, match="结论为不合法"):
        transition(
            d,
            "record_discussion",
            by=j,
            data={"meeting": "主任办公会", "held_on": "2026-09-20", "speakers": "甲"},
        )


def test_decision_pages_are_scoped(world, decision, client):
    client.force_login(world.users["justice"])
    page = client.get(decision.get_absolute_url()).content.decode()
    assert 'data-action="open_comment"' in page and "示例街道老旧小区加装电梯实施办法" in page
    assert 'data-action="decide"' not in page  # the justice office cannot decide; leaders can
    client.force_login(world.users["leader"])
    assert 'data-action="decide"' in client.get(decision.get_absolute_url()).content.decode()
    client.force_login(world.users["other"])
    assert client.get(decision.get_absolute_url()).status_code == 404


def test_api_refuses_a_decision_without_review_and_is_scoped(world, decision, client):
    client.force_login(world.users["leader"])
    r = client.post(
        f"/api/v1/administration/decisions/{decision.pk}/actions/decide",
        {"data": {"decided_on": "2026-09-30"}},
        content_type="application/json",
    )
    assert r.status_code == 403 and "合法性审查尚未完成" in r.json()["detail"]
    listing = client.get("/api/v1/administration/decisions?year=2026").json()
    assert [d["id"] for d in listing["items"]] == [decision.pk]
    client.force_login(world.users["other"])
    assert client.get("/api/v1/administration/decisions").json()["count"] == 0
    r = client.post(
        f"/api/v1/administration/decisions/{decision.pk}/actions/open_comment",
        {"data": {"published_on": "2026-08-01", "days": 30}},
        content_type="application/json",
    )
    assert r.status_code == 404
