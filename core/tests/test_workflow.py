"""The workflow engine on the test-only sample case type: table, roles, guards, data, versions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from core.audit.timeline import timeline_of
from core.clocks.services import state_of
from core.models import Clock
from core.tests.sample.models import SampleCase
from core.tests.sample.workflow import SAMPLE_WORKFLOW
from core.workflow import Conflict, TransitionNotAllowed, transition


@pytest.fixture
def case(world):
    return SampleCase.objects.create(
        title="示例案件一", region=world.community_a, state="draft", assignee=world.users["mediator_a"]
    )


def test_happy_path_writes_timeline_and_clock(world, case):
    case = transition(case, "submit", by=world.users["mediator_a"], version=1)
    assert (case.state, case.version) == ("submitted", 2)
    case.note = "已核实"
    case.save()
    case = transition(
        case, "accept", by=world.users["justice"], version=2, data={"accepted_on": "2026-09-25"}
    )
    assert case.state == "accepted"
    clock = Clock.objects.get(object_id=case.pk, name="period")
    assert clock.due_on == dt.date(2026, 10, 26)  # 1 month -> 10-25 (Sunday) -> Monday 10-26
    assert clock.assignee == world.users["mediator_a"]
    case = transition(case, "close", by=world.users["mediator_a"], data={"closed_on": "2026-10-20"})
    clock.refresh_from_db()
    assert clock.met_on == dt.date(2026, 10, 20)
    assert state_of(clock) == "met"
    kinds = [(e.kind, e.action) for e in timeline_of(case)]
    assert kinds == [
        ("transition", "submit"),
        ("clock", "clock.start"),
        ("transition", "accept"),
        ("clock", "clock.meet"),
        ("transition", "close"),
    ]
    assert all(e.actor_id for e in timeline_of(case))


def test_role_not_in_table_is_refused(world, case):
    transition(case, "submit", by=world.users["mediator_a"])
    with pytest.raises(TransitionNotAllowed, match="您的角色不能执行“受理”"):
        transition(case, "accept", by=world.users["mediator_a"], data={"accepted_on": "2026-09-25"})


def test_wrong_state_is_refused(world, case):
    with pytest.raises(TransitionNotAllowed, match="当前状态为“草稿”，不能执行“办结”"):
        transition(case, "close", by=world.users["mediator_a"], data={"closed_on": "2026-10-20"})


def test_guard_refusal_names_reason_and_changes_nothing(world, case):
    transition(case, "submit", by=world.users["mediator_a"])
    with pytest.raises(TransitionNotAllowed, match="备注为空时不能受理"):
        transition(case, "accept", by=world.users["justice"], data={"accepted_on": "2026-09-25"})
    case.refresh_from_db()
    assert case.state == "submitted"
    assert not Clock.objects.filter(object_id=case.pk).exists()


def test_required_data_missing_or_malformed_names_the_field(world, case):
    case = transition(case, "submit", by=world.users["mediator_a"])
    case.note = "x"
    case.save()
    with pytest.raises(ValidationError) as missing:
        transition(case, "accept", by=world.users["justice"], data={})
    assert missing.value.message_dict == {"accepted_on": ["请填写“受理日期”"]}
    with pytest.raises(ValidationError) as bad:
        transition(case, "accept", by=world.users["justice"], data={"accepted_on": "2026-13-40"})
    assert "应为日期" in bad.value.message_dict["accepted_on"][0]
    case.refresh_from_db()
    assert case.state == "submitted"


def test_stale_version_is_a_conflict_and_nothing_changes(world, case):
    transition(case, "submit", by=world.users["mediator_a"], version=1)
    with pytest.raises(Conflict, match="第1版，当前为第2版"):
        transition(case, "return", by=world.users["justice"], version=1, data={"reason": "材料不全"})
    case.refresh_from_db()
    assert (case.state, case.version) == ("submitted", 2)


def test_case_outside_scope_is_not_found(world, case):
    for key in ("mediator_b", "other"):
        with pytest.raises(Http404):
            transition(case, "submit", by=world.users[key])


def test_available_actions_follow_table_and_roles(world, case):
    transition(case, "submit", by=world.users["mediator_a"])
    case.refresh_from_db()
    assert [a.name for a in SAMPLE_WORKFLOW.available(case, world.users["justice"])] == ["accept", "return"]
    assert SAMPLE_WORKFLOW.available(case, world.users["mediator_a"]) == []


def test_state_diagram_is_generated_from_table():
    diagram = SAMPLE_WORKFLOW.mermaid()
    assert diagram.startswith("stateDiagram-v2")
    assert "[*] --> draft" in diagram
    for action in SAMPLE_WORKFLOW.actions:
        for src in action.source:
            assert f"{src} --> {action.target}: {action.label}" in diagram


def test_buttons_and_generic_action_view(world, case, client_for):
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = world.users["mediator_a"]
    html = Template("{% load fazhi %}{% workflow_actions case %}").render(
        Context({"request": request, "case": case})
    )
    assert "提交" in html and "受理" not in html
    client = client_for(world.users["mediator_a"])
    url = f"/workflow/sample/samplecase/{case.pk}/submit/"
    response = client.post(url, {"version": "1"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "submitted"
    # A stale form comes back with 409, the message, and what the user typed.
    client = client_for(world.users["justice"])
    response = client.post(
        f"/workflow/sample/samplecase/{case.pk}/return/", {"version": "1", "reason": "请补充材料"}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "已被他人更新" in body and "请补充材料" in body
    # Outside scope: 404, not 403.
    client = client_for(world.users["mediator_b"])
    assert client.post(f"/workflow/sample/samplecase/{case.pk}/return/", {"version": "2"}).status_code == 404


def test_the_steps_of_a_case_follow_the_main_path_and_end_where_it_left_it():
    from core.workflow import workflow_for

    wf = workflow_for("disputes.Dispute")
    assert [wf.state_label(s) for s in wf.main_path()] == [
        "已登记",
        "已研判",
        "已分派",
        "调解中",
        "已达成协议",
        "已结案",
    ]
    assert wf.steps("assigned")[1:4] == [("已研判", "done"), ("已分派", "current"), ("调解中", "todo")]
    # Rejected at registration: only 已登记 is done, whatever else could lead to the rejection
    assert wf.steps("not_accepted", came_from="received") == [("已登记", "done"), ("不予受理", "current")]
    failed = wf.steps("failed", came_from="mediating")
    assert [s for s, status in failed if status == "done"] == ["已登记", "已研判", "已分派", "调解中"]
    assert failed[-1] == ("调解不成", "current")
