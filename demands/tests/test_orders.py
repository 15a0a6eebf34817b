"""12345 work orders on their clocks: the classes across 国庆 and 春节, the complex order's approval, returns
checked against the duty list, a dissatisfied call-back reopening, the hand-offs linked both ways."""

from __future__ import annotations

import datetime as dt

import pytest

from core.clocks.services import clock_of, explain
from core.workflow import TransitionNotAllowed, transition
from demands import services
from demands.models import OrderReturn
from demands.tests.conftest import at

D = dt.date


@pytest.fixture(autouse=True)
def _today(frozen_today):
    frozen_today(D(2026, 10, 20))


def test_each_class_runs_its_working_days_across_national_day_and_spring_festival(hot, world):
    ordinary = hot.receive()  # 2026-09-30: 国庆 1-7 October off, Saturday 10 October worked
    assert clock_of(ordinary, "handling").due_on == D(2026, 10, 13)
    assert clock_of(ordinary, "first_contact").due_on == D(2026, 10, 8)
    consultation = hot.receive(kind="consultation", category="政策咨询")
    assert consultation.time_class == "consultation"
    assert clock_of(consultation, "handling").due_on == D(2026, 10, 8)
    spring = hot.receive(received_at=at(D(2026, 2, 13)))  # Saturday 14 February worked, 15-23 off
    assert clock_of(spring, "handling").due_on == D(2026, 2, 27)
    # The leader approves it as complex: 15 working days, the approval in the explanation
    services.order_make_complex(
        by=world.users["leader"], order=ordinary, reason="涉及多个部门联合处置（示例）"
    )
    clock = clock_of(ordinary, "handling")
    assert clock is not None and clock.due_on == D(2026, 10, 27)
    assert "批准延长10个工作日（涉及多个部门联合处置（示例））" in str(explain(clock))
    with pytest.raises(Exception, match="只批准一次"):
        services.order_make_complex(by=world.users["leader"], order=ordinary, reason="再次")
    # Only the leader approves
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.order_make_complex(by=hot.desk, order=spring, reason="示例")


def test_a_return_must_be_borne_out_by_the_duty_list(hot, world):
    order = hot.receive()
    desk, officer = hot.desk, world.users["officer"]
    team = world.units["enforcement"]
    order = transition(order, "dispatch", by=desk, data={"unit": str(team.pk), "dispatched_on": "2026-10-08"})
    data = {"reason": "not_duty", "note": "不属于执法队职责（示例）", "returned_on": "2026-10-08"}
    with pytest.raises(TransitionNotAllowed, match="在示例街道综合行政执法队的职责清单内"):
        transition(order, "return_order", by=officer, data=data)
    with pytest.raises(TransitionNotAllowed, match="在先的工单编号"):
        transition(order, "return_order", by=officer, data={**data, "reason": "duplicate"})
    assert order.returns == 0 and not OrderReturn.objects.exists()
    # An order of a category the team does not hold may be returned, and the return is counted
    other = hot.receive(category="物业管理-电梯故障")
    other = transition(other, "dispatch", by=desk, data={"unit": str(team.pk), "dispatched_on": "2026-10-08"})
    other = transition(other, "return_order", by=officer, data=data)
    assert other.state == "received" and other.returns == 1 and other.unit is None
    assert OrderReturn.objects.get(order=other).unit == team
    # A duplicate naming the earlier order is accepted
    dup = hot.receive()
    dup = transition(dup, "dispatch", by=desk, data={"unit": str(team.pk), "dispatched_on": "2026-10-08"})
    dup = transition(
        dup, "return_order", by=officer, data={**data, "reason": "duplicate", "note": f"与{order.number}重复"}
    )
    assert dup.returns == 1
    # Another unit's staff cannot take an order dispatched to the team
    with pytest.raises(TransitionNotAllowed):
        transition(order, "accept", by=world.users["justice"], data={"accepted_on": "2026-10-08"})


def _replied(hot, world, order):
    team = world.units["enforcement"]
    order = transition(
        order, "dispatch", by=hot.desk, data={"unit": str(team.pk), "dispatched_on": "2026-10-08"}
    )
    order = transition(order, "accept", by=world.users["officer"], data={"accepted_on": "2026-10-08"})
    data = {"replied_on": "2026-10-09", "resolution": "resolved", "reply": "已劝离占道摊贩并加强巡查（示例）"}
    return transition(order, "reply", by=world.users["officer"], data=data)


def test_a_dissatisfied_call_back_reopens_the_order_for_three_working_days(hot, world):
    order = _replied(hot, world, hot.receive())
    handling = clock_of(order, "handling")
    assert handling.met_on == D(2026, 10, 9) and clock_of(order, "first_contact").met_on == D(2026, 10, 9)
    order = transition(
        order, "reopen", by=hot.desk, data={"callback_on": "2026-10-09", "note": "摊贩次日又回来了（示例）"}
    )
    assert order.state == "handling" and order.reopened == 1 and order.callback == "dissatisfied"
    assert clock_of(order, "rehandle").due_on == D(2026, 10, 13)  # Saturday 10 October worked
    assert "回访不满意重办1次" in services.risk_reasons(order)
    data = {"replied_on": "2026-10-12", "resolution": "resolved", "reply": "已联合市场监管所清理（示例）"}
    order = transition(order, "reply", by=world.users["officer"], data=data)
    assert clock_of(order, "rehandle").met_on == D(2026, 10, 12)
    order = transition(order, "close", by=hot.desk, data={"callback_on": "2026-10-13", "result": "basic"})
    assert order.state == "closed" and order.closed_on == D(2026, 10, 13)


def test_handed_to_mediation_the_order_waits_for_its_outcome_and_both_link(hot, world, client_for):
    order = hot.receive(category="邻里纠纷-噪声", content="楼上夜间噪声扰民，多次沟通无果（示例）")
    justice = world.users["justice"]
    order = transition(
        order,
        "dispatch",
        by=hot.desk,
        data={"unit": str(world.units["justice"].pk), "dispatched_on": "2026-10-08"},
    )
    order = transition(order, "accept", by=justice, data={"accepted_on": "2026-10-08"})
    r = client_for(justice).post(
        f"/demands/orders/{order.pk}/record/dispute/",
        {"dispute_type": "neighbour", "community": world.community_a.pk, "respondent": "楼上住户（示例）"},
    )
    assert r.status_code == 302
    order.refresh_from_db()
    dispute = order.dispute
    assert dispute is not None and dispute.source == "hotline_12345" and dispute.external_ref == order.number
    page = client_for(justice).get(dispute.get_absolute_url()).content.decode()
    assert f'由12345工单<a href="{order.get_absolute_url()}">{order.number}</a>转入' in page
    assert dispute.number in client_for(justice).get(order.get_absolute_url()).content.decode()
    data = {"replied_on": "2026-10-09", "resolution": "resolved", "reply": "已转人民调解（示例）"}
    with pytest.raises(TransitionNotAllowed, match="调解有结果后方可答复办结"):
        transition(order, "reply", by=justice, data=data)


def test_handed_to_enforcement_the_order_is_answered_once_a_decision_is_made(hot, world, client_for):
    from enforcement import services as enforcement_services
    from enforcement.models import EnforcementCase

    people = []
    for key in ("wang", "li"):
        from core import services as core_services
        from core.models.people import PersonKind

        p = core_services.person_create(
            by=None, name=f"执法队员{key}（示例）", kind=PersonKind.OFFICER, region=world.street
        )
        enforcement_services.certificate_record(
            by=world.users["officer"],
            person=p,
            number=f"SH-{key}",
            issuer="示例市人民政府",
            field="城市管理综合执法",
            valid_from=D(2024, 1, 1),
            valid_to=D(2028, 12, 31),
        )
        people.append(p)
    item = enforcement_services.item_save(
        by=world.users["officer"],
        region=world.street,
        code="CG-001",
        name="擅自占用道路设摊经营",
        basis="《上海市市容环境卫生管理条例》第二十二条",
        penalty_range="责令改正，可处五十元以上五百元以下罚款",
    )
    officer = world.users["officer"]
    order = hot.receive()
    order = transition(
        order,
        "dispatch",
        by=hot.desk,
        data={"unit": str(world.units["enforcement"].pk), "dispatched_on": "2026-10-08"},
    )
    order = transition(order, "accept", by=officer, data={"accepted_on": "2026-10-08"})
    client = client_for(officer)
    page = client.get(f"/enforcement/new/?order={order.pk}").content.decode()
    assert 'data-testid="from-order"' in page and order.number in page
    r = client.post(
        f"/enforcement/new/?order={order.pk}",
        {
            "procedure": "simple",
            "source": "hotline_12345",
            "source_ref": order.number,
            "item": item.pk,
            "community": world.community_a.pk,
            "party_kind": "person",
            "party_name": "示例摊主（示例）",
            "facts": "在示例路口占道经营水果（示例）",
            "offence_on": "2026-10-08",
            "filed_on": "2026-10-09",
            "officers": [p.pk for p in people],
            "order": order.pk,
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    case = EnforcementCase.objects.get()
    order.refresh_from_db()
    assert order.enforcement_case == case
    assert order.number in client.get(case.get_absolute_url()).content.decode()
    data = {"replied_on": "2026-10-09", "resolution": "resolved", "reply": "已立案处理（示例）"}
    with pytest.raises(TransitionNotAllowed, match="作出处理决定后方可答复办结"):
        transition(order, "reply", by=officer, data=data)
    transition(case, "decide_onsite", by=officer, data={"decided_on": "2026-10-09", "outcome": "warning"})
    order.refresh_from_db()
    order = transition(order, "reply", by=officer, data=data)
    assert order.state == "replied"


def test_the_same_caller_or_address_is_shown_on_the_order(hot, world, client_for):
    first = hot.receive(received_at=at(D(2026, 9, 20)))
    second = hot.receive(address="示例路 1 号", caller_phone="13900000222")
    third = hot.receive(address="别处路9号（示例）", received_at=at(D(2026, 10, 12)))
    page = client_for(hot.desk).get(second.get_absolute_url()).content.decode()
    related = page.split('data-testid="related"')[1].split("</table>")[0]
    assert first.number in related and third.number not in related  # same address, another caller
    assert any("30日内再次来电" in r for r in services.risk_reasons(third))
    assert "13900000111" not in page
