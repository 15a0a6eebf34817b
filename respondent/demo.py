"""A fictional year of the street as respondent, through the services and the workflow at their own dates: a few
reconsiderations and suits against the demo street's enforcement decisions and disclosure answers — replied in
time, hearings with the head appearing or the reason recorded, most upheld, one annulled and rectified, one
reconsideration closing with a 行政复议意见书, and the last still waiting for its reply."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from core.audit.context import recorded_at
from core.clocks import calendar as cal
from core.db import atomic
from core.models import Region, Unit, User
from core.workflow import transition

from . import services

PLAN = [
    # (kind, act_kind, outcome, head appears at each hearing)
    ("reconsideration", "enforcement", "upheld", ()),
    ("litigation", "enforcement", "rejected", (True, True)),
    ("reconsideration", "disclosure", "upheld", ()),
    ("litigation", "disclosure", "rejected", (False,)),
    ("reconsideration", "enforcement", "annulled", ()),
    ("litigation", "enforcement", "settled", (True,)),
    ("reconsideration", "disclosure", "", ()),
]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _step(case: Any, action: str, day: dt.date, by: Any, **data: Any) -> Any:
    with recorded_at(_at(day)):
        return transition(case, action, by=by, data=data)


def generate_respondent_year(street: Region, *, today: dt.date | None = None) -> int:
    from disclosure.models import DisclosureRequest
    from enforcement.models import EnforcementCase

    today = today or timezone.localdate()
    justice = User.objects.filter(
        memberships__role="justice_coordinator", memberships__unit__region=street
    ).first()
    officer = User.objects.filter(memberships__role="officer", memberships__unit__region=street).first()
    team = Unit.objects.filter(region=street, kind="enforcement_team").first()
    office = Unit.objects.filter(region=street, kind="leadership").first()
    if justice is None or officer is None or team is None or office is None:
        raise ValueError(f"{street.name}缺少司法所、执法人员账号或综合行政执法队、办事处")
    decisions = list(
        EnforcementCase.objects.filter(region__path__startswith=street.path, decided_on__isnull=False)
        .exclude(outcome__in=("no_penalty", "first_offence"))
        .order_by("decided_on")
    )
    answers = list(
        DisclosureRequest.objects.filter(
            region__path__startswith=street.path, answered_on__isnull=False
        ).order_by("answered_on")
    )
    made = 0
    for n, (kind, act_kind, outcome, hearings) in enumerate(PLAN):
        pool: list[Any] = decisions if act_kind == "enforcement" else answers
        if not pool:
            continue
        act: Any = pool[min(len(pool) - 1, (n + 1) * len(pool) // (len(PLAN) + 1))]
        acted_on: dt.date = act.decided_on if act_kind == "enforcement" else act.answered_on
        filed = acted_on + dt.timedelta(days=20 + n)
        received = cal.working_days_after(filed, 3)
        if n == len(PLAN) - 1:  # the last one: just received, its reply still to come
            received = cal.working_days_after(today - dt.timedelta(days=6), 1)
            filed = received - dt.timedelta(days=2)
        if received >= today:
            continue
        with atomic():
            with recorded_at(_at(received)):
                case = services.case_receive(
                    by=justice,
                    kind=kind,
                    body="示例区人民政府" if kind == "reconsideration" else "示例区人民法院",
                    body_ref=f"示{'复' if kind == 'reconsideration' else '行初'}字〔{received.year}〕第{n + 11}号",
                    applicant=act.party_name if act_kind == "enforcement" else act.applicant_name,
                    unit=team if act_kind == "enforcement" else office,
                    act_kind=act_kind,
                    act=(
                        act.decision_number
                        if act_kind == "enforcement"
                        else f"政府信息公开申请答复书{act.letter_number}"
                    )
                    + "（示例）",
                    filed_on=filed,
                    received_on=received,
                    enforcement_case=act if act_kind == "enforcement" else None,
                    disclosure_request=act if act_kind == "disclosure" else None,
                )
            made += 1
            if not outcome:
                continue
            replied = cal.working_days_after(received, 6 + n % 3)
            case = _step(case, "reply", replied, justice, replied_on=replied)
            day = replied
            for i, head in enumerate(hearings):
                day = day + dt.timedelta(days=21 + 7 * i)
                with recorded_at(_at(day)):
                    services.hearing_record(
                        by=justice,
                        case=case,
                        held_on=day,
                        appearance="head" if head else "staff",
                        appeared="示例街道办事处主任（示例）" if head else "示例司法所所长（示例）",
                        reason="" if head else "负责人参加区紧急会议，经法院准许由相应工作人员出庭（示例）",
                        lawyer="示例律师事务所律师（示例）",
                    )
            decided = day + dt.timedelta(days=30)
            if decided >= today:
                continue
            case = _step(
                case, "decide", decided, justice, decided_on=decided, outcome=outcome, instance="first"
            )
            if outcome == "annulled":
                done = decided + dt.timedelta(days=12)
                if done >= today:
                    continue
                with recorded_at(_at(done)):
                    services.rectification_record(
                        by=officer,
                        case=case,
                        rectified_on=done,
                        report="撤回公示，重新调查取证，并组织执法人员案例复盘培训（示例）",
                    )
                case.refresh_from_db()
            closed = decided + dt.timedelta(days=15)
            if closed < today:
                _step(case, "close", closed, justice, closed_on=closed)
    return made
