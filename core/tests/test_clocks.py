"""Clock services on a sample case: pause, resume, restart (补正), extend (cap, approver), states."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from core.clocks import calendar as cal
from core.clocks.engine import ClockState, clock_state
from core.clocks.services import (
    clock_extend,
    clock_meet,
    clock_pause,
    clock_restart,
    clock_resume,
    clock_start,
    explain,
)
from core.tests.sample.models import SampleCase

D = dt.date


@pytest.fixture
def clock(world):
    cal.clear_cache()
    case = SampleCase.objects.create(title="示例公开申请", region=world.street, state="accepted")
    return clock_start(
        case=case,
        name="answer",
        rule_id="disclosure.answer",
        started_on=D(2026, 9, 25),
        by=world.users["justice"],
        title=case.title,
        start_event="收到申请",
    )


def test_start_computes_due_and_explains(clock):
    assert clock.due_on == D(2026, 10, 29)
    text = explain(clock).explanation
    assert "自收到申请之日2026年9月25日（星期五）的次日起算" in text
    assert "截止日期：2026年10月29日（星期四）" in text


def test_pause_and_resume_shift_due(world, clock):
    clock_pause(clock=clock, paused_on=D(2026, 10, 12), reason="征求第三方意见", by=world.users["justice"])
    clock_resume(clock=clock, resumed_on=D(2026, 10, 16), by=world.users["justice"])
    clock.refresh_from_db()
    assert clock.due_on == D(2026, 11, 4)


def test_restart_after_correction_counts_from_new_receipt(world, clock):
    clock_restart(
        clock=clock,
        started_on=D(2026, 10, 9),
        reason="申请人补正",
        by=world.users["justice"],
        start_event="收到补正后的申请",
    )
    clock.refresh_from_db()
    # 20 WD after Fri 10-09: 10/10 (调休六) =1, 10/12-16 =6, 10/19-23 =11, 10/26-30 =16, 11/2-11/5 =20
    assert clock.due_on == D(2026, 11, 5)
    assert "收到补正后的申请" in explain(clock).explanation


def test_extension_needs_approver_reason_and_respects_cap(world, clock):
    by = world.users["justice"]
    with pytest.raises(ValidationError) as no_approver:
        clock_extend(clock=clock, length=10, approver=None, reason="复杂", by=by)
    assert "批准人" in no_approver.value.message_dict["approver"][0]
    clock_extend(clock=clock, length=15, approver=world.users["leader"], reason="需调档", by=by)
    with pytest.raises(ValidationError) as over:
        clock_extend(clock=clock, length=6, approver=world.users["leader"], reason="再延", by=by)
    assert "最多延长20个工作日，已延长15个工作日" in over.value.message_dict["length"][0]
    clock.refresh_from_db()
    assert clock.due_on == D(2026, 11, 19)


def test_rule_without_extension_refuses(world):
    case = SampleCase.objects.create(title="示例", region=world.street, state="accepted")
    c = clock_start(
        case=case,
        name="p",
        rule_id="penalty.service",
        started_on=D(2026, 9, 25),
        by=world.users["justice"],
        title="x",
    )
    with pytest.raises(ValidationError, match="依法不得延长"):
        clock_extend(clock=c, length=1, approver=world.users["leader"], reason="x", by=world.users["justice"])


def test_met_clock_is_closed_to_changes(world, clock):
    clock_meet(clock=clock, met_on=D(2026, 10, 30), by=world.users["justice"])
    with pytest.raises(ValidationError, match="已于2026-10-30办结"):
        clock_pause(clock=clock, paused_on=D(2026, 10, 31), reason="x", by=world.users["justice"])


@pytest.mark.parametrize(
    ("met_on", "today", "expected"),
    [
        (None, D(2026, 10, 1), ClockState.ON_TIME),
        (None, D(2026, 10, 26), ClockState.DUE_SOON),
        (None, D(2026, 10, 29), ClockState.DUE_SOON),
        (None, D(2026, 10, 30), ClockState.OVERDUE),
        (D(2026, 10, 29), D(2026, 11, 5), ClockState.MET),
        (D(2026, 10, 30), D(2026, 11, 5), ClockState.MET_LATE),
    ],
)
def test_states(met_on, today, expected):
    assert clock_state(D(2026, 10, 29), met_on, today, 3) == expected
