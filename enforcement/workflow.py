"""The enforcement case table (《行政处罚法》（2021））.

普通程序: 立案 → 事先告知 (陈述、申辩、听证的权利; 第44-45条、第63-64条) → 作出决定 (第57-58条; within 90 days of
立案, 第60条) → 送达 (7 WD, 第61条) → 结案归档. 简易程序: 当场作出决定 (第51-52条) and served on the spot.
A decision served may later be revoked or changed (复议、诉讼、自我纠错): its publicity is then withdrawn within
3 WD (第48条). Every step needs two officers holding a valid certificate that day (第42条).

Clocks: ``penalty.decision`` from 立案; ``penalty.hearing_request`` from the notice when a hearing may be asked
for; ``penalty.service`` and ``enforcement.publicity`` from the decision; ``penalty.payment`` from service of a
fine; ``penalty.publicity_withdrawal`` from a revocation of a published decision.
"""

from __future__ import annotations

from typing import Any

from core.clocks.services import clock_meet_open, clock_start
from core.documents import next_sequence
from core.roles import Role
from core.workflow import Action, Field, Workflow, register

from . import rules
from .choices import CaseState as S
from .choices import Outcome, Procedure, ServiceMethod

OFFICERS = frozenset({Role.OFFICER})
DECIDERS = frozenset({Role.OFFICER, Role.STREET_LEADER})  # the team head (an officer) or the street's leader
YES_NO = (("yes", "是"), ("no", "否"))
ORDINARY_OUTCOMES = tuple(Outcome.choices)
ONSITE_OUTCOMES = ((Outcome.WARNING.value, Outcome.WARNING.label), (Outcome.FINE.value, Outcome.FINE.label))


def _officers(case: Any) -> list[Any]:
    return list(case.officers.prefetch_related("certificates"))


def _street(case: Any) -> Any:
    return case.region.ancestor_at("street") or case.region


def guard_notify(case: Any, data: dict[str, Any], by: Any) -> str | None:
    if case.procedure != Procedure.ORDINARY:
        return "简易程序案件当场作出决定，无须事先告知"
    if data["notified_on"] < case.filed_on:
        return f"事先告知日期不能早于立案日期（{case.filed_on}）"
    return rules.officer_problem(_officers(case), data["notified_on"])


def effect_notify(case: Any, data: dict[str, Any], by: Any) -> None:
    case.notified_on = data["notified_on"]
    if data.get("hearing_right") == "yes":
        clock_start(
            case=case,
            name="hearing_request",
            rule_id="penalty.hearing_request",
            started_on=data["notified_on"],
            by=by,
            title=f"{case.number} 当事人申请听证",
            start_event="告知听证权利",
        )


def _outcome_problem(case: Any, data: dict[str, Any]) -> str | None:
    outcome, fine = data["outcome"], data.get("fine")
    fined = outcome in (Outcome.FINE, Outcome.FINE_AND_CONFISCATION)
    if fined and (fine is None or fine <= 0):
        return "罚款金额：处以罚款的，请填写罚款金额"
    if not fined and fine:
        return f"罚款金额：处理结果为“{Outcome(outcome).label}”，不应填写罚款金额"
    if fined and case.item.fine_max is not None and fine > case.item.fine_max:
        return f"罚款{fine:,.2f}元超过该事项的罚款上限{case.item.fine_max:,.2f}元（{case.item.basis}）"
    if (
        outcome in (Outcome.NO_PENALTY, Outcome.FIRST_OFFENCE)
        and len((data.get("education") or "").strip()) < 4
    ):
        return "不予处罚的，应当对当事人进行教育（《行政处罚法》第33条第3款），请记录教育情况"
    if outcome == Outcome.FIRST_OFFENCE:
        if not case.item.minor_exempt:
            return f"“{case.item.name}”不在本街镇轻微违法免罚、首违不罚清单内，不能首违不罚"
        prior = rules.prior_offences(case).first()
        if prior is not None:
            return (
                f"当事人此前12个月内已有同类违法行为（{prior.number}，{prior.offence_on:%Y年%-m月%-d日}），"
                "不属于初次违法，不能首违不罚（《行政处罚法》第33条）"
            )
    return None


def guard_decide(case: Any, data: dict[str, Any], by: Any) -> str | None:
    day = data["decided_on"]
    if day < (case.notified_on or case.filed_on):
        return f"决定日期不能早于事先告知日期（{case.notified_on}）"
    if case.hearing_requested and case.hearing_on and day < case.hearing_on:
        return f"当事人申请了听证：听证（{case.hearing_on}）后方可作出决定（第65条）"
    if problem := _outcome_problem(case, data):
        return problem
    if case.item.review_required(data.get("fine"), case.hearing_requested) and not rules.review_done(case):
        state = f"（现为“{case.review.get_state_display()}”）" if case.review else "（尚未送审）"
        return "该决定作出前须经法制审核（《行政处罚法》第58条），法制审核机构出具意见后方可作出决定" + state
    return rules.officer_problem(_officers(case), day)


def _numbered(case: Any, day: Any) -> str:
    street = _street(case)
    seq = next_sequence(prefix=f"ZF-{street.code}-决定", year=day.year)
    return f"{street.name}罚决字〔{day.year}〕第{seq}号"


def effect_decide(case: Any, data: dict[str, Any], by: Any) -> None:
    day = data["decided_on"]
    case.decided_on = day
    case.outcome = data["outcome"]
    case.fine = data.get("fine")
    case.education = (data.get("education") or "").strip()
    case.collective_on = data.get("collective_on")
    case.decision_number = _numbered(case, day)
    for name in ("decision", "hearing_request"):
        clock_meet_open(case=case, name=name, met_on=day, by=by)
    _decision_clocks(case, day, by, served=False)


def _decision_clocks(case: Any, day: Any, by: Any, *, served: bool) -> None:
    if not served:
        clock_start(
            case=case,
            name="service",
            rule_id="penalty.service",
            started_on=day,
            by=by,
            title=f"{case.number} 送达决定书",
            start_event="作出决定",
        )
    clock_start(
        case=case,
        name="publicity",
        rule_id="enforcement.publicity",
        started_on=day,
        by=by,
        title=f"{case.number} 决定公示",
        start_event="作出决定",
    )


def _payment_clock(case: Any, served_on: Any, by: Any) -> None:
    if case.fine:
        clock_start(
            case=case,
            name="payment",
            rule_id="penalty.payment",
            started_on=served_on,
            by=by,
            title=f"{case.number} 缴纳罚款{case.fine:,.2f}元",
            start_event="收到行政处罚决定书",
        )


def guard_onsite(case: Any, data: dict[str, Any], by: Any) -> str | None:
    if case.procedure != Procedure.SIMPLE:
        return "普通程序案件应当事先告知后作出决定"
    if data["decided_on"] < case.filed_on:
        return f"决定日期不能早于登记日期（{case.filed_on}）"
    if problem := rules.onsite_problem(case.party_kind, data["outcome"], data.get("fine")):
        return problem
    return rules.officer_problem(_officers(case), data["decided_on"])


def effect_onsite(case: Any, data: dict[str, Any], by: Any) -> None:
    day = data["decided_on"]
    case.decided_on = case.served_on = day
    case.outcome = data["outcome"]
    case.fine = data.get("fine") if data["outcome"] == Outcome.FINE else None
    case.service_method = ServiceMethod.ONSITE
    case.decision_number = _numbered(case, day)
    clock_meet_open(case=case, name="decision", met_on=day, by=by)
    _decision_clocks(case, day, by, served=True)
    _payment_clock(case, day, by)


def guard_serve(case: Any, data: dict[str, Any], by: Any) -> str | None:
    if data["served_on"] < case.decided_on:
        return f"送达日期不能早于决定日期（{case.decided_on}）"
    if data["method"] == ServiceMethod.ELECTRONIC and data.get("consent") != "yes":
        return "电子送达须经当事人同意并签订确认书（《行政处罚法》第61条）"
    return None


def effect_serve(case: Any, data: dict[str, Any], by: Any) -> None:
    case.served_on = data["served_on"]
    case.service_method = data["method"]
    clock_meet_open(case=case, name="service", met_on=data["served_on"], by=by)
    _payment_clock(case, data["served_on"], by)


def guard_close(case: Any, data: dict[str, Any], by: Any) -> str | None:
    day = data["closed_on"]
    if day < case.served_on:
        return f"结案日期不能早于送达日期（{case.served_on}）"
    if case.fine and case.paid_on is None:
        return "罚款尚未缴纳：登记缴款（或申请法院强制执行的情况）后才能结案"
    if case.published_on is None:
        return "决定尚未公示：登记公示日期和载体后才能结案（行政执法公示制度）"
    return None


def effect_close(case: Any, data: dict[str, Any], by: Any) -> None:
    case.closed_on = data["closed_on"]


def guard_revoke(case: Any, data: dict[str, Any], by: Any) -> str | None:
    if data["revoked_on"] < case.decided_on:
        return f"撤销或变更日期不能早于决定日期（{case.decided_on}）"
    return None


def effect_revoke(case: Any, data: dict[str, Any], by: Any) -> None:
    case.revoked_on = data["revoked_on"]
    if case.published_on and not case.publicity_withdrawn_on:
        clock_start(
            case=case,
            name="publicity_withdrawal",
            rule_id="penalty.publicity_withdrawal",
            started_on=data["revoked_on"],
            by=by,
            title=f"{case.number} 撤回公示",
            start_event="决定被撤销或变更",
        )
    for name in ("publicity", "payment"):
        clock_meet_open(case=case, name=name, met_on=data["revoked_on"], by=by)


def effect_drop(case: Any, data: dict[str, Any], by: Any) -> None:
    case.closed_on = data["dropped_on"]
    for name in ("decision", "hearing_request"):
        clock_meet_open(case=case, name=name, met_on=data["dropped_on"], by=by)


def guard_drop(case: Any, data: dict[str, Any], by: Any) -> str | None:
    if data["dropped_on"] < case.filed_on:
        return f"撤销立案日期不能早于立案日期（{case.filed_on}）"
    return None


ENFORCEMENT_WORKFLOW = register(
    Workflow(
        model="enforcement.EnforcementCase",
        states=S,
        initial=S.FILED,
        actions=[
            Action(
                "notify",
                "事先告知",
                (S.FILED,),
                S.NOTIFIED,
                OFFICERS,
                fields=(
                    Field("notified_on", "告知日期", "date"),
                    Field("proposed", "拟作出的行政处罚内容及事实、理由、依据", "textarea"),
                    Field("hearing_right", "告知听证权利（第63条所列情形）", "choice", choices=YES_NO),
                ),
                guard=guard_notify,
                effect=effect_notify,
                when=lambda case: case.procedure == Procedure.ORDINARY,
            ),
            Action(
                "decide",
                "作出决定",
                (S.NOTIFIED,),
                S.DECIDED,
                DECIDERS,
                fields=(
                    Field("decided_on", "决定日期", "date"),
                    Field("outcome", "处理结果", "choice", choices=ORDINARY_OUTCOMES),
                    Field("fine", "罚款金额（元）", "decimal", required=False),
                    Field("education", "教育情况（不予处罚、首违不罚时必填）", "textarea", required=False),
                    Field(
                        "collective_on", "集体讨论日期（第57条情节复杂或重大违法的）", "date", required=False
                    ),
                ),
                guard=guard_decide,
                effect=effect_decide,
            ),
            Action(
                "decide_onsite",
                "当场作出决定",
                (S.FILED,),
                S.SERVED,
                OFFICERS,
                fields=(
                    Field("decided_on", "决定日期", "date"),
                    Field("outcome", "处理结果", "choice", choices=ONSITE_OUTCOMES),
                    Field("fine", "罚款金额（元）", "decimal", required=False),
                ),
                guard=guard_onsite,
                effect=effect_onsite,
                when=lambda case: case.procedure == Procedure.SIMPLE,
            ),
            Action(
                "serve",
                "送达决定书",
                (S.DECIDED,),
                S.SERVED,
                OFFICERS,
                fields=(
                    Field("served_on", "送达日期", "date"),
                    Field("method", "送达方式", "choice", choices=tuple(ServiceMethod.choices)),
                    Field("consent", "当事人同意电子送达", "choice", choices=YES_NO, required=False),
                ),
                guard=guard_serve,
                effect=effect_serve,
            ),
            Action(
                "close",
                "结案归档",
                (S.SERVED,),
                S.CLOSED,
                DECIDERS,
                fields=(Field("closed_on", "结案日期", "date"),),
                guard=guard_close,
                effect=effect_close,
            ),
            Action(
                "revoke",
                "决定被撤销或变更",
                (S.SERVED, S.CLOSED),
                S.REVOKED,
                DECIDERS,
                fields=(
                    Field("revoked_on", "撤销或变更日期", "date"),
                    Field("reason", "依据（复议决定、判决或自行纠错）", "textarea"),
                ),
                guard=guard_revoke,
                effect=effect_revoke,
                style="danger",
            ),
            Action(
                "drop",
                "撤销立案",
                (S.FILED, S.NOTIFIED),
                S.DROPPED,
                DECIDERS,
                fields=(
                    Field("dropped_on", "撤销立案日期", "date"),
                    Field("reason", "理由（违法事实不成立、超过追责期限等）", "textarea"),
                ),
                guard=guard_drop,
                effect=effect_drop,
                style="danger",
            ),
        ],
    )
)
