"""The closed loop through the services and the workflow table."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.models import Clock, Person
from core.workflow import TransitionNotAllowed, transition
from disputes import services
from disputes.choices import DisputeState
from disputes.tests.conftest import at


@pytest.fixture
def mediator_person(world):
    return Person.objects.get(name="调解员a（示例）")


def walk_to_mediating(world, intake, mediator_person, received=None):
    d = intake(received_at=received or at(2026, 9, 24))
    j = world.users["justice"]
    d = transition(d, "triage", by=j, data={"route": "community"})
    d = transition(
        d,
        "assign",
        by=j,
        data={"committee": str(world.units["committee_a"].pk), "mediators": [str(mediator_person.pk)]},
    )
    d = transition(d, "accept", by=world.users["mediator_a"], data={"accepted_on": "2026-09-25"})
    return d


def test_full_loop_to_closed(world, intake, mediator_person):
    d = walk_to_mediating(world, intake, mediator_person)
    assert d.state == DisputeState.MEDIATING
    period = Clock.objects.get(object_id=d.pk, name="period")
    assert period.due_on == dt.date(2026, 10, 26)  # 10-25 is a Sunday
    m = world.users["mediator_a"]
    services.session_record(
        dispute=d,
        held_at=at(2026, 9, 28),
        place="示例甲居委会调解室",
        participants="双方当事人、调解员",
        summary="释法明理，双方同意协商",
        by=m,
    )
    services.agreement_record(
        dispute=d,
        kind="written",
        facts="楼上漏水致楼下受损，楼上应承担维修费用",
        terms="楼上一次性支付维修费3000元",
        effective_on=dt.date(2026, 9, 29),
        schedule="2026-10-09 支付维修费3000元",
        by=m,
    )
    d = transition(d, "succeed", by=m, data={"confirmation": "yes"})
    period.refresh_from_db()
    assert period.met_on == dt.date(2026, 9, 29)
    window = Clock.objects.get(object_id=d.pk, name="confirmation_window")
    assert window.due_on == dt.date(2026, 10, 29)
    fu = d.follow_ups.get()
    fu_clock = Clock.objects.get(object_id=d.pk, name=f"followup-{fu.pk}")
    assert fu_clock.due_on == dt.date(2026, 10, 9)
    with pytest.raises(TransitionNotAllowed, match="还有1次履行回访未完成"):
        transition(d, "close", by=m, data={"closed_on": "2026-10-10"})
    services.follow_up_record(
        follow_up=fu, visited_on=dt.date(2026, 10, 9), fulfilment="fulfilled", note="已付清", by=m
    )
    d = transition(d, "close", by=m, data={"closed_on": "2026-10-10"})
    assert d.state == DisputeState.CLOSED and d.closed_on == dt.date(2026, 10, 10)
    d = transition(d, "reopen", by=world.users["justice"], data={"reason": "当事人反映未足额支付"})
    assert d.state == DisputeState.TRIAGED and d.closed_on is None


def test_success_needs_agreement_and_assignee(world, intake, mediator_person):
    d = walk_to_mediating(world, intake, mediator_person)
    with pytest.raises(TransitionNotAllowed, match="请先登记调解协议"):
        transition(d, "succeed", by=world.users["mediator_a"], data={})
    with pytest.raises(TransitionNotAllowed, match="您的角色不能执行"):
        transition(
            d,
            "fail",
            by=world.users["officer"],
            data={"failure_path": "litigation", "ended_on": "2026-10-01", "reason": "x"},
        )


def test_other_community_mediator_cannot_act(world, intake, mediator_person):
    d = intake()
    j = world.users["justice"]
    d = transition(d, "triage", by=j, data={"route": "community"})
    d = transition(
        d,
        "assign",
        by=j,
        data={"committee": str(world.units["committee_a"].pk), "mediators": [str(mediator_person.pk)]},
    )
    from django.http import Http404

    with pytest.raises(Http404):
        transition(d, "accept", by=world.users["mediator_b"], data={"accepted_on": "2026-09-25"})


def test_transfer_counts_as_escalated_out(world, intake):
    d = intake(received_at=at(2026, 9, 24))
    d = transition(
        d,
        "transfer",
        by=world.users["justice"],
        data={"body": "court", "transferred_on": "2026-09-30", "reason": "当事人已起诉"},
    )
    assert d.state == DisputeState.TRANSFERRED and d.escalated_out


def test_high_risk_triage_requires_report_upward(world, intake):
    d = intake(people_count=8)
    assert d.risk_level == "high"
    with pytest.raises(TransitionNotAllowed, match="须先向上级报告"):
        transition(
            d,
            "triage",
            by=world.users["justice"],
            data={"route": "street", "lead_unit": str(world.units["justice"].pk)},
        )
    services.escalation_record(
        dispute=d, reported_to="街道平安办", note="群体性纠纷", by=world.users["justice"]
    )
    d = transition(
        d,
        "triage",
        by=world.users["justice"],
        data={"route": "street", "lead_unit": str(world.units["justice"].pk)},
    )
    assert d.state == DisputeState.TRIAGED and d.lead_unit == world.units["justice"]


def test_agreement_schedule_errors_are_named(world, intake, mediator_person):
    d = walk_to_mediating(world, intake, mediator_person)
    with pytest.raises(ValidationError) as exc:
        services.agreement_record(
            dispute=d,
            kind="written",
            facts="事实清楚（示例）",
            terms="支付费用（示例）",
            effective_on=dt.date(2026, 9, 29),
            schedule="下周 付钱",
            by=world.users["mediator_a"],
        )
    assert "履行期限第1行" in exc.value.message_dict["schedule"][0]


def test_every_action_refuses_roles_outside_its_table(world, intake):
    """For every action of the table: officer, leader, reviewer and auditor are refused by role."""
    from disputes.models import Dispute
    from disputes.workflow import DISPUTE_WORKFLOW

    for action in DISPUTE_WORKFLOW.actions:
        d = intake()
        Dispute.objects.filter(pk=d.pk).update(state=action.source[0])  # test set-up only
        d.refresh_from_db()
        for outsider in ("officer", "leader", "reviewer", "auditor"):
            assert not ({"officer", "street_leader", "reviewer", "auditor"} & set(action.roles))
            with pytest.raises(TransitionNotAllowed, match=f"您的角色不能执行“{action.label}”"):
                transition(d, action.name, by=world.users[outsider], data={})


def test_street_route_with_cooperating_units_and_invitations(world, intake):
    j = world.users["justice"]
    d = intake()
    d = transition(
        d,
        "triage",
        by=j,
        data={
            "route": "street",
            "lead_unit": str(world.units["justice"].pk),
            "cooperating_units": [str(world.units["enforcement"].pk), str(world.units["leadership"].pk)],
        },
    )
    assert set(d.cooperating_units.all()) == {world.units["enforcement"], world.units["leadership"]}
    from core import services as core_services
    from core.models.people import PersonKind

    advisor = core_services.person_create(
        by=None,
        name="顾问（示例）",
        kind=PersonKind.LEGAL_ADVISOR,
        region=world.street,
        paired_region=world.community_a,
        legal_qualification=True,
    )
    expert_elsewhere = core_services.person_create(
        by=None, name="外街专家（示例）", kind=PersonKind.EXPERT, region=world.street2
    )
    assert services.invitable_people(d, j).first() == advisor  # the community's own advisor comes first
    services.invitation_record(dispute=d, person_id=advisor.pk, purpose="提供法律意见", by=j)
    with pytest.raises(ValidationError, match="只能邀请本街镇"):
        services.invitation_record(dispute=d, person_id=expert_elsewhere.pk, purpose="x", by=j)
    assert d.invitations.get().person == advisor


def test_failed_case_record_for_court_filing(world, intake, mediator_person, client):
    d = walk_to_mediating(world, intake, mediator_person)
    services.session_record(
        dispute=d,
        held_at=at(2026, 9, 28),
        place="调解室",
        participants="双方",
        summary="分歧较大",
        by=world.users["mediator_a"],
    )
    d = transition(
        d,
        "fail",
        by=world.users["mediator_a"],
        data={"failure_path": "litigation", "ended_on": "2026-10-09", "reason": "分歧较大"},
    )
    client.force_login(world.users["justice"])
    r = client.get(f"/disputes/{d.pk}/record.docx")
    assert r.status_code == 200
    import io

    from docx import Document

    doc = Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "调解不成，已告知当事人引导诉讼" in text and "分歧较大" in text
    assert any("调解不成" in cell.text for cell in doc.tables[0].columns[2].cells)
