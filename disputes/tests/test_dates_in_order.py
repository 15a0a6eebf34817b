"""Dates in order in the workflow and the services: received ≤ accepted ≤ agreement ≤ visits ≤ closed (and the
judicial confirmation after the agreement), none in the future; each refusal names its field, in Chinese."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from core.models import Person
from core.workflow import transition
from disputes import services
from disputes.choices import DisputeState
from disputes.tests.conftest import at

D = dt.date
TODAY = D(2026, 3, 16)


@pytest.fixture
def mediating(world: Any, intake: Any, frozen_today: Any) -> Any:
    frozen_today(TODAY)
    j = world.users["justice"]
    person = Person.objects.get(name="调解员a（示例）")

    def make() -> Any:
        d = intake(received_at=at(2026, 3, 2))
        d = transition(d, "triage", by=j, data={"route": "community"})
        d = transition(
            d,
            "assign",
            by=j,
            data={"committee": str(world.units["committee_a"].pk), "mediators": [str(person.pk)]},
        )
        return d

    return make


def refused(field: str, words: str, call: Any, *args: Any, **kwargs: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        call(*args, **kwargs)
    assert list(exc.value.message_dict) == [field]
    assert words in exc.value.message_dict[field][0], exc.value.message_dict


def test_acceptance_is_not_before_the_receipt_nor_in_the_future(world, mediating):
    d, j = mediating(), world.users["justice"]
    refused(
        "accepted_on",
        "受理调解日期（2026-03-01）早于受理时间（2026-03-02），请核对",
        transition,
        d,
        "accept",
        by=j,
        data={"accepted_on": "2026-03-01"},
    )
    refused(
        "accepted_on",
        "受理调解日期：日期2026-03-17晚于今天",
        transition,
        d,
        "accept",
        by=j,
        data={"accepted_on": "2026-03-17"},
    )
    d = transition(d, "accept", by=j, data={"accepted_on": "2026-03-02"})
    assert d.state == DisputeState.MEDIATING and d.accepted_on == D(2026, 3, 2)


def test_an_end_is_not_before_the_acceptance(world, mediating):
    j = world.users["justice"]
    d = transition(mediating(), "accept", by=j, data={"accepted_on": "2026-03-05"})
    fail = {"failure_path": "litigation", "reason": "分歧大（示例）"}
    refused(
        "ended_on",
        "终结日期（2026-03-04）早于受理调解日期（2026-03-05）",
        transition,
        d,
        "fail",
        by=j,
        data={**fail, "ended_on": "2026-03-04"},
    )
    refused(
        "ended_on",
        "终止日期：日期2026-04-01晚于今天",
        transition,
        d,
        "terminate",
        by=j,
        data={"ended_on": "2026-04-01", "reason": "拒绝调解（示例）"},
    )
    refused(
        "transferred_on",
        "移交日期（2026-03-03）早于受理调解日期（2026-03-05）",
        transition,
        d,
        "transfer",
        by=j,
        data={"body": "court", "transferred_on": "2026-03-03", "reason": "已起诉（示例）"},
    )
    assert transition(d, "fail", by=j, data={**fail, "ended_on": "2026-03-05"}).closed_on == D(2026, 3, 5)


def test_a_refusal_carries_its_date_not_before_the_receipt(world, intake, frozen_today):
    frozen_today(TODAY)
    j = world.users["justice"]
    d = intake(received_at=at(2026, 3, 2))
    refused(
        "rejected_on",
        "不予受理日期（2026-03-01）早于受理时间（2026-03-02）",
        transition,
        d,
        "reject",
        by=j,
        data={"reason": "已起诉（示例）", "rejected_on": "2026-03-01"},
    )
    d = transition(d, "reject", by=j, data={"reason": "已起诉（示例）", "rejected_on": "2026-03-03"})
    assert d.closed_on == D(2026, 3, 3)
    other = transition(intake(received_at=at(2026, 3, 2)), "reject", by=j, data={"reason": "已起诉（示例）"})
    assert other.closed_on == TODAY  # not given: the day it is recorded


def test_agreement_visits_and_close_follow_each_other(world, mediating):
    j = world.users["justice"]
    d = transition(mediating(), "accept", by=j, data={"accepted_on": "2026-03-05"})
    terms = {
        "kind": "written",
        "facts": "漏水致损事实清楚（示例）",
        "terms": "赔偿维修费三千元（示例）",
        "schedule": "",
        "by": j,
    }
    refused(
        "effective_on",
        "协议生效日期（2026-03-04）早于受理调解日期（2026-03-05）",
        services.agreement_record,
        dispute=d,
        effective_on=D(2026, 3, 4),
        **terms,
    )
    refused(
        "effective_on", "晚于今天", services.agreement_record, dispute=d, effective_on=D(2026, 3, 20), **terms
    )
    refused(
        "held_at",
        "调解时间（2026-03-04）早于受理调解日期（2026-03-05）",
        services.session_record,
        dispute=d,
        held_at=at(2026, 3, 4),
        place="调解室",
        participants="双方",
        summary="释法析理（示例）",
        by=j,
    )
    services.agreement_record(dispute=d, effective_on=D(2026, 3, 8), **terms)
    d = transition(d, "succeed", by=j, data={"confirmation": "yes"})
    fu = d.follow_ups.get()
    visit = {"follow_up": fu, "fulfilment": "fulfilled", "note": "", "by": j}
    refused(
        "visited_on",
        "回访日期（2026-03-07）早于调解协议生效日期（2026-03-08）",
        services.follow_up_record,
        visited_on=D(2026, 3, 7),
        **visit,
    )
    refused("visited_on", "晚于今天", services.follow_up_record, visited_on=D(2026, 3, 17), **visit)
    services.follow_up_record(visited_on=D(2026, 3, 10), **visit)
    refused(
        "closed_on",
        "结案日期（2026-03-09）早于最后一次回访日期（2026-03-10）",
        transition,
        d,
        "close",
        by=j,
        data={"closed_on": "2026-03-09"},
    )
    refused("closed_on", "晚于今天", transition, d, "close", by=j, data={"closed_on": "2026-03-17"})

    refused(
        "applied_on",
        "司法确认申请日期（2026-03-07）早于调解协议生效日期（2026-03-08）",
        services.confirmation_apply,
        dispute=d,
        court="示例区人民法院",
        applied_on=D(2026, 3, 7),
        by=j,
    )
    services.confirmation_apply(dispute=d, court="示例区人民法院", applied_on=D(2026, 3, 9), by=j)
    decide = {"dispute": d, "decision": "confirmed", "by": j}
    refused(
        "accepted_on",
        "法院受理日期（2026-03-08）早于司法确认申请日期（2026-03-09）",
        services.confirmation_decide,
        accepted_on=D(2026, 3, 8),
        decided_on=D(2026, 3, 12),
        **decide,
    )
    refused(
        "decided_on",
        "裁定日期（2026-03-10）早于法院受理日期（2026-03-11）",
        services.confirmation_decide,
        accepted_on=D(2026, 3, 11),
        decided_on=D(2026, 3, 10),
        **decide,
    )
    services.confirmation_decide(accepted_on=D(2026, 3, 11), decided_on=D(2026, 3, 12), **decide)
    d = transition(d, "close", by=j, data={"closed_on": "2026-03-10"})
    assert d.state == DisputeState.CLOSED and d.closed_on == D(2026, 3, 10)


def test_a_report_upward_is_not_before_the_receipt(world, intake, frozen_today):
    frozen_today(TODAY)
    d = intake(received_at=at(2026, 3, 2, 15))
    refused(
        "reported_at",
        "报告时间（2026-03-01）早于受理时间（2026-03-02）",
        services.escalation_record,
        dispute=d,
        reported_to="街道平安办",
        note="",
        by=world.users["justice"],
        reported_at=at(2026, 3, 1),
    )
    esc = services.escalation_record(
        dispute=d, reported_to="街道平安办", note="", by=world.users["justice"], reported_at=at(2026, 3, 3)
    )
    assert esc.reported_at == at(2026, 3, 3)


def test_the_page_names_the_field_of_a_date_out_of_order(world, client, mediating):
    d = mediating()
    client.force_login(world.users["justice"])
    r = client.post(
        f"/workflow/disputes/dispute/{d.pk}/accept/", {"version": d.version, "accepted_on": "2026-03-01"}
    )
    assert r.status_code == 400
    assert "受理调解日期：受理调解日期（2026-03-01）早于受理时间（2026-03-02），请核对" in r.content.decode()
    d.refresh_from_db()
    assert d.state == DisputeState.ASSIGNED
