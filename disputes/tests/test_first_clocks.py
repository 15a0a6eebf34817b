"""A case is timed from its registration: the triage the public page promises (1 working day) and, after each
assignment, its acceptance (2 working days) — service commitments on the official calendar, met by the step they
wait for, and late cases are overdue like any other clock."""

from __future__ import annotations

import datetime as dt

from core.clocks.services import explain
from core.models import Clock
from core.workflow import transition
from disputes.models import Dispute
from disputes.selectors import overdue_q

from .conftest import at

D = dt.date


def clocks(d):
    return {c.name: c for c in Clock.objects.filter(object_id=d.pk, content_type__model="dispute")}


def test_triage_is_due_the_next_working_day_and_met_by_the_triage(world, intake, frozen_today):
    frozen_today(D(2026, 10, 9))
    d = intake(received_at=at(2026, 9, 30))  # Wednesday before the National Day holiday
    triage = clocks(d)["triage"]
    assert triage.rule_id == "mediation.triage" and triage.due_on == D(2026, 10, 8)  # 10/1-7 National Day
    why = explain(triage).explanation
    assert "2026年10月8日" in why or "2026-10-08" in why, why
    frozen_today(D(2026, 10, 12))
    assert Dispute.objects.filter(overdue_q(D(2026, 10, 12)), pk=d.pk).exists()  # late: overdue
    d = transition(d, "triage", by=world.users["justice"], data={"route": "community"})
    triage.refresh_from_db()
    assert triage.met_on == D(2026, 10, 12) and triage.met_on > triage.due_on  # met late
    assert not Dispute.objects.filter(overdue_q(D(2026, 10, 12)), pk=d.pk).exists()


def test_each_assignment_is_timed_until_it_is_accepted_or_returned(world, intake, frozen_today):
    frozen_today(D(2026, 11, 2))
    j, m = world.users["justice"], world.users["mediator_a"]
    assign = {"committee": str(world.units["committee_a"].pk), "mediators": [str(world.people["a"].pk)]}
    d = intake(received_at=at(2026, 11, 2))
    d = transition(d, "triage", by=j, data={"route": "community"})
    d = transition(d, "assign", by=j, data=assign)
    first = next(c for n, c in clocks(d).items() if n.startswith("acceptance"))
    assert first.due_on == D(2026, 11, 4) and first.met_on is None  # Monday + 2 WD
    frozen_today(D(2026, 11, 3))
    d = transition(d, "return", by=m, data={"reason": "非本调委会辖区（示例）"})
    first.refresh_from_db()
    assert first.met_on == D(2026, 11, 3)
    frozen_today(D(2026, 11, 5))
    d = transition(d, "assign", by=j, data=assign)
    second = [c for n, c in clocks(d).items() if n.startswith("acceptance") and c.pk != first.pk]
    assert len(second) == 1 and second[0].started_on == D(2026, 11, 5) and second[0].due_on == D(2026, 11, 9)
    frozen_today(D(2026, 11, 6))
    d = transition(d, "accept", by=m, data={"accepted_on": "2026-11-06"})
    second[0].refresh_from_db()
    assert second[0].met_on == D(2026, 11, 6)
    assert {n for n, c in clocks(d).items() if c.met_on is None} == {"period"}


def test_a_refused_case_meets_its_triage(world, intake, frozen_today):
    frozen_today(D(2026, 11, 3))
    d = intake(received_at=at(2026, 11, 2))
    transition(d, "reject", by=world.users["justice"], data={"reason": "已进入诉讼程序（示例）"})
    assert clocks(d)["triage"].met_on == D(2026, 11, 3)
