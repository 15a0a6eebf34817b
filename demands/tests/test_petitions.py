"""Petitions (信访) on the clocks of 《信访工作条例》（2022）: 15 days to decide on acceptance, 60 to answer (+30 with
approval), 复查 and 复核 asked within 30 days and answered in 30; group petitions flagged; 访调联动 to mediation."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from core import services as core_services
from core.clocks.services import clock_of, explain
from core.workflow import TransitionNotAllowed, transition
from demands import indicators, services
from demands.models import Petition

D = dt.date


@pytest.fixture(autouse=True)
def _today(frozen_today):
    frozen_today(D(2026, 12, 31))


@pytest.fixture
def receive(world):
    def make(**kw: Any) -> Petition:
        values: dict[str, Any] = {
            "by": world.users["hotline"],
            "channel": "visit",
            "petitioner": "示例信访人",
            "category": "物业管理",
            "content": "反映小区电梯长期故障，物业不维修（示例）",
            "region": world.community_a,
            "received_on": D(2026, 9, 20),
            "phone": "13900000555",
        }
        values.update(kw)
        return services.petition_receive(**values)[0]

    return make


def test_the_acceptance_and_handling_clocks_with_an_approved_extension(world, receive):
    petition = receive(received_on=D(2026, 9, 16))
    # 15 days from 16 September end on 1 October, a holiday: the next working day, 8 October
    assert clock_of(petition, "acceptance").due_on == D(2026, 10, 8)
    desk = world.users["hotline"]
    petition = transition(
        petition,
        "accept",
        by=desk,
        data={"accepted_on": "2026-09-25", "unit": str(world.units["leadership"].pk)},
    )
    assert clock_of(petition, "acceptance").met_on == D(2026, 9, 25)
    handling = clock_of(petition, "handling")
    assert handling is not None and handling.due_on == D(2026, 11, 24)  # 60 days from 25 September
    with pytest.raises(PermissionDenied):
        services.petition_extend(by=desk, petition=petition, reason="情况复杂")
    services.petition_extend(
        by=world.users["leader"], petition=petition, reason="涉及多个部门，情况复杂（示例）"
    )
    handling = clock_of(petition, "handling")
    assert handling is not None and handling.due_on == D(2026, 12, 24)  # + 30 days
    assert "批准延长30日" in str(explain(handling))
    with pytest.raises(Exception, match="延长超过上限"):
        services.petition_extend(by=world.users["leader"], petition=petition, reason="再次")


def test_review_and_recheck_are_asked_within_30_days_and_answered_in_30(world, receive, client_for):
    desk = world.users["hotline"]
    petition = receive()
    petition = transition(
        petition,
        "accept",
        by=desk,
        data={"accepted_on": "2026-09-22", "unit": str(world.units["leadership"].pk)},
    )
    opinion = {
        "opinion_on": "2026-10-20",
        "served_on": "2026-10-20",
        "opinion": "not_support",
        "text": "经调查，电梯已由物业于10月维修完毕（示例）",
    }
    petition = transition(petition, "answer", by=desk, data=opinion)
    assert clock_of(petition, "handling").met_on == D(2026, 10, 20)
    # The written opinion, with the petitioner's right to ask for a review
    import io

    from docx import Document

    r = client_for(desk).get(f"/demands/petitions/{petition.pk}/documents/opinion.docx")
    assert r.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert (
        "信访事项处理意见书" in text and "处理意见：不予支持" in text and "电梯已由物业于10月维修完毕" in text
    )
    assert "自收到本意见书之日起三十日内请求本机关的上一级行政机关复查" in text
    assert client_for(world.users["mediator_a"]).get(petition.get_absolute_url()).status_code == 404
    with pytest.raises(TransitionNotAllowed, match="期限届满后方可办结"):
        transition(petition, "close", by=desk, data={"closed_on": "2026-11-10"})
    with pytest.raises(TransitionNotAllowed, match="超过收到处理意见之日起30日"):
        transition(petition, "request_review", by=desk, data={"requested_on": "2026-11-20"})
    petition = transition(petition, "request_review", by=desk, data={"requested_on": "2026-11-19"})
    assert clock_of(petition, "review").due_on == D(
        2026, 12, 19 + 2
    )  # 30 days: 19 December a Saturday → Monday
    petition = transition(
        petition, "review_done", by=desk, data={"reviewed_on": "2026-12-10", "result": "upheld"}
    )
    petition = transition(petition, "request_recheck", by=desk, data={"requested_on": "2026-12-15"})
    assert clock_of(petition, "recheck").due_on == D(2027, 1, 14)
    petition = transition(
        petition, "recheck_done", by=desk, data={"rechecked_on": "2026-12-30", "result": "upheld"}
    )
    assert petition.state == "closed" and petition.closed_on == D(2026, 12, 30)


def test_a_group_petition_is_flagged_and_counted(world, receive, client_for):
    group = receive(people_count=12, petitioner="示例代表")
    receive()
    page = client_for(world.users["hotline"]).get(group.get_absolute_url()).content.decode()
    assert "集体访（12人）" in page and "13900000555" not in page
    listed = client_for(world.users["hotline"]).get("/demands/petitions/?flag=group").content.decode()
    assert group.number in listed and 'data-testid="result-count">1<' in listed
    counted = indicators.group_petitions(world.users["leader"], world.street, D(2026, 1, 1), D(2026, 12, 31))
    assert counted.records is not None and list(counted.records) == [group]


def test_a_petition_goes_to_mediation_and_waits_for_its_outcome(world, receive, client_for):
    desk, justice = world.users["hotline"], world.users["justice"]
    petition = receive(category="邻里纠纷", content="与楼上邻居因漏水赔偿发生纠纷，多次协商不成（示例）")
    petition = transition(
        petition,
        "accept",
        by=desk,
        data={"accepted_on": "2026-09-22", "unit": str(world.units["justice"].pk)},
    )
    r = client_for(justice).post(
        f"/demands/petitions/{petition.pk}/record/dispute/",
        {"dispute_type": "neighbour", "community": world.community_a.pk, "respondent": "楼上住户（示例）"},
    )
    assert r.status_code == 302
    petition.refresh_from_db()
    dispute = petition.dispute
    assert (
        dispute is not None
        and dispute.source == "petition_office"
        and dispute.external_ref == petition.number
    )
    assert petition.number in client_for(justice).get(dispute.get_absolute_url()).content.decode()
    opinion = {
        "opinion_on": "2026-10-20",
        "served_on": "2026-10-21",
        "opinion": "explain",
        "text": "已转人民调解处理，告知信访人（示例）",
    }
    with pytest.raises(TransitionNotAllowed, match="调解有结果后方可出具处理意见"):
        transition(petition, "answer", by=desk, data=opinion)
    # The desk may not hand it over itself: mediation is the justice office's (访调联动)
    other = receive()
    other = transition(
        other, "accept", by=desk, data={"accepted_on": "2026-09-22", "unit": str(world.units["justice"].pk)}
    )
    r = client_for(desk).post(
        f"/demands/petitions/{other.pk}/record/dispute/",
        {"dispute_type": "neighbour", "community": world.community_a.pk},
    )
    assert r.status_code == 403


def test_the_petition_api_is_idempotent_on_the_system_number(world):
    token = core_services.token_issue(user=world.users["hotline"], name="信访信息系统（示例）")
    body = {
        "channel": "online",
        "petitioner": "示例信访人",
        "category": "物业管理",
        "content": "反映物业长期不维修电梯（示例）",
        "region": world.community_a.pk,
        "received_on": "2026-12-01",
        "external_ref": "XF2026120100001",
    }

    def post(payload: dict) -> Any:
        return Client(enforce_csrf_checks=True).post(
            "/api/v1/demands/petitions",
            json.dumps(payload),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    first, again = post(body), post(body)
    assert first.status_code == 201 and again.status_code == 200 and Petition.objects.count() == 1
    assert first.json()["petition"]["actions"] == ["accept", "reject", "transfer"]
    bad = post({**body, "external_ref": "", "channel": "传真", "id_number": "123"})
    assert bad.status_code == 400 and {d["field"] for d in bad.json()["detail"]} == {"channel", "id_number"}
