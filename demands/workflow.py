"""The 12345 work-order table.

接收 (from the city platform, by API or import) → 派单 to a unit (the street's hotline desk) → 签收 by the unit, or
退单 with a reason checked against its duty list → 办结答复 (only once a hand-off to mediation or enforcement has an
outcome) → 回访: satisfied or basically satisfied closes the order; dissatisfied reopens it for re-handling. A
consultation the desk can answer itself is 直接答复.

Clocks: ``handling`` from receipt on the order's class (``hotline.consultation`` 1 WD, ``hotline.ordinary`` 5 WD,
15 WD once approved as complex); ``first_contact`` (1 WD) from receipt, met by the first contact or the reply;
``rehandle`` (3 WD) from a dissatisfied call-back, met by the new reply.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db.models import Q

from administration.services import date_refusal
from core.clocks.services import clock_meet_open, clock_start
from core.models import Unit
from core.permissions import register_assignment
from core.roles import Role
from core.scoping import active_memberships
from core.workflow import Action, Field, Workflow, register

from .choices import SATISFIED, Callback, Opinion, Resolution, ReturnReason, ReviewResult, TimeClass
from .choices import OrderState as S
from .choices import PetitionState as P

DESK = frozenset({Role.HOTLINE})
# The units an order is dispatched to: their staff, the enforcement team, the justice office (only the orders
# dispatched to their own unit), and the desk
HANDLERS = frozenset({Role.HOTLINE, Role.UNIT_STAFF, Role.OFFICER, Role.JUSTICE_COORDINATOR})
ASSIGNED = frozenset({Role.UNIT_STAFF, Role.OFFICER, Role.JUSTICE_COORDINATOR})
DISPUTE_OPEN = ("received", "triaged", "assigned", "mediating")
ENFORCEMENT_OPEN = ("filed", "notified")


def _street_path(order: Any) -> str:
    return (order.region.ancestor_at("street") or order.region).path


def unit_choices(order: Any, user: Any) -> list[tuple[str, str]]:
    """The units of the order's street (of the user's scope, for a bulk dispatch of many orders)."""
    if order is None:
        units = Unit.objects.visible_to(user).filter(active=True, region__level__in=("street", "community"))
    else:
        units = Unit.objects.filter(region__path__startswith=_street_path(order), active=True)
    units = units.order_by("name")
    return [(str(pk), name) for pk, name in units.values_list("pk", "name")]


def is_assigned(order: Any, by: Any) -> bool:
    return bool(order.unit_id) and any(m.unit_id == order.unit_id for m in active_memberships(by))


def assigned_cases(by: Any) -> Q:
    return Q(unit_id__in=[m.unit_id for m in active_memberships(by)])


register_assignment("demands.WorkOrder", is_assigned, assigned_cases)


def _received_on(order: Any) -> Any:
    from django.utils import timezone

    return timezone.localtime(order.received_at).date()


def guard_dispatch(order: Any, data: dict[str, Any], by: Any) -> str | None:
    return date_refusal("派单日期", data["dispatched_on"], ("接收日期", _received_on(order)))


def effect_dispatch(order: Any, data: dict[str, Any], by: Any) -> None:
    order.unit_id = int(data["unit"])
    order.dispatched_on = data["dispatched_on"]


def guard_return(order: Any, data: dict[str, Any], by: Any) -> str | None:
    """A return needs a reason the order bears out: 不属于本单位职责 only where the unit's duty list does not hold
    the order's category; a duplicate names the earlier order."""
    from .models import Duty, WorkOrder

    if order.unit_id is None:
        return "该工单未派给承办单位（由热线直接答复后重办），不能退单"
    if refusal := date_refusal("退单日期", data["returned_on"], ("派单日期", order.dispatched_on)):
        return refusal
    reason, note = data["reason"], (data.get("note") or "").strip()
    if len(note) < 4:
        return "退单须写明具体说明"
    if reason == ReturnReason.NOT_DUTY:
        duty = Duty.objects.filter(unit_id=order.unit_id, category=order.category).first()
        if duty is not None:
            basis = f"（{duty.basis}）" if duty.basis else ""
            return f"“{order.category}”在{order.unit.name}的职责清单内{basis}，不能以“不属于本单位职责”退单"
    if reason == ReturnReason.DUPLICATE:
        earlier = WorkOrder.objects.filter(
            number__in=re.findall(r"[0-9A-Za-z][0-9A-Za-z\-]{5,}", note),
            region__path__startswith=_street_path(order),
        )
        if not earlier.exclude(pk=order.pk).exists():
            return "以重复工单退单的，说明中须写明在先的工单编号"
    return None


def effect_return(order: Any, data: dict[str, Any], by: Any) -> None:
    from .models import OrderReturn

    OrderReturn.objects.create(
        order=order,
        unit_id=order.unit_id,
        reason=data["reason"],
        note=data["note"].strip(),
        returned_on=data["returned_on"],
        by=by if getattr(by, "pk", None) else None,
    )
    order.returns += 1
    order.unit = None
    order.dispatched_on = None


def guard_accept(order: Any, data: dict[str, Any], by: Any) -> str | None:
    return date_refusal("签收日期", data["accepted_on"], ("派单日期", order.dispatched_on))


def _handoff_problem(order: Any) -> str | None:
    """An order handed to mediation or enforcement is answered once its outcome is known."""
    if order.dispute_id and order.dispute.state in DISPUTE_OPEN:
        return (
            f"已转人民调解的纠纷{order.dispute.number}尚在“{order.dispute.get_state_display()}”，"
            "调解有结果后方可答复办结"
        )
    if order.enforcement_case_id and order.enforcement_case.state in ENFORCEMENT_OPEN:
        case = order.enforcement_case
        return f"已转行政执法的案件{case.number}尚在“{case.get_state_display()}”，作出处理决定后方可答复办结"
    return None


def guard_reply(order: Any, data: dict[str, Any], by: Any) -> str | None:
    earlier = ("接收日期", _received_on(order)), ("回访日期", order.callback_on)
    if refusal := date_refusal("办结答复日期", data["replied_on"], *earlier):
        return refusal
    if len((data.get("reply") or "").strip()) < 6:
        return "答复内容：请写明向来电人答复的办理情况"
    return _handoff_problem(order)


def guard_answer(order: Any, data: dict[str, Any], by: Any) -> str | None:
    if order.time_class != TimeClass.CONSULTATION:
        return "只有咨询类工单可以由热线直接答复；求助、投诉类工单须派单办理"
    return guard_reply(order, data, by)


def effect_reply(order: Any, data: dict[str, Any], by: Any) -> None:
    day = data["replied_on"]
    order.replied_on = day
    order.resolution = data["resolution"]
    order.reply = data["reply"].strip()
    if order.first_contact_on is None:
        order.first_contact_on = day
    for name in ("handling", "rehandle", "first_contact"):
        clock_meet_open(case=order, name=name, met_on=day, by=by)


def guard_callback(order: Any, data: dict[str, Any], by: Any) -> str | None:
    return date_refusal("回访日期", data["callback_on"], ("办结答复日期", order.replied_on))


def effect_close(order: Any, data: dict[str, Any], by: Any) -> None:
    order.callback_on = order.closed_on = data["callback_on"]
    order.callback = data["result"]


def effect_reopen(order: Any, data: dict[str, Any], by: Any) -> None:
    order.callback_on = data["callback_on"]
    order.callback = Callback.DISSATISFIED
    order.reopened += 1
    # Answered again once re-handled: until then it is neither answered nor resolved (the timeline keeps the first)
    order.replied_on = None
    order.resolution = ""
    clock_start(
        case=order,
        name="rehandle",
        rule_id="hotline.rehandle",
        started_on=data["callback_on"],
        by=by,
        title=f"{order.number} 回访不满意重办",
        start_event="回访不满意",
    )


SATISFIED_CHOICES = tuple((c.value, c.label) for c in Callback if c in SATISFIED)

ORDER_WORKFLOW = register(
    Workflow(
        model="demands.WorkOrder",
        states=S,
        initial=S.RECEIVED,
        assigned_roles=ASSIGNED,
        actions=[
            Action(
                "dispatch",
                "派单",
                (S.RECEIVED,),
                S.DISPATCHED,
                DESK,
                fields=(
                    Field("unit", "承办单位", "choice", choices_for=unit_choices),
                    Field("dispatched_on", "派单日期", "date"),
                ),
                guard=guard_dispatch,
                effect=effect_dispatch,
            ),
            Action(
                "answer",
                "直接答复",
                (S.RECEIVED,),
                S.REPLIED,
                DESK,
                fields=(
                    Field("replied_on", "答复日期", "date"),
                    Field("resolution", "办理结果", "choice", choices=tuple(Resolution.choices)),
                    Field("reply", "答复内容", "textarea"),
                ),
                guard=guard_answer,
                effect=effect_reply,
                style="secondary",
                when=lambda order: order.time_class == TimeClass.CONSULTATION,
            ),
            Action(
                "accept",
                "签收",
                (S.DISPATCHED,),
                S.HANDLING,
                HANDLERS,
                fields=(Field("accepted_on", "签收日期", "date"),),
                guard=guard_accept,
                assigned=True,
            ),
            Action(
                "return_order",
                "退单",
                (S.DISPATCHED, S.HANDLING),
                S.RECEIVED,
                HANDLERS,
                fields=(
                    Field("reason", "退单理由", "choice", choices=tuple(ReturnReason.choices)),
                    Field("note", "说明（重复工单须写明在先的工单编号）", "textarea"),
                    Field("returned_on", "退单日期", "date"),
                ),
                guard=guard_return,
                effect=effect_return,
                assigned=True,
                style="danger",
            ),
            Action(
                "reply",
                "办结答复",
                (S.HANDLING,),
                S.REPLIED,
                HANDLERS,
                fields=(
                    Field("replied_on", "办结答复日期", "date"),
                    Field("resolution", "办理结果", "choice", choices=tuple(Resolution.choices)),
                    Field("reply", "答复内容", "textarea"),
                ),
                guard=guard_reply,
                effect=effect_reply,
                assigned=True,
            ),
            Action(
                "close",
                "回访满意结案",
                (S.REPLIED,),
                S.CLOSED,
                DESK,
                fields=(
                    Field("callback_on", "回访日期", "date"),
                    Field("result", "回访结果", "choice", choices=SATISFIED_CHOICES),
                ),
                guard=guard_callback,
                effect=effect_close,
            ),
            Action(
                "reopen",
                "回访不满意重办",
                (S.REPLIED,),
                S.HANDLING,
                DESK,
                fields=(
                    Field("callback_on", "回访日期", "date"),
                    Field("note", "来电人不满意的原因", "textarea"),
                ),
                guard=guard_callback,
                effect=effect_reopen,
                style="secondary",
            ),
        ],
    )
)


# --- petitions (信访, 《信访工作条例》（2022）) ---------------------------------------------------------------------

PETITION_DESK = frozenset({Role.HOTLINE, Role.STREET_LEADER})


def guard_petition_accept(p: Any, data: dict[str, Any], by: Any) -> str | None:
    return date_refusal("受理日期", data["accepted_on"], ("收到日期", p.received_on))


def effect_petition_accept(p: Any, data: dict[str, Any], by: Any) -> None:
    day = data["accepted_on"]
    p.accepted_on = day
    p.unit_id = int(data["unit"])
    clock_meet_open(case=p, name="acceptance", met_on=day, by=by)
    clock_start(
        case=p,
        name="handling",
        rule_id="petition.handling",
        started_on=day,
        by=by,
        title=f"{p.number} {p.category}",
        start_event="受理",
    )


def guard_petition_decide(p: Any, data: dict[str, Any], by: Any) -> str | None:
    if len((data.get("reason") or "").strip()) < 4:
        return "请写明不予受理或转送的理由（如应当通过诉讼、仲裁、行政复议等法定途径解决，《信访工作条例》第31条）"
    return date_refusal("日期", data["decided_on"], ("收到日期", p.received_on))


def effect_petition_decide(p: Any, data: dict[str, Any], by: Any) -> None:
    p.decided_on = p.closed_on = data["decided_on"]
    p.decision_reason = data["reason"].strip()
    p.transferred_to = (data.get("body") or "").strip()
    clock_meet_open(case=p, name="acceptance", met_on=data["decided_on"], by=by)


def guard_petition_transfer(p: Any, data: dict[str, Any], by: Any) -> str | None:
    if len((data.get("body") or "").strip()) < 2:
        return "请填写转送的有权处理机关"
    return guard_petition_decide(p, data, by)


def guard_petition_answer(p: Any, data: dict[str, Any], by: Any) -> str | None:
    if refusal := date_refusal("出具处理意见日期", data["opinion_on"], ("受理日期", p.accepted_on)):
        return refusal
    if len((data.get("text") or "").strip()) < 10:
        return "请写明书面处理意见的内容（事实、依据和结论）"
    if refusal := date_refusal("送达信访人日期", data["served_on"], ("出具处理意见日期", data["opinion_on"])):
        return refusal
    if p.dispute_id and p.dispute.state in DISPUTE_OPEN:
        return f"访调联动的纠纷{p.dispute.number}尚在“{p.dispute.get_state_display()}”，调解有结果后方可出具处理意见"
    return None


def effect_petition_answer(p: Any, data: dict[str, Any], by: Any) -> None:
    p.opinion_on = data["opinion_on"]
    p.opinion_served_on = data["served_on"]
    p.opinion = data["opinion"]
    p.opinion_text = data["text"].strip()
    clock_meet_open(case=p, name="handling", met_on=data["opinion_on"], by=by)


def request_window_end(since: Any) -> Any:
    """The last day of the petitioner's 30 days from receiving an opinion (a last day on a holiday: the next working
    day, as the clocks count calendar days)."""
    from core.clocks import calendar as cal

    return cal.next_working_day(since + dt.timedelta(days=30))


def _within_30(asked: Any, since: Any, what: str, article: str) -> str | None:
    if refusal := date_refusal("请求日期", asked, (what, since)):
        return refusal
    if asked > request_window_end(since):
        return f"请求日期已超过收到{what}之日起30日（《信访工作条例》{article}），不再受理该请求"
    return None


def guard_request_review(p: Any, data: dict[str, Any], by: Any) -> str | None:
    return _within_30(data["requested_on"], p.opinion_served_on or p.opinion_on, "处理意见", "第35条")


def effect_request_review(p: Any, data: dict[str, Any], by: Any) -> None:
    p.review_requested_on = data["requested_on"]
    clock_start(
        case=p,
        name="review",
        rule_id="petition.review",
        started_on=data["requested_on"],
        by=by,
        title=f"{p.number} 复查",
        start_event="收到复查请求",
    )


def guard_review_done(p: Any, data: dict[str, Any], by: Any) -> str | None:
    return date_refusal("复查意见日期", data["reviewed_on"], ("请求复查日期", p.review_requested_on))


def effect_review_done(p: Any, data: dict[str, Any], by: Any) -> None:
    p.reviewed_on = data["reviewed_on"]
    p.review_result = data["result"]
    clock_meet_open(case=p, name="review", met_on=data["reviewed_on"], by=by)


def guard_request_recheck(p: Any, data: dict[str, Any], by: Any) -> str | None:
    return _within_30(data["requested_on"], p.reviewed_on, "复查意见", "第36条")


def effect_request_recheck(p: Any, data: dict[str, Any], by: Any) -> None:
    p.recheck_requested_on = data["requested_on"]
    clock_start(
        case=p,
        name="recheck",
        rule_id="petition.recheck",
        started_on=data["requested_on"],
        by=by,
        title=f"{p.number} 复核",
        start_event="收到复核请求",
    )


def guard_recheck_done(p: Any, data: dict[str, Any], by: Any) -> str | None:
    return date_refusal("复核意见日期", data["rechecked_on"], ("请求复核日期", p.recheck_requested_on))


def effect_recheck_done(p: Any, data: dict[str, Any], by: Any) -> None:
    p.rechecked_on = p.closed_on = data["rechecked_on"]
    p.recheck_result = data["result"]
    clock_meet_open(case=p, name="recheck", met_on=data["rechecked_on"], by=by)


def guard_petition_close(p: Any, data: dict[str, Any], by: Any) -> str | None:
    last = p.reviewed_on or p.opinion_served_on or p.opinion_on
    if refusal := date_refusal("办结日期", data["closed_on"], ("处理意见或复查意见送达日期", last)):
        return refusal
    end = request_window_end(last)
    what = "复核" if p.reviewed_on else "复查"
    if data["closed_on"] <= end:
        return f"信访人可在{end:%Y年%-m月%-d日}前请求{what}：期限届满后方可办结"
    return None


def effect_petition_close(p: Any, data: dict[str, Any], by: Any) -> None:
    p.closed_on = data["closed_on"]


OPINIONS = tuple(Opinion.choices)
REVIEW_RESULTS = tuple(ReviewResult.choices)

PETITION_WORKFLOW = register(
    Workflow(
        model="demands.Petition",
        states=P,
        initial=P.RECEIVED,
        actions=[
            Action(
                "accept",
                "受理",
                (P.RECEIVED,),
                P.ACCEPTED,
                PETITION_DESK,
                fields=(
                    Field("accepted_on", "受理日期", "date"),
                    Field("unit", "承办单位", "choice", choices_for=unit_choices),
                ),
                guard=guard_petition_accept,
                effect=effect_petition_accept,
            ),
            Action(
                "reject",
                "不予受理并告知",
                (P.RECEIVED,),
                P.NOT_ACCEPTED,
                PETITION_DESK,
                fields=(
                    Field("decided_on", "告知日期", "date"),
                    Field("reason", "理由及告知的途径", "textarea"),
                ),
                guard=guard_petition_decide,
                effect=effect_petition_decide,
                style="secondary",
            ),
            Action(
                "transfer",
                "转送有权处理机关",
                (P.RECEIVED,),
                P.TRANSFERRED,
                PETITION_DESK,
                fields=(
                    Field("decided_on", "转送日期", "date"),
                    Field("body", "有权处理的机关", "text"),
                    Field("reason", "转送理由", "textarea"),
                ),
                guard=guard_petition_transfer,
                effect=effect_petition_decide,
                style="secondary",
            ),
            Action(
                "answer",
                "出具书面处理意见",
                (P.ACCEPTED,),
                P.ANSWERED,
                PETITION_DESK,
                fields=(
                    Field("opinion_on", "出具日期", "date"),
                    Field("opinion", "处理意见（第32条）", "choice", choices=OPINIONS),
                    Field("text", "处理意见书内容", "textarea"),
                    Field("served_on", "送达信访人日期", "date"),
                ),
                guard=guard_petition_answer,
                effect=effect_petition_answer,
            ),
            Action(
                "request_review",
                "登记复查请求",
                (P.ANSWERED,),
                P.REVIEWING,
                PETITION_DESK,
                fields=(Field("requested_on", "请求复查日期", "date"),),
                guard=guard_request_review,
                effect=effect_request_review,
                style="secondary",
            ),
            Action(
                "review_done",
                "登记复查意见",
                (P.REVIEWING,),
                P.REVIEWED,
                PETITION_DESK,
                fields=(
                    Field("reviewed_on", "复查意见日期", "date"),
                    Field("result", "复查结果", "choice", choices=REVIEW_RESULTS),
                ),
                guard=guard_review_done,
                effect=effect_review_done,
            ),
            Action(
                "request_recheck",
                "登记复核请求",
                (P.REVIEWED,),
                P.RECHECKING,
                PETITION_DESK,
                fields=(Field("requested_on", "请求复核日期", "date"),),
                guard=guard_request_recheck,
                effect=effect_request_recheck,
                style="secondary",
            ),
            Action(
                "recheck_done",
                "登记复核意见（终结）",
                (P.RECHECKING,),
                P.CLOSED,
                PETITION_DESK,
                fields=(
                    Field("rechecked_on", "复核意见日期", "date"),
                    Field("result", "复核结果", "choice", choices=REVIEW_RESULTS),
                ),
                guard=guard_recheck_done,
                effect=effect_recheck_done,
            ),
            Action(
                "close",
                "办结",
                (P.ANSWERED, P.REVIEWED),
                P.CLOSED,
                PETITION_DESK,
                fields=(Field("closed_on", "办结日期", "date"),),
                guard=guard_petition_close,
                effect=effect_petition_close,
            ),
        ],
    )
)
