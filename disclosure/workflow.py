"""The request-on-application table: 收到 → (补正) → (征求第三方意见) → (延期) → 答复 / 视为撤回.

Clocks (RULES.md): ``disclosure.answer`` 20 WD from receipt; 补正 pauses it from the notice and the
whole period restarts from receipt of the completed request (第30条); consultation time is not
counted (第33条第3款) and the third party has 15 WD (第32条); an extension of at most 20 WD needs the
office head's approval and the applicant must be told (第33条).
"""

from __future__ import annotations

from typing import Any

from core.clocks.services import (
    clock_extend,
    clock_meet_open,
    clock_of,
    clock_pause,
    clock_restart,
    clock_resume,
    clock_start,
    record_day,
)
from core.documents import next_document_number
from core.models import User
from core.roles import Role
from core.scoping import roles_at
from core.workflow import Action, Field, Workflow, register

from .choices import AnswerType
from .choices import RequestState as S

OFFICE = frozenset({Role.JUSTICE_COORDINATOR, Role.UNIT_STAFF, Role.STREET_LEADER})
HEADS = frozenset({Role.STREET_LEADER})


def approver_choices(req: Any, user: Any) -> list[tuple[str, str]]:
    street = req.region.ancestor_at("street") or req.region
    users = User.objects.filter(memberships__role__in=HEADS, memberships__unit__region=street, is_active=True)
    return [(str(u.pk), u.display_name) for u in users.distinct().order_by("full_name")]


def guard_correction(req: Any, data: dict[str, Any], by: Any) -> str | None:
    if req.correction_items:
        return "补正只能一次性告知，本申请已告知过补正"
    if data["sent_on"] < req.received_on:
        return "告知补正日期不能早于收到申请日期"
    if data["deadline"] <= data["sent_on"]:
        return "补正期限应晚于告知日期"
    return None


def effect_correction(req: Any, data: dict[str, Any], by: Any) -> None:
    req.correction_items = data["items"]
    req.correction_deadline = data["deadline"]
    clock_meet_open(case=req, name="correction_notice", met_on=data["sent_on"], by=by)
    answer = clock_of(req, "answer")
    if answer:
        clock_pause(clock=answer, paused_on=data["sent_on"], reason="告知补正，待申请人补正", by=by)


def effect_completed(req: Any, data: dict[str, Any], by: Any) -> None:
    answer = clock_of(req, "answer")
    if answer:
        clock_restart(
            clock=answer,
            started_on=data["completed_on"],
            reason="申请人补正（第30条）",
            start_event="收到补正后的申请",
            by=by,
        )


def guard_withdrawn(req: Any, data: dict[str, Any], by: Any) -> str | None:
    today = record_day()  # a past request replayed by an import is withdrawn on its own day
    if req.correction_deadline is None or today <= req.correction_deadline:
        return f"补正期限{req.correction_deadline}尚未届满，不能视为撤回"
    return None


def effect_withdrawn(req: Any, data: dict[str, Any], by: Any) -> None:
    req.withdrawn_on = record_day()
    clock_meet_open(case=req, name="answer", met_on=req.withdrawn_on, by=by)


def effect_consult(req: Any, data: dict[str, Any], by: Any) -> None:
    req.third_party = data["third_party"]
    answer = clock_of(req, "answer")
    if answer:
        clock_pause(
            clock=answer, paused_on=data["sent_on"], reason=f"征求第三方（{data['third_party']}）意见", by=by
        )
    clock_start(
        case=req,
        name="third_party",
        rule_id="disclosure.third_party",
        started_on=data["received_on"],
        by=by,
        title=f"{req.number} 第三方{data['third_party']}答复",
        start_event="第三方收到征求意见书",
        assignee=by,
    )


def effect_reply(req: Any, data: dict[str, Any], by: Any) -> None:
    answer = clock_of(req, "answer")
    if answer:
        clock_resume(clock=answer, resumed_on=data["replied_on"], by=by)
    clock_meet_open(case=req, name="third_party", met_on=data["replied_on"], by=by)


def guard_extend(req: Any, data: dict[str, Any], by: Any) -> str | None:
    approver = User.objects.filter(pk=int(data["approver"])).first()
    if approver is None or not (roles_at(approver, req.region) & HEADS):
        return "延期须经政府信息公开工作机构负责人同意"
    if data["notified_on"] < req.received_on:
        return "告知申请人日期不能早于收到申请日期"
    return None


def effect_extend(req: Any, data: dict[str, Any], by: Any) -> None:
    answer = clock_of(req, "answer")
    if answer:
        clock_extend(
            clock=answer,
            length=data["days"],
            approver=User.objects.get(pk=int(data["approver"])),
            reason=f"{data['reason']}（{data['notified_on']}已告知申请人）",
            by=by,
        )


def effect_answer(req: Any, data: dict[str, Any], by: Any) -> None:
    req.answer_type = data["answer_type"]
    req.answer_detail = data["detail"]
    req.answered_on = data["answered_on"]
    street = req.region.ancestor_at("street") or req.region
    req.letter_number = next_document_number(prefix=f"{street.name[:4]}公开", year=data["answered_on"].year)
    for name in ("answer", "correction_notice"):
        clock_meet_open(case=req, name=name, met_on=data["answered_on"], by=by)


DISCLOSURE_WORKFLOW = register(
    Workflow(
        model="disclosure.DisclosureRequest",
        states=S,
        initial=S.RECEIVED,
        actions=[
            Action(
                "request_correction",
                "一次性告知补正",
                (S.RECEIVED,),
                S.CORRECTION,
                OFFICE,
                fields=(
                    Field("items", "需补正的内容", "textarea"),
                    Field("sent_on", "告知日期", "date"),
                    Field("deadline", "补正期限", "date"),
                ),
                guard=guard_correction,
                effect=effect_correction,
                style="secondary",
            ),
            Action(
                "complete_correction",
                "收到补正",
                (S.CORRECTION,),
                S.RECEIVED,
                OFFICE,
                fields=(Field("completed_on", "收到补正申请日期", "date"),),
                effect=effect_completed,
            ),
            Action(
                "treat_withdrawn",
                "逾期未补正，视为撤回",
                (S.CORRECTION,),
                S.WITHDRAWN,
                OFFICE,
                guard=guard_withdrawn,
                effect=effect_withdrawn,
                style="danger",
            ),
            Action(
                "consult",
                "征求第三方意见",
                (S.RECEIVED,),
                S.CONSULTING,
                OFFICE,
                fields=(
                    Field("third_party", "第三方", "text"),
                    Field("sent_on", "发出征求意见书日期", "date"),
                    Field("received_on", "第三方收到日期", "date"),
                ),
                effect=effect_consult,
                style="secondary",
            ),
            Action(
                "third_party_reply",
                "第三方答复",
                (S.CONSULTING,),
                S.RECEIVED,
                OFFICE,
                fields=(
                    Field("replied_on", "答复或期满日期", "date"),
                    Field(
                        "opinion",
                        "第三方意见",
                        "choice",
                        choices=(("agree", "同意公开"), ("object", "不同意公开"), ("none", "逾期未答复")),
                    ),
                ),
                effect=effect_reply,
            ),
            Action(
                "extend",
                "延长答复期限",
                (S.RECEIVED,),
                S.RECEIVED,
                OFFICE,
                fields=(
                    Field("days", "延长工作日", "int"),
                    Field("approver", "批准人", "choice", choices_for=approver_choices),
                    Field("reason", "延期理由", "text"),
                    Field("notified_on", "告知申请人日期", "date"),
                ),
                guard=guard_extend,
                effect=effect_extend,
                style="secondary",
            ),
            Action(
                "answer",
                "答复",
                (S.RECEIVED,),
                S.ANSWERED,
                OFFICE,
                fields=(
                    Field("answer_type", "答复类型", "choice", choices=tuple(AnswerType.choices)),
                    Field("detail", "答复内容（获取途径、不予公开理由或负责机关等）", "textarea"),
                    Field("answered_on", "答复日期", "date"),
                ),
                effect=effect_answer,
            ),
        ],
    )
)
