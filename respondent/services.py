"""Every write of the respondent module outside the workflow table: receiving a case (its reply or defence
clock), hearings with who appeared for the street, the 行政复议意见书, and the rectification an adverse outcome
opens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from administration.services import date_refusal
from core.audit.context import acting_as
from core.audit.timeline import timeline_record
from core.clocks import calendar as cal
from core.clocks.services import clock_meet_open, clock_start
from core.db import atomic
from core.documents import next_sequence
from core.models import Unit
from core.permissions import authorize

from .choices import ADVERSE, HEAD_APPEARED, ActKind, Appearance, CaseState, Kind
from .models import Hearing, RespondentCase
from .workflow import clock_name


@atomic
def case_receive(
    *,
    by: Any,
    kind: str,
    body: str,
    applicant: str,
    unit: Unit,
    act_kind: str,
    act: str,
    filed_on: dt.date,
    received_on: dt.date,
    body_ref: str = "",
    after_reconsideration: bool = False,
    enforcement_case: Any = None,
    disclosure_request: Any = None,
) -> RespondentCase:
    """登记 a reconsideration or a suit against the street: the reply (10 working days, 《行政复议法》第48条) or the
    defence (15 days, 《行政诉讼法》第67条) runs from the day the copy was received."""
    authorize(by, "respondent.receive")
    errors: dict[str, str] = {}
    if kind not in Kind.values:
        errors["kind"] = "类别应为行政复议或行政诉讼"
    if act_kind not in ActKind.values:
        errors["act_kind"] = "请选择被申请（被诉）行为的类别"
    for key, value, label in (
        ("body", body, "复议机关或人民法院"),
        ("applicant", applicant, "申请人（原告）"),
        ("act", act, "被申请（被诉）行为"),
    ):
        if not value.strip():
            errors[key] = f"请填写{label}"
    if refusal := date_refusal("申请（起诉）日期", filed_on):
        errors["filed_on"] = refusal
    if refusal := date_refusal("收到副本日期", received_on, ("申请（起诉）日期", filed_on)):
        errors["received_on"] = refusal
    if after_reconsideration and kind != Kind.LITIGATION:
        errors["after_reconsideration"] = "只有行政诉讼有“经复议后起诉”"
    street = unit.region.ancestor_at("street") or unit.region
    for key, linked in (("enforcement_case", enforcement_case), ("disclosure_request", disclosure_request)):
        if linked is not None and not linked.region.path.startswith(street.path):
            errors[key] = "关联的行为不属于被申请（被告）单位所在街镇"
    if body_ref.strip() and not errors:
        same = RespondentCase.objects.filter(kind=kind, body_ref=body_ref.strip(), region=street).first()
        if same is not None:
            errors["body_ref"] = f"案号“{body_ref.strip()}”已登记为{same.number}"
    if errors:
        raise ValidationError(errors)
    authorize(by, "respondent.receive", unit.region)
    seq = next_sequence(prefix=f"YS-{street.code}", year=received_on.year)
    with acting_as(by):
        case = RespondentCase.objects.create(
            region=street,
            state=CaseState.RECEIVED,
            number=f"YS-{street.code}-{received_on.year}-{seq:04d}",
            kind=kind,
            after_reconsideration=after_reconsideration,
            body=body.strip()[:100],
            body_ref=body_ref.strip()[:80],
            applicant=applicant.strip()[:100],
            unit=unit,
            act_kind=act_kind,
            act=act.strip()[:300],
            enforcement_case=enforcement_case,
            disclosure_request=disclosure_request,
            filed_on=filed_on,
            received_on=received_on,
            created_by=by,
        )
    timeline_record(
        case,
        kind="intake",
        action="receive",
        by=by,
        summary=f"收到{Kind(kind).label}{'申请书' if kind == Kind.RECONSIDERATION else '起诉状'}副本：{case.act}（{case.body}）",
    )
    for linked in (enforcement_case, disclosure_request):
        if linked is not None:
            timeline_record(
                linked,
                kind="record",
                action="challenged",
                by=by,
                summary=f"当事人提起{Kind(kind).label}：{case.number}（{case.body}）",
                data={"respondent_case": case.pk},
            )
    reconsideration = kind == Kind.RECONSIDERATION
    clock_start(
        case=case,
        name=clock_name(case),
        rule_id="reconsideration.reply" if reconsideration else "litigation.defence",
        started_on=received_on,
        by=by,
        title=f"{case.number} {'提交书面答复和证据' if reconsideration else '提交答辩状和证据'}",
        start_event="收到申请书副本" if reconsideration else "收到起诉状副本",
    )
    return case


def _case_for(by: Any, case: RespondentCase, code: str) -> RespondentCase:
    authorize(by, code, case)
    return case


@atomic
def hearing_record(
    *,
    by: Any,
    case: RespondentCase,
    held_on: dt.date,
    appearance: str,
    appeared: str,
    reason: str = "",
    lawyer: str = "",
) -> Hearing:
    """A hearing and who appeared for the street: the head or the deputy in charge; otherwise the staff member who
    appeared and the documented reason the head did not. A lawyer alone is not enough (《行政诉讼法》第3条第3款)."""
    _case_for(by, case, "respondent.hearing")
    errors: dict[str, str] = {}
    if appearance not in Appearance.values:
        errors["appearance"] = "请选择出庭情况"
    if not appeared.strip():
        errors["appeared"] = "请填写出庭的机关人员姓名和职务（律师不能单独出庭应诉）"
    elif lawyer.strip() and appeared.strip() == lawyer.strip():
        errors["appeared"] = (
            "委托律师不能代替机关工作人员出庭（《行政诉讼法》第3条第3款），请填写出庭的机关人员"
        )
    if appearance == Appearance.STAFF and len(reason.strip()) < 4:
        errors["reason"] = "负责人未出庭的，须写明正当理由（最高人民法院法释〔2018〕1号第132条）"
    if refusal := date_refusal("开庭日期", held_on, ("收到副本日期", case.received_on)):
        errors["held_on"] = refusal
    if errors:
        raise ValidationError(errors)
    with acting_as(by):
        hearing = Hearing.objects.create(
            case=case,
            held_on=held_on,
            appearance=appearance,
            appeared=appeared.strip()[:100],
            reason=reason.strip()[:300],
            lawyer=lawyer.strip()[:100],
        )
    who = Appearance(appearance).label
    note = f"，未出庭理由：{hearing.reason}" if appearance not in HEAD_APPEARED else ""
    timeline_record(
        case,
        kind="record",
        action="hearing",
        by=by,
        summary=f"开庭（{cal.fmt(held_on)}）：{who}，{hearing.appeared}{note}",
    )
    return hearing


@atomic
def opinion_letter_record(*, by: Any, case: RespondentCase, received_on: dt.date) -> RespondentCase:
    """收到行政复议意见书: the rectification and its report within 60 days (《行政复议法》第76条)."""
    _case_for(by, case, "respondent.rectify")
    if case.kind != Kind.RECONSIDERATION:
        raise ValidationError({"received_on": "行政复议意见书只在行政复议中制发"})
    if case.opinion_letter_on:
        raise ValidationError({"received_on": f"已于{case.opinion_letter_on}登记收到行政复议意见书"})
    if refusal := date_refusal("收到意见书日期", received_on, ("收到副本日期", case.received_on)):
        raise ValidationError({"received_on": refusal})
    case.opinion_letter_on = received_on
    case.rectified_on = None
    case.rectification_unit = case.rectification_unit or case.unit
    with acting_as(by):
        case.save()
    timeline_record(
        case,
        kind="record",
        action="opinion_letter",
        by=by,
        summary=f"收到行政复议意见书：{cal.fmt(received_on)}",
    )
    clock_start(
        case=case,
        name="opinion_report",
        rule_id="reconsideration.rectification_report",
        started_on=received_on,
        by=by,
        title=f"{case.number} 报送整改情况",
        start_event="收到行政复议意见书",
    )
    return case


@atomic
def rectification_record(
    *, by: Any, case: RespondentCase, rectified_on: dt.date, report: str
) -> RespondentCase:
    """整改完成: what was corrected (the act redone, the publicity withdrawn, the officers trained …)."""
    _case_for(by, case, "respondent.rectify")
    if not (case.outcome in ADVERSE or case.opinion_letter_on) or case.rectified_on:
        raise ValidationError({"rectified_on": "该案没有待完成的整改"})
    if len(report.strip()) < 6:
        raise ValidationError({"report": "请写明整改情况"})
    start = case.decided_on if case.outcome in ADVERSE else case.opinion_letter_on
    if refusal := date_refusal("整改完成日期", rectified_on, ("决定（裁判）或收到意见书日期", start)):
        raise ValidationError({"rectified_on": refusal})
    case.rectified_on = rectified_on
    case.rectification_report = report.strip()
    with acting_as(by):
        case.save()
    timeline_record(case, kind="record", action="rectified", by=by, summary=f"整改完成：{report.strip()}")
    for name in ("rectification", "opinion_report"):
        clock_meet_open(case=case, name=name, met_on=rectified_on, by=by)
    return case
