from core.clocks.services import clock_meet, clock_start
from core.models import Clock
from core.roles import Role
from core.workflow import Action, Field, Workflow, register

from .models import SampleState as S

STAFF = frozenset({Role.JUSTICE_COORDINATOR, Role.MEDIATOR})


def _needs_note(case, data, by):
    return None if case.note else "备注为空时不能受理，请先补充备注"


def _start_clock(case, data, by):
    clock_start(
        case=case,
        name="period",
        rule_id="mediation.period",
        started_on=data["accepted_on"],
        by=by,
        title=case.title,
        start_event="受理",
        assignee=case.assignee,
    )


def _meet_clock(case, data, by):
    clock_meet(
        clock=Clock.objects.get(object_id=case.pk, name="period", content_type__model="samplecase"),
        met_on=data["closed_on"],
        by=by,
    )


SAMPLE_WORKFLOW = register(
    Workflow(
        model="sample.SampleCase",
        states=S,
        initial=S.DRAFT,
        actions=[
            Action("submit", "提交", (S.DRAFT, S.RETURNED), S.SUBMITTED, STAFF),
            Action(
                "accept",
                "受理",
                (S.SUBMITTED,),
                S.ACCEPTED,
                frozenset({Role.JUSTICE_COORDINATOR}),
                fields=(Field("accepted_on", "受理日期", "date"),),
                guard=_needs_note,
                effect=_start_clock,
            ),
            Action(
                "return",
                "退回",
                (S.SUBMITTED,),
                S.RETURNED,
                frozenset({Role.JUSTICE_COORDINATOR}),
                fields=(Field("reason", "退回理由", "textarea"),),
                style="danger",
            ),
            Action(
                "close",
                "办结",
                (S.ACCEPTED,),
                S.CLOSED,
                STAFF,
                fields=(Field("closed_on", "办结日期", "date"),),
                effect=_meet_clock,
            ),
        ],
    )
)
