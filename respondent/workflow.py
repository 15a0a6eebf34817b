"""The respondent case table.

收到副本 (the clock of the reply: 行政复议法（2023）第48条, 10 working days; or of the defence: 行政诉讼法 第67条, 15
days) → 提交答复（答辩）和证据 → 决定（裁判）; a judgment may be appealed and decided again → 结案, which an adverse
outcome (变更、撤销、确认违法、责令履行、确认无效) holds until its rectification is done (the ``rectification`` clock from
the decision; a 行政复议意见书 adds its own 60-day report clock, 第76条).
"""

from __future__ import annotations

from typing import Any

from administration.services import date_refusal
from core.clocks.services import clock_meet_open, clock_start
from core.roles import Role
from core.workflow import Action, Field, Workflow, register

from .choices import ADVERSE, REVOKING, Instance, Kind, Outcome
from .choices import CaseState as S

HANDLERS = frozenset({Role.JUSTICE_COORDINATOR, Role.REVIEWER})
DECIDERS = frozenset({Role.JUSTICE_COORDINATOR, Role.STREET_LEADER})


def clock_name(case: Any) -> str:
    return "reply" if case.kind == Kind.RECONSIDERATION else "defence"


def guard_reply(case: Any, data: dict[str, Any], by: Any) -> str | None:
    return date_refusal("提交答复（答辩）日期", data["replied_on"], ("收到副本日期", case.received_on))


def effect_reply(case: Any, data: dict[str, Any], by: Any) -> None:
    case.replied_on = data["replied_on"]
    clock_meet_open(case=case, name=clock_name(case), met_on=data["replied_on"], by=by)


def guard_decide(case: Any, data: dict[str, Any], by: Any) -> str | None:
    after = ("上诉日期", case.appealed_on) if case.appealed_on else ("提交答复（答辩）日期", case.replied_on)
    if refusal := date_refusal("决定（裁判）日期", data["decided_on"], after):
        return refusal
    expected = Instance.SECOND if case.state == S.APPEALED else Instance.FIRST
    if data["instance"] != expected:
        return f"审级：{'上诉后的裁判为二审' if expected == Instance.SECOND else '未经上诉的决定、裁判为一审（复议）'}"
    return None


def _in_force(case: Any) -> bool:
    """A reconsideration decision takes effect once served; a first-instance judgment once no appeal is made (the
    case closed without one); a second-instance judgment at once."""
    return case.kind == Kind.RECONSIDERATION or case.instance == Instance.SECOND


def _revoke_decision(case: Any, day: Any, by: Any) -> None:
    """An enforcement decision annulled, changed, confirmed illegal or void is recorded on its case (决定被撤销或
    变更), which withdraws its publicity within 3 working days (《行政处罚法》第48条)."""
    from core.permissions import recording_history
    from core.workflow import transition

    decision = case.enforcement_case
    if case.outcome not in REVOKING or decision is None or decision.state not in ("served", "closed"):
        return
    reason = f"{case.get_kind_display()}{Outcome(case.outcome).label}（{case.number}，{case.body}）"
    # Whoever records the outcome records its consequence on the decision, whatever their role on enforcement
    # cases: the body's decision, not the team's, revokes it
    with recording_history(by, case.region):
        transition(decision, "revoke", by=by, data={"revoked_on": day, "reason": reason})


def effect_decide(case: Any, data: dict[str, Any], by: Any) -> None:
    case.decided_on = data["decided_on"]
    case.outcome = data["outcome"]
    case.instance = data["instance"]
    # A first instance's rectification ends with the second instance's decision
    clock_meet_open(case=case, name="rectification", met_on=data["decided_on"], by=by)
    case.rectification_unit = None
    if case.outcome in ADVERSE:
        owner = case.enforcement_case.region.ancestor_at("street") if case.enforcement_case_id else None
        case.rectification_unit = (_enforcement_team(owner) if owner is not None else None) or case.unit
        case.rectified_on = None
        clock_start(
            case=case,
            name="rectification",
            rule_id="respondent.rectification",
            started_on=data["decided_on"],
            by=by,
            title=f"{case.number} {Outcome(case.outcome).label}后整改",
            start_event=f"{case.get_kind_display()}结果为{Outcome(case.outcome).label}",
            assignee=None,
        )
        if _in_force(case):
            _revoke_decision(case, data["decided_on"], by)


def _enforcement_team(street: Any) -> Any:
    from core.models import Unit

    return Unit.objects.filter(region=street, kind="enforcement_team").order_by("pk").first()


def guard_appeal(case: Any, data: dict[str, Any], by: Any) -> str | None:
    if case.kind != Kind.LITIGATION or case.instance != Instance.FIRST:
        return "只有一审判决、裁定可以上诉"
    return date_refusal("上诉日期", data["appealed_on"], ("一审裁判日期", case.decided_on))


def effect_appeal(case: Any, data: dict[str, Any], by: Any) -> None:
    """The first-instance judgment is not in force while the appeal runs: its rectification clock is paused (the
    second instance's judgment ends it, and opens a new one if it too goes against the street)."""
    from core.clocks.services import clock_of, clock_pause

    case.appealed_on = data["appealed_on"]
    clock = clock_of(case, "rectification", lock=True)
    if clock is not None and clock.met_on is None:
        clock_pause(clock=clock, paused_on=data["appealed_on"], reason="已上诉，一审判决尚未生效", by=by)


def guard_close(case: Any, data: dict[str, Any], by: Any) -> str | None:
    if case.outcome in ADVERSE and case.rectified_on is None:
        return f"结果为“{Outcome(case.outcome).label}”：整改完成并登记整改情况后才能结案"
    if case.opinion_letter_on and case.rectified_on is None:
        return "收到行政复议意见书：整改并报送整改情况后才能结案（《行政复议法》第76条）"
    return date_refusal("结案日期", data["closed_on"], ("决定（裁判）日期", case.decided_on))


def effect_close(case: Any, data: dict[str, Any], by: Any) -> None:
    case.closed_on = data["closed_on"]
    if case.outcome in ADVERSE and not _in_force(case):  # a first-instance judgment no one appealed
        _revoke_decision(case, case.decided_on, by)


OUTCOMES = tuple(Outcome.choices)

RESPONDENT_WORKFLOW = register(
    Workflow(
        model="respondent.RespondentCase",
        states=S,
        initial=S.RECEIVED,
        actions=[
            Action(
                "reply",
                "提交答复（答辩）和证据",
                (S.RECEIVED,),
                S.REPLIED,
                HANDLERS,
                fields=(Field("replied_on", "提交日期", "date"),),
                guard=guard_reply,
                effect=effect_reply,
            ),
            Action(
                "decide",
                "登记决定（裁判）结果",
                (S.REPLIED, S.APPEALED),
                S.DECIDED,
                HANDLERS,
                fields=(
                    Field("decided_on", "决定（裁判）日期", "date"),
                    Field("outcome", "结果", "choice", choices=OUTCOMES),
                    Field("instance", "审级", "choice", choices=tuple(Instance.choices)),
                ),
                guard=guard_decide,
                effect=effect_decide,
            ),
            Action(
                "appeal",
                "登记上诉",
                (S.DECIDED,),
                S.APPEALED,
                DECIDERS,
                fields=(Field("appealed_on", "上诉日期", "date"),),
                guard=guard_appeal,
                effect=effect_appeal,
                style="secondary",
                when=lambda case: case.kind == Kind.LITIGATION and case.instance == Instance.FIRST,
            ),
            Action(
                "close",
                "结案",
                (S.DECIDED,),
                S.CLOSED,
                DECIDERS,
                fields=(Field("closed_on", "结案日期", "date"),),
                guard=guard_close,
                effect=effect_close,
            ),
        ],
    )
)
