"""Requests on application against worked examples on the 2026 schedule (国庆 10-01..07, 调休 10-10)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from docx import Document

from core.clocks.services import explain, state_of
from core.models import Clock
from core.workflow import TransitionNotAllowed, transition
from disclosure import services
from disclosure.choices import RequestState

D = dt.date


@pytest.fixture
def receive(world):
    def make(**kw):
        values = {
            "by": world.users["justice"],
            "region": world.street,
            "channel": "in_person",
            "submitted_on": D(2026, 9, 25),
            "applicant_kind": "person",
            "applicant_name": "申请人（示例）",
            "content": "2026年示例街道老旧小区加装电梯补贴发放情况",
        }
        values.update(kw)
        return services.request_receive(**values)

    return make


def clock(req, name):
    return Clock.objects.get(content_type__app_label="disclosure", object_id=req.pk, name=name)


def test_receipt_date_by_channel(world, receive):
    assert receive().received_on == D(2026, 9, 25)
    posted = receive(channel="post", submitted_on=D(2026, 9, 20), signed_on=D(2026, 9, 23))
    assert posted.received_on == D(2026, 9, 23) and "签收之日" in posted.receipt_basis
    online = receive(channel="online", submitted_on=D(2026, 9, 30), confirmed_on=D(2026, 10, 8))
    assert online.received_on == D(2026, 10, 8) and "双方确认之日" in online.receipt_basis
    with pytest.raises(ValidationError) as exc:
        receive(channel="post")
    assert "签收日期" in exc.value.message_dict["signed_on"][0]


def test_answer_period_crosses_national_day(world, receive):
    req = receive()
    c = clock(req, "answer")
    assert c.due_on == D(2026, 10, 29)  # 9/28-30, 10/8-9, 10/10 (调休), 10/12-29: 20 working days
    assert "国庆节（10月1日至10月7日）" in explain(c).explanation


def test_correction_restarts_the_period_from_the_completed_request(world, receive):
    j = world.users["justice"]
    req = receive()
    req = transition(
        req,
        "request_correction",
        by=j,
        data={"items": "请写明所需信息的文号", "sent_on": "2026-09-28", "deadline": "2026-10-20"},
    )
    notice = clock(req, "correction_notice")
    assert notice.due_on == D(2026, 10, 12) and state_of(notice) == "met"  # told within 7 WD
    req = transition(req, "complete_correction", by=j, data={"completed_on": "2026-10-12"})
    with pytest.raises(TransitionNotAllowed, match="只能一次性告知"):
        transition(
            req,
            "request_correction",
            by=j,
            data={"items": "再补", "sent_on": "2026-10-13", "deadline": "2026-10-30"},
        )
    answer = clock(req, "answer")
    # 20 WD after Mon 10-12: 10/13-16 (4), 10/19-23 (9), 10/26-30 (14), 11/2-6 (19), 11/9 (20)
    assert answer.due_on == D(2026, 11, 9)
    assert "收到补正后的申请之日2026年10月12日" in explain(answer).explanation
    assert req.state == RequestState.RECEIVED


def test_consultation_is_not_counted_and_extension_needs_the_head(world, receive):
    j = world.users["justice"]
    req = receive()
    req = transition(
        req,
        "consult",
        by=j,
        data={"third_party": "示例公司", "sent_on": "2026-10-12", "received_on": "2026-10-13"},
    )
    third = clock(req, "third_party")
    assert third.due_on == D(2026, 11, 3)  # 15 WD after 10-13
    req = transition(req, "third_party_reply", by=j, data={"replied_on": "2026-10-16", "opinion": "agree"})
    answer = clock(req, "answer")
    assert answer.due_on == D(2026, 11, 4)  # 10/13-16 not counted: 10-29 + 4 WD
    third.refresh_from_db()
    assert third.met_on == D(2026, 10, 16)
    with pytest.raises(ValidationError) as not_head:  # only the office's heads are offered as approvers
        transition(
            req,
            "extend",
            by=j,
            data={"days": 20, "approver": str(j.pk), "reason": "需调取档案", "notified_on": "2026-10-30"},
        )
    assert "批准人" in not_head.value.message_dict["approver"][0]
    req = transition(
        req,
        "extend",
        by=j,
        data={
            "days": 20,
            "approver": str(world.users["leader"].pk),
            "reason": "需调取档案",
            "notified_on": "2026-10-30",
        },
    )
    answer.refresh_from_db()
    assert answer.due_on == D(2026, 12, 2)  # 11-04 + 20 WD
    text = explain(answer).explanation
    assert (
        "中止计时4日（征求第三方（示例公司）意见）" in text
        and "批准延长20个工作日" in text
        and "10-30已告知申请人" in text
    )
    with pytest.raises(ValidationError, match="最多延长20个工作日"):
        transition(
            req,
            "extend",
            by=j,
            data={
                "days": 1,
                "approver": str(world.users["leader"].pk),
                "reason": "再延",
                "notified_on": "2026-11-20",
            },
        )
    # The applicant is told in writing: the notice gives the days, the approval and the new last day.
    client = Client()
    client.force_login(j)
    body = client.get(f"/disclosure/{req.pk}/extension.docx").content
    notice = "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
    assert "延期答复告知书" in notice and "延长20个工作日" in notice and "2026年12月2日前作出答复" in notice
    assert (
        "政府信息公开工作机构负责人同意" in notice
        and "第三十三条第二款" in notice
        and "2026年10月30日" in notice
    )


def test_answer_meets_the_clock_and_numbers_the_letter(world, receive):
    j = world.users["justice"]
    req = receive()
    req = transition(
        req,
        "answer",
        by=j,
        data={
            "answer_type": "already_public",
            "detail": "该信息已在示例街道门户网站公开",
            "answered_on": "2026-10-20",
        },
    )
    answer = clock(req, "answer")
    assert answer.met_on == D(2026, 10, 20) and state_of(answer) == "met"
    assert req.letter_number.endswith("〔2026〕1号")
    services.delivery_record(request=req, method="post", delivered_on=D(2026, 10, 21), by=j)
    with pytest.raises(ValidationError, match="不能早于答复日期"):
        services.delivery_record(request=req, method="post", delivered_on=D(2026, 10, 19), by=j)


def test_never_completed_request_is_treated_as_withdrawn_only_after_the_deadline(world, receive):
    j = world.users["justice"]
    req = receive()
    req = transition(
        req,
        "request_correction",
        by=j,
        data={"items": "请写明文号", "sent_on": "2026-09-28", "deadline": "2099-01-01"},
    )
    with pytest.raises(TransitionNotAllowed, match="尚未届满"):
        transition(req, "treat_withdrawn", by=j, data={})
    old = receive()
    old = transition(
        old,
        "request_correction",
        by=j,
        data={"items": "请写明文号", "sent_on": "2026-09-28", "deadline": "2026-10-20"},
    )
    old = transition(old, "treat_withdrawn", by=j, data={})
    assert old.state == RequestState.WITHDRAWN


def test_scoping_and_roles(world, receive):
    from django.http import Http404

    req = receive()
    with pytest.raises(Http404):
        transition(req, "answer", by=world.users["other"], data={})
    with pytest.raises(TransitionNotAllowed, match="您的角色不能执行"):
        transition(req, "answer", by=world.users["officer"], data={})
    with pytest.raises(ValidationError) as exc:
        receive(by=world.users["other"])
    assert "不在您的工作范围内" in exc.value.message_dict["region"][0]


def test_proactive_items_are_due_within_20_working_days(world, client):
    from disclosure.models import ProactiveItem

    j = world.users["justice"]
    late = services.proactive_item_record(
        by=j, region=world.street, title="示例街道2026年第三季度财政预算执行情况", made_on=D(2026, 9, 25)
    )
    on_time = services.proactive_item_record(
        by=j,
        region=world.street,
        title="示例街道加装电梯补贴办法",
        made_on=D(2026, 9, 25),
        published_on=D(2026, 10, 20),
        where="街道门户网站",
    )
    assert clock(late, "publish").due_on == D(2026, 10, 29) and state_of(clock(late, "publish")) == "overdue"
    assert state_of(clock(on_time, "publish")) == "met"
    with pytest.raises(ValidationError) as exc:
        services.proactive_item_record(
            by=j, region=world.street, title="x", made_on=D(2026, 9, 25), published_on=D(2026, 9, 1)
        )
    assert "不能早于形成日期" in exc.value.message_dict["published_on"][0]
    services.proactive_item_publish(item=late, published_on=D(2026, 11, 2), where="政务公开栏", by=j)
    assert state_of(clock(late, "publish")) == "met_late"
    client.force_login(j)
    page = client.get("/disclosure/proactive/").content.decode()
    assert "逾期办结" in page and "按期办结" in page
    client.force_login(world.users["other"])
    assert ProactiveItem.objects.visible_to(world.users["other"]).count() == 0
