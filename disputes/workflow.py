"""The dispute workflow table: 受理 → 研判 → 分派 → 调解 → 协议/不成/终止/移交 → 回访 → 结案.

Run ``python manage.py workflow_diagram disputes.Dispute`` for the state diagram.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from core.audit.context import recorded_moment
from core.clocks.services import clock_meet, clock_meet_open, clock_of, clock_start, clock_started, record_day
from core.memo import remembered
from core.models import Clock, Person, Unit
from core.roles import Role
from core.scoping import active_memberships, roles_at
from core.validation import date_problem
from core.workflow import Action, Field, Workflow, register

from . import risk
from .choices import RISK_ORDER, FailurePath, RiskLevel, Route, TransferBody
from .choices import DisputeState as S

COORDINATORS = frozenset({Role.JUSTICE_COORDINATOR})
MEDIATION_STAFF = frozenset({Role.JUSTICE_COORDINATOR, Role.MEDIATOR})
MEDIATION_UNIT_KINDS = ("mediation_committee", "mediation_studio")


def _street_path(case: Any) -> str:
    street = case.region.ancestor_at("street")
    return street.path if street else case.region.path


def committee_choices(case: Any, user: Any) -> list[tuple[str, str]]:
    path = _street_path(case)

    def read() -> list[tuple[str, str]]:
        units = Unit.objects.visible_to(user).filter(
            kind__in=MEDIATION_UNIT_KINDS, region__path__startswith=path, active=True
        )
        return [
            (str(pk), name) for pk, name in units.order_by("region__path", "name").values_list("pk", "name")
        ]

    return remembered(("committee_choices", getattr(user, "pk", None), path), read)


def mediator_choices(case: Any, user: Any) -> list[tuple[str, str]]:
    path = _street_path(case)

    def read() -> list[tuple[str, str]]:
        people = Person.objects.visible_to(user).filter(
            kind="mediator", active=True, region__path__startswith=path
        )
        rows = people.order_by("region__path", "name").values_list("pk", "name", "region__name")
        return [(str(pk), f"{name}（{region}）") for pk, name, region in rows]

    return remembered(("mediator_choices", getattr(user, "pk", None), path), read)


def unit_choices(case: Any, user: Any) -> list[tuple[str, str]]:
    units = (
        Unit.objects.visible_to(user)
        .filter(region__path__startswith=_street_path(case))
        .exclude(kind__in=("law_firm", "neighbourhood_committee", "legal_service_room"))
    )
    return [(str(pk), name) for pk, name in units.order_by("region__path", "name").values_list("pk", "name")]


def _date(data: dict[str, Any], key: str) -> dt.date:
    return data.get(key) or timezone.localdate()


# --- dates in order ------------------------------------------------------------------------

Step = tuple[str, dt.date | dt.datetime | None]


def _day(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def date_after(key: str, label: str, value: dt.date | dt.datetime | None, *earlier: Step) -> None:
    """Refuse ``value`` (the date of a step, field ``key``) when it is implausible, in the future, or
    before the latest of the ``earlier`` steps' dates (label, date; None where that step has none).

    Raises ``ValidationError({key: reason})``, the reason in Chinese naming the field and the step it
    comes before, e.g. “受理调解日期（2025-03-01）早于受理时间（2025-03-05），请核对”.
    """
    if value is None:
        return
    day = _day(value)
    problem = date_problem(day, not_in_future=True)
    if problem:
        raise ValidationError({key: f"{label}：{problem}"})
    dated = [(name, _day(d)) for name, d in earlier if d is not None]
    if not dated:
        return
    name, latest = max(dated, key=lambda step: step[1])
    if day < latest:
        raise ValidationError(
            {key: f"{label}（{day.isoformat()}）早于{name}（{latest.isoformat()}），请核对"}
        )


def received_step(case: Any) -> Step:
    return ("受理时间", case.received_at)


def accepted_step(case: Any) -> Step:
    return ("受理调解日期", case.accepted_on)


def agreement_step(case: Any) -> Step:
    agreement = getattr(case, "agreement", None)
    return ("调解协议生效日期", agreement.effective_on if agreement is not None else None)


# --- guards --------------------------------------------------------------------------------


def guard_triage(case: Any, data: dict[str, Any], by: Any) -> str | None:
    level = data.get("risk_override") or case.risk_level
    if data.get("risk_override") and not data.get("override_reason"):
        return "人工调整风险等级须填写理由"
    if risk.needs_escalation(level) and not case.escalations.exists():
        return f"{RiskLevel(level).label}风险纠纷须先向上级报告（在“上报”中登记报告对象和时间），再完成研判"
    if data.get("route") == Route.STREET and not data.get("lead_unit"):
        return "街镇联合化解须指定牵头单位"
    return None


def guard_assign(case: Any, data: dict[str, Any], by: Any) -> str | None:
    """A mediator (without a coordinator's role here) assigns only to their own committee: they cannot hand
    themselves a case of another committee, nor a colleague's committee a case."""
    if getattr(by, "is_superuser", False) or roles_at(by, case.region) & (
        COORDINATORS | {Role.ADMINISTRATOR}
    ):
        return None
    if any(str(m.unit_id) == str(data.get("committee")) for m in active_memberships(by)):
        return None
    return "调解员只能分派给本人所在的调解组织；分派给其他调解组织请由司法所办理"


def is_assigned(case: Any, by: Any) -> bool:
    """The case is assigned to the user's committee, or to the user as one of its mediators."""
    if case.committee_id and any(m.unit_id == case.committee_id for m in active_memberships(by)):
        return True
    person = getattr(by, "person", None)
    return person is not None and case.mediators.filter(pk=person.pk).exists()


def assigned_cases(by: Any) -> Q:
    """``is_assigned`` as a filter: the disputes assigned to the user's committee, or to the user."""
    units = [m.unit_id for m in active_memberships(by)]
    person = getattr(by, "person", None)
    q = Q(committee_id__in=units)
    if person is not None:
        q |= Q(mediators=person)
    return q


def guard_accept(case: Any, data: dict[str, Any], by: Any) -> str | None:
    date_after("accepted_on", "受理调解日期", data.get("accepted_on"), received_step(case))
    return None


def _guard_end(label: str) -> Any:
    """调解不成、终止调解: the end is on or after the acceptance, not in the future."""

    def guard(case: Any, data: dict[str, Any], by: Any) -> str | None:
        date_after("ended_on", label, data.get("ended_on"), received_step(case), accepted_step(case))
        return None

    return guard


guard_fail, guard_terminate = _guard_end("终结日期"), _guard_end("终止日期")


def guard_transfer(case: Any, data: dict[str, Any], by: Any) -> str | None:
    date_after(
        "transferred_on", "移交日期", data.get("transferred_on"), received_step(case), accepted_step(case)
    )
    return None


def guard_reject(case: Any, data: dict[str, Any], by: Any) -> str | None:
    date_after("rejected_on", "不予受理日期", data.get("rejected_on"), received_step(case))
    return None


def guard_success(case: Any, data: dict[str, Any], by: Any) -> str | None:
    if not hasattr(case, "agreement"):
        return "请先登记调解协议（书面或口头），再确认调解成功"
    return None


def guard_close(case: Any, data: dict[str, Any], by: Any) -> str | None:
    visits = list(case.follow_ups.values_list("visited_on", flat=True))
    pending = sum(1 for v in visits if v is None)
    if not visits or pending:
        return f"还有{pending}次履行回访未完成，回访并记录履行情况后才能结案"
    date_after(
        "closed_on",
        "结案日期",
        data.get("closed_on"),
        agreement_step(case),
        ("最后一次回访日期", max(visits)),
    )
    return None


# --- effects -------------------------------------------------------------------------------


def _meet_triage(case: Any, by: Any) -> None:
    clock_meet_open(case=case, name="triage", met_on=record_day(), by=by)


def _start_acceptance(case: Any, by: Any) -> None:
    """Each assignment is timed on a clock of its own, named after the case's version it made (``acceptance-4``):
    the one before was met when the case was returned or reassigned."""
    clock_start(
        case=case,
        name=f"acceptance-{case.version}",
        rule_id="mediation.acceptance",
        started_on=record_day(),
        by=by,
        title=f"{case.number} 接受分派",
        start_event="分派调解组织",
    )


def _meet_acceptance(case: Any, by: Any) -> None:
    """Meet the open clock of the case's assignment: the one the step just before made (``version - 1``, at hand
    in an import's transaction), else whichever is open."""
    latest = clock_of(case, f"acceptance-{case.version - 1}", lock=True)
    if latest is not None and latest.met_on is None:
        clock_meet(clock=latest, met_on=max(record_day(), latest.started_on), by=by)
        return
    for clock in Clock.objects.filter(
        content_type=ContentType.objects.get_for_model(case),
        object_id=case.pk,
        name__startswith="acceptance-",
        met_on__isnull=True,
    ):
        clock_meet(clock=clock, met_on=max(record_day(), clock.started_on), by=by)


def effect_triage(case: Any, data: dict[str, Any], by: Any) -> None:
    _meet_triage(case, by)
    case.route = data["route"]
    case.lead_unit_id = int(data["lead_unit"]) if data.get("lead_unit") else None
    case.cooperating_units.set([int(x) for x in data.get("cooperating_units", [])])
    if data.get("risk_override"):
        case.risk_level = data["risk_override"]
        case.risk_override_reason = data["override_reason"]


def effect_assign(case: Any, data: dict[str, Any], by: Any) -> None:
    case.committee_id = int(data["committee"])
    case.mediators.set([int(x) for x in data["mediators"]])
    _start_acceptance(case, by)
    if recorded_moment() is None:  # live work: the committee and the mediators are told at once
        from core.models import Notification
        from core.notifications import notify

        from .services import assigned_people

        level = (
            f"（{RiskLevel(case.risk_level).label}风险）" if risk.needs_escalation(case.risk_level) else ""
        )
        notify(
            assigned_people(case),
            kind=Notification.Kind.ASSIGNED,
            title=f"新分派：{case.number} {case.dispute_type.name}纠纷{level}",
            body="请接受分派并联系当事人",
            url=case.get_absolute_url(),
            by=by,
        )


def effect_reassign(case: Any, data: dict[str, Any], by: Any) -> None:
    _meet_acceptance(case, by)  # the assignment it timed has ended
    effect_assign(case, data, by)


def effect_return(case: Any, data: dict[str, Any], by: Any) -> None:
    _meet_acceptance(case, by)
    case.committee = None
    case.mediators.clear()


def effect_accept(case: Any, data: dict[str, Any], by: Any) -> None:
    case.accepted_on = _date(data, "accepted_on")
    _meet_acceptance(case, by)
    if not clock_started(case, "period"):
        clock_start(
            case=case,
            name="period",
            rule_id="mediation.period",
            started_on=case.accepted_on,
            by=by,
            title=f"{case.number} {case.dispute_type.name}",
            start_event="受理调解",
            assignee=by,
        )


def _meet_period(case: Any, on: dt.date, by: Any) -> None:
    clock_meet_open(case=case, name="period", met_on=on, by=by)


def effect_success(case: Any, data: dict[str, Any], by: Any) -> None:
    agreement = case.agreement
    _meet_period(case, agreement.effective_on, by)
    if agreement.kind == "written" and data.get("confirmation") == "yes":
        clock_start(
            case=case,
            name="confirmation_window",
            rule_id="mediation.confirmation_window",
            started_on=agreement.effective_on,
            by=by,
            title=f"{case.number} 申请司法确认",
            start_event="调解协议生效",
            assignee=by,
        )


def effect_end(case: Any, data: dict[str, Any], by: Any) -> None:
    on = _date(data, "ended_on")
    _meet_period(case, on, by)
    if data.get("failure_path"):
        case.failure_path = data["failure_path"]
    case.closed_on = on


def effect_transfer(case: Any, data: dict[str, Any], by: Any) -> None:
    _meet_triage(case, by)
    _meet_acceptance(case, by)
    case.transfer_body = data["body"]
    case.escalated_out = True  # the dispute leaves the street's hands: 出街镇
    case.closed_on = _date(data, "transferred_on")
    _meet_period(case, case.closed_on, by)


def effect_reject(case: Any, data: dict[str, Any], by: Any) -> None:
    _meet_triage(case, by)
    case.closed_on = _date(data, "rejected_on")


def effect_close(case: Any, data: dict[str, Any], by: Any) -> None:
    case.closed_on = _date(data, "closed_on")


def effect_reopen(case: Any, data: dict[str, Any], by: Any) -> None:
    case.closed_on = None


RISK_CHOICES = tuple((str(v), str(RiskLevel(v).label)) for v in RISK_ORDER)
MEDIATING = (S.ASSIGNED, S.MEDIATING)

DISPUTE_WORKFLOW = register(
    Workflow(
        model="disputes.Dispute",
        states=S,
        initial=S.RECEIVED,
        assigned_roles=frozenset({Role.MEDIATOR}),
        actions=[
            Action(
                "triage",
                "研判",
                (S.RECEIVED,),
                S.TRIAGED,
                COORDINATORS | {Role.MEDIATOR},
                fields=(
                    Field("route", "化解方式", "choice", choices=tuple(Route.choices)),
                    Field(
                        "lead_unit",
                        "牵头单位（联合化解）",
                        "choice",
                        required=False,
                        choices_for=unit_choices,
                    ),
                    Field(
                        "cooperating_units",
                        "配合单位",
                        "multichoice",
                        required=False,
                        choices_for=unit_choices,
                    ),
                    Field(
                        "risk_override", "人工调整风险等级", "choice", required=False, choices=RISK_CHOICES
                    ),
                    Field("override_reason", "调整理由", "text", required=False),
                ),
                guard=guard_triage,
                effect=effect_triage,
            ),
            Action(
                "assign",
                "分派",
                (S.TRIAGED,),
                S.ASSIGNED,
                COORDINATORS | {Role.MEDIATOR},
                fields=(
                    Field("committee", "调解组织", "choice", choices_for=committee_choices),
                    Field("mediators", "调解员", "multichoice", choices_for=mediator_choices),
                ),
                guard=guard_assign,
                effect=effect_assign,
            ),
            Action(
                "accept",
                "接受分派",
                (S.ASSIGNED,),
                S.MEDIATING,
                MEDIATION_STAFF,
                fields=(Field("accepted_on", "受理调解日期", "date"),),
                assigned=True,
                guard=guard_accept,
                effect=effect_accept,
            ),
            Action(
                "return",
                "退回分派",
                (S.ASSIGNED,),
                S.TRIAGED,
                MEDIATION_STAFF,
                fields=(Field("reason", "退回理由", "textarea"),),
                assigned=True,
                effect=effect_return,
                style="secondary",
            ),
            Action(
                "reassign",
                "改派",
                (S.ASSIGNED, S.MEDIATING),
                S.ASSIGNED,
                COORDINATORS,
                fields=(
                    Field("committee", "调解组织", "choice", choices_for=committee_choices),
                    Field("mediators", "调解员", "multichoice", choices_for=mediator_choices),
                    Field("reason", "改派理由", "text"),
                ),
                effect=effect_reassign,
                style="secondary",
            ),
            Action(
                "succeed",
                "调解成功",
                (S.MEDIATING,),
                S.AGREED,
                MEDIATION_STAFF,
                fields=(
                    Field(
                        "confirmation",
                        "当事人申请司法确认",
                        "choice",
                        required=False,
                        choices=(("no", "暂不申请"), ("yes", "申请（30日内）")),
                    ),
                ),
                guard=guard_success,
                effect=effect_success,
                assigned=True,
            ),
            Action(
                "fail",
                "调解不成",
                (S.MEDIATING,),
                S.FAILED,
                MEDIATION_STAFF,
                fields=(
                    Field("failure_path", "引导途径", "choice", choices=tuple(FailurePath.choices)),
                    Field("ended_on", "终结日期", "date"),
                    Field("reason", "情况说明", "textarea"),
                ),
                assigned=True,
                guard=guard_fail,
                effect=effect_end,
                style="danger",
            ),
            Action(
                "terminate",
                "终止调解",
                (S.MEDIATING,),
                S.TERMINATED,
                MEDIATION_STAFF,
                fields=(
                    Field("ended_on", "终止日期", "date"),
                    Field("reason", "终止理由（当事人明确拒绝调解等，人民调解法第17条）", "textarea"),
                ),
                assigned=True,
                guard=guard_terminate,
                effect=effect_end,
                style="danger",
            ),
            Action(
                "transfer",
                "移交",
                (S.RECEIVED, S.TRIAGED, *MEDIATING),
                S.TRANSFERRED,
                COORDINATORS,
                fields=(
                    Field("body", "移交机关", "choice", choices=tuple(TransferBody.choices)),
                    Field("transferred_on", "移交日期", "date"),
                    Field("reason", "移交理由", "textarea"),
                ),
                guard=guard_transfer,
                effect=effect_transfer,
                style="danger",
            ),
            Action(
                "reject",
                "不予受理",
                (S.RECEIVED,),
                S.NOT_ACCEPTED,
                COORDINATORS,
                fields=(
                    Field("reason", "不予受理的法律理由（如已进入诉讼程序）", "textarea"),
                    Field("rejected_on", "不予受理日期（不填为今天）", "date", required=False),
                ),
                guard=guard_reject,
                effect=effect_reject,
                style="danger",
            ),
            Action(
                "close",
                "结案",
                (S.AGREED,),
                S.CLOSED,
                MEDIATION_STAFF,
                fields=(Field("closed_on", "结案日期", "date"),),
                guard=guard_close,
                effect=effect_close,
                assigned=True,
            ),
            Action(
                "reopen",
                "重新启动",
                (S.CLOSED, S.FAILED, S.TERMINATED),
                S.TRIAGED,
                COORDINATORS,
                fields=(Field("reason", "重新启动理由", "textarea"),),
                effect=effect_reopen,
                style="secondary",
            ),
        ],
    )
)
