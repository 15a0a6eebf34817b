"""Every write of the demands module outside the workflow table: receiving an order (idempotent on its number),
the units' duty lists, the first contact, approval as a complex order, and the hand-offs to mediation and to
enforcement, linked both ways with the history kept on both timelines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from administration.services import date_refusal
from core.audit.context import acting_as
from core.audit.timeline import timeline_record
from core.clocks import calendar as cal
from core.clocks.services import clock_extend, clock_meet_open, clock_of, clock_start, record_day
from core.db import atomic
from core.models import Region, Unit
from core.permissions import authorize
from core.personal import fill_keyed_hashes, validate_phone
from core.validation import aware

from .choices import RULE_OF_CLASS, Channel, OrderKind, OrderState, PetitionState, TimeClass
from .models import Duty, Petition, WorkOrder, address_key

REPEAT_DAYS = 365  # the same caller or address within this many days is shown on the order
COMPLEX_EXTENSION = 10  # working days added when an ordinary order is approved as complex (5 + 10 = 15)


def _street(region: Region) -> Region:
    return region.ancestor_at("street") or region


@atomic
def order_receive(
    *,
    by: Any,
    number: str,
    kind: str,
    category: str,
    content: str,
    region: Region,
    received_at: dt.datetime,
    time_class: str = "",
    address: str = "",
    caller_name: str = "",
    caller_phone: str = "",
) -> tuple[WorkOrder, bool]:
    """接收 a work order from the city platform, once: the same 工单编号 returns the order already received
    (``created`` False). Its handling clock runs on its class (a consultation 1 WD, others 5 WD) and the first
    contact clock (1 WD) from receipt."""
    authorize(by, "demands.receive")
    number = (number or "").strip()
    errors: dict[str, str] = {}
    if not number:
        errors["number"] = "请填写工单编号"
    elif len(number) > 40:
        errors["number"] = "工单编号不能超过40个字符"
    elif (found := WorkOrder.objects.filter(number=number).first()) is not None:
        if by is None or WorkOrder.objects.visible_to(by).filter(pk=found.pk).exists():
            return found, False
        raise ValidationError({"number": f"工单编号“{number}”已由其他街镇接收，请核对"})
    if kind not in OrderKind.values:
        errors["kind"] = "诉求类型应为：" + "、".join(str(label) for label in OrderKind.labels)
    if not time_class:
        time_class = TimeClass.CONSULTATION if kind == OrderKind.CONSULTATION else TimeClass.ORDINARY
    if time_class not in TimeClass.values:
        errors["time_class"] = "时限类别应为：" + "、".join(str(label) for label in TimeClass.labels)
    if not category.strip():
        errors["category"] = "请填写事项类别"
    if len(content.strip()) < 4:
        errors["content"] = "请填写诉求内容"
    in_scope = by is None or Region.objects.visible_to(by).filter(pk=region.pk).exists()
    if not in_scope or region.level not in (
        "street",
        "community",
        "grid",
    ):
        errors["community"] = "工单所在的街镇或居村不在您的工作范围内"
    if caller_phone:
        try:
            validate_phone(caller_phone)
        except ValidationError as exc:
            errors["caller_phone"] = exc.messages[0]
    received_at = aware(received_at)
    if received_at > timezone.now():
        errors["received_at"] = "接收时间不能晚于现在"
    if errors:
        raise ValidationError(errors)
    authorize(by, "demands.receive", region)
    with acting_as(by):
        order = WorkOrder(
            region=region,
            state=OrderState.RECEIVED,
            number=number,
            kind=kind,
            time_class=time_class,
            category=category.strip()[:60],
            content=content.strip(),
            address=address.strip()[:200],
            address_key=address_key(address),
            caller_name=caller_name.strip()[:50],
            caller_phone=caller_phone.strip(),
            received_at=received_at,
            created_by=by,
        )
        fill_keyed_hashes(order)
        try:
            with transaction.atomic():  # two pushes of the same order at once: the second finds the first
                order.save()
        except IntegrityError:
            found = WorkOrder.objects.filter(number=number).first()
            if found is None or not (
                by is None or WorkOrder.objects.visible_to(by).filter(pk=found.pk).exists()
            ):
                raise ValidationError({"number": f"工单编号“{number}”已由其他街镇接收，请核对"}) from None
            return found, False
    day = timezone.localtime(received_at).date()
    timeline_record(
        order,
        kind="intake",
        action="receive",
        by=by,
        summary=f"接收12345工单：{OrderKind(kind).label}，{order.category}（{TimeClass(time_class).label}）",
    )
    clock_start(
        case=order,
        name="handling",
        rule_id=RULE_OF_CLASS[TimeClass(time_class)],
        started_on=day,
        by=by,
        title=f"{number} {order.category}",
        start_event="收到工单",
    )
    clock_start(
        case=order,
        name="first_contact",
        rule_id="hotline.first_contact",
        started_on=day,
        by=by,
        title=f"{number} 首次联系来电人",
        start_event="收到工单",
    )
    return order, True


@atomic
def duty_save(*, by: Any, unit: Unit, category: str, basis: str = "") -> Duty:
    """Put a category on a unit's duty list (or correct its basis)."""
    authorize(by, "demands.duties", unit.region)
    if not category.strip():
        raise ValidationError({"category": "请填写事项类别"})
    with acting_as(by):
        duty, _ = Duty.objects.update_or_create(
            unit=unit, category=category.strip()[:60], defaults={"basis": basis.strip()[:200]}
        )
    return duty


@atomic
def duty_remove(*, by: Any, duty: Duty) -> None:
    authorize(by, "demands.duties", duty.unit.region)
    with acting_as(by):
        duty.delete()


def _order_for(by: Any, order: WorkOrder, code: str) -> WorkOrder:
    authorize(by, code, order)
    if order.state not in (OrderState.DISPATCHED, OrderState.HANDLING, OrderState.RECEIVED):
        raise ValidationError({"": f"工单已{order.get_state_display()}，不能再登记"})
    return order


@atomic
def order_contact(*, by: Any, order: WorkOrder, contacted_on: dt.date, note: str) -> WorkOrder:
    """首次联系来电人 (1 WD from receipt)."""
    _order_for(by, order, "demands.handle")
    if order.first_contact_on:
        raise ValidationError({"contacted_on": f"已于{order.first_contact_on}首次联系来电人"})
    received = timezone.localtime(order.received_at).date()
    if refusal := date_refusal("联系日期", contacted_on, ("接收日期", received)):
        raise ValidationError({"contacted_on": refusal})
    order.first_contact_on = contacted_on
    with acting_as(by):
        order.save()
    summary = f"首次联系来电人：{cal.fmt(contacted_on)}" + (f"，{note.strip()}" if note.strip() else "")
    timeline_record(order, kind="record", action="contact", by=by, summary=summary)
    clock_meet_open(case=order, name="first_contact", met_on=contacted_on, by=by)
    return order


@atomic
def order_make_complex(*, by: Any, order: WorkOrder, reason: str) -> WorkOrder:
    """列为复杂工单: the leader's approval adds 10 WD to an ordinary order's 5 (15 WD in all)."""
    authorize(by, "demands.complex", order)
    if order.time_class != TimeClass.ORDINARY or order.complex_reason:
        raise ValidationError({"reason": "只有求助、投诉类工单可以列为复杂工单，且只批准一次"})
    clock = clock_of(order, "handling", lock=True)
    if clock is None or clock.met_on is not None:
        raise ValidationError({"reason": "工单已办结，无需延长"})
    clock_extend(clock=clock, length=COMPLEX_EXTENSION, approver=by, reason=reason, by=by)
    order.complex_reason = reason.strip()[:200]
    with acting_as(by):
        order.save()
    timeline_record(
        order, kind="record", action="complex", by=by, summary=f"经批准列为复杂工单：{reason.strip()}"
    )
    return order


@atomic
def order_to_dispute(
    *, by: Any, order: WorkOrder, dispute_type: str, respondent: str = "", community: Region | None = None
) -> Any:
    """转人民调解 (访调联动 for the hotline): the order becomes a dispute received from the 12345 hotline under the
    order's number, the two linked; the order is answered once the mediation has an outcome."""
    from disputes.choices import Source
    from disputes.services import dispute_intake

    _order_for(by, order, "demands.to_dispute")
    if order.dispute is not None:
        raise ValidationError({"dispute_type": f"已转人民调解：{order.dispute.number}"})
    place = community or order.region
    if place.level not in ("community", "grid"):
        raise ValidationError({"community": "请选择纠纷发生地所在的居村"})
    parties: list[dict[str, Any]] = [
        {"role": "applicant", "name": order.caller_name or "来电人", "phone": order.caller_phone or ""}
    ]
    if respondent.strip():
        parties.append({"role": "respondent", "name": respondent.strip()})
    # Received by mediation the day the hand-off is recorded (a replayed past record: its own day)
    received = timezone.make_aware(dt.datetime.combine(record_day(), timezone.localtime().time()))
    result = dispute_intake(
        by=by,
        received_at=received,
        source=Source.HOTLINE_12345,
        external_ref=order.number,
        dispute_type=dispute_type,
        community=place,
        description=order.content,
        address=order.address,
        parties=parties,
    )
    dispute = result.dispute
    order.dispute = dispute
    with acting_as(by):
        order.save()
    timeline_record(
        order,
        kind="record",
        action="to_dispute",
        by=by,
        summary=f"转人民调解：{dispute.number}",
        data={"dispute": dispute.pk},
    )
    timeline_record(
        dispute,
        kind="record",
        action="from_order",
        by=by,
        summary=f"由12345工单{order.number}转入人民调解",
        data={"order": order.pk},
    )
    return dispute


def link_enforcement(*, by: Any, order: WorkOrder, case: Any) -> None:
    """转行政执法: called by the enforcement module's 立案 when it files a case from an order."""
    _order_for(by, order, "demands.handle")
    if order.enforcement_case is not None:
        raise ValidationError({"order": f"该工单已转行政执法立案：{order.enforcement_case.number}"})
    order.enforcement_case = case
    with acting_as(by):
        order.save()
    timeline_record(
        order,
        kind="record",
        action="to_enforcement",
        by=by,
        summary=f"转行政执法立案：{case.number}",
        data={"case": case.pk},
    )
    timeline_record(
        case,
        kind="record",
        action="from_order",
        by=by,
        summary=f"由12345工单{order.number}转入",
        data={"order": order.pk},
    )


def related_orders(order: WorkOrder, user: Any) -> QuerySet[WorkOrder]:
    """Other orders of the same caller or at the same address within a year before or after this one."""
    q = Q()
    if order.caller_phone_hash:
        q |= Q(caller_phone_hash=order.caller_phone_hash)
    if order.address_key:
        q |= Q(address_key=order.address_key)
    if not q:
        return WorkOrder.objects.none()
    span = dt.timedelta(days=REPEAT_DAYS)
    return (
        WorkOrder.objects.visible_to(user)
        .filter(q, received_at__gte=order.received_at - span, received_at__lte=order.received_at + span)
        .exclude(pk=order.pk)
        .order_by("-received_at")
    )


def risk_reasons(order: WorkOrder) -> list[str]:
    """Why this order may end dissatisfied, for early attention: the caller was dissatisfied before, calls again
    within 30 days, the order was returned or reopened, or its time limit is close or past."""
    from core.clocks.services import state_of

    street = order.region.ancestor_at("street") or order.region
    reasons = []
    if order.reopened:
        reasons.append(f"回访不满意重办{order.reopened}次")
    if order.returns:
        reasons.append(f"退单{order.returns}次")
    if order.caller_phone_hash:
        others = WorkOrder.objects.filter(
            caller_phone_hash=order.caller_phone_hash, region__path__startswith=street.path
        ).exclude(pk=order.pk)
        if others.filter(callback="dissatisfied").exists():
            reasons.append("来电人此前有回访不满意的工单")
        month = dt.timedelta(days=30)
        recent = others.filter(received_at__gte=order.received_at - month, received_at__lte=order.received_at)
        if recent.exists():
            reasons.append(f"来电人30日内再次来电（{recent.count()}件）")
    if order.state in (OrderState.RECEIVED, OrderState.DISPATCHED, OrderState.HANDLING):
        clock = clock_of(order, "rehandle") or clock_of(order, "handling")
        if clock is not None and clock.met_on is None and state_of(clock) in ("due_soon", "overdue"):
            reasons.append("办理时限临近或已超期")
    return reasons


# --- petitions (信访) ---------------------------------------------------------------------------------------


@atomic
def petition_receive(
    *,
    by: Any,
    channel: str,
    petitioner: str,
    category: str,
    content: str,
    region: Region,
    received_on: dt.date,
    people_count: int = 1,
    id_number: str = "",
    phone: str = "",
    external_ref: str = "",
) -> tuple[Petition, bool]:
    """登记 a petition (visit, letter, online, phone); the acceptance clock (15 days, 《信访工作条例》第22-23条)
    runs from receipt. Idempotent on the 信访信息系统编号 when there is one. A petition of five or more people is a
    group petition (集体访), flagged on its page, its timeline and the ledger."""
    from core.documents import next_sequence
    from core.personal import validate_id_number

    authorize(by, "demands.petition_receive")
    external_ref = (external_ref or "").strip()
    if len(external_ref) > 60:
        raise ValidationError({"external_ref": "信访信息系统编号不能超过60个字符"})
    if external_ref and (found := Petition.objects.filter(external_ref=external_ref).first()) is not None:
        if by is None or Petition.objects.visible_to(by).filter(pk=found.pk).exists():
            return found, False
        raise ValidationError({"external_ref": f"信访信息系统编号“{external_ref}”已由其他街镇登记，请核对"})
    errors: dict[str, str] = {}
    if channel not in Channel.values:
        errors["channel"] = "信访形式应为：" + "、".join(str(label) for label in Channel.labels)
    if not petitioner.strip():
        errors["petitioner"] = "请填写信访人姓名（集体访填写代表姓名）"
    if not category.strip():
        errors["category"] = "请填写事项类别"
    if len(content.strip()) < 4:
        errors["content"] = "请填写信访事项"
    if people_count < 1 or people_count > 10_000:
        errors["people_count"] = "人数应为1至10000"
    in_scope = by is None or Region.objects.visible_to(by).filter(pk=region.pk).exists()
    if not in_scope or region.level not in ("street", "community", "grid"):
        errors["community"] = "信访事项所在的街镇或居村不在您的工作范围内"
    for key, value, check in (("id_number", id_number, validate_id_number), ("phone", phone, validate_phone)):
        if value:
            try:
                check(value)
            except ValidationError as exc:
                errors[key] = exc.messages[0]
    if refusal := date_refusal("收到日期", received_on):
        errors["received_on"] = refusal
    if errors:
        raise ValidationError(errors)
    authorize(by, "demands.petition_receive", region)
    street = _street(region)
    seq = next_sequence(prefix=f"XF-{street.code}", year=received_on.year)
    with acting_as(by):
        petition = Petition(
            region=region,
            number=f"XF-{street.code}-{received_on.year}-{seq:04d}",
            external_ref=external_ref,
            channel=channel,
            petitioner=petitioner.strip()[:100],
            petitioner_id_number=id_number.strip().upper(),
            petitioner_phone=phone.strip(),
            people_count=people_count,
            category=category.strip()[:60],
            content=content.strip(),
            received_on=received_on,
            created_by=by,
        )
        fill_keyed_hashes(petition)
        petition.save()
    group = f"，集体访（{people_count}人）" if petition.is_group else ""
    timeline_record(
        petition,
        kind="intake",
        action="receive",
        by=by,
        summary=f"登记信访事项：{Channel(channel).label}，{petition.category}{group}",
    )
    clock_start(
        case=petition,
        name="acceptance",
        rule_id="petition.acceptance",
        started_on=received_on,
        by=by,
        title=f"{petition.number} 受理告知",
        start_event="收到信访事项",
    )
    return petition, True


PETITION_EXTENSION = 30  # days, approved (《信访工作条例》第34条)


@atomic
def petition_extend(*, by: Any, petition: Petition, reason: str) -> Petition:
    """延长办理期限: the leader's approval adds at most 30 days to the 60 (第34条); the petitioner is told."""
    authorize(by, "demands.petition_extend", petition)
    clock = clock_of(petition, "handling", lock=True)
    if clock is None or clock.met_on is not None:
        raise ValidationError({"reason": "信访事项未在办理中，无需延长"})
    clock_extend(clock=clock, length=PETITION_EXTENSION, approver=by, reason=reason, by=by)
    timeline_record(
        petition,
        kind="record",
        action="extend",
        by=by,
        summary=f"经批准延长办理期限30日并告知信访人：{reason.strip()}",
    )
    return petition


@atomic
def petition_to_dispute(
    *, by: Any, petition: Petition, dispute_type: str, community: Region, respondent: str = ""
) -> Any:
    """访调联动: a petition whose matter is a civil dispute goes to people's mediation, the two linked; the petition's
    written opinion waits for the mediation's outcome."""
    from disputes.choices import Source
    from disputes.services import dispute_intake

    authorize(by, "demands.petition_mediation", petition)
    if petition.state != PetitionState.ACCEPTED:
        raise ValidationError({"dispute_type": "只有已受理、办理中的信访事项可以转人民调解"})
    if petition.dispute is not None:
        raise ValidationError({"dispute_type": f"已转人民调解：{petition.dispute.number}"})
    if community.level not in ("community", "grid"):
        raise ValidationError({"community": "请选择纠纷发生地所在的居村"})
    parties: list[dict[str, Any]] = [
        {
            "role": "applicant",
            "name": petition.petitioner,
            "id_number": petition.petitioner_id_number or "",
            "phone": petition.petitioner_phone or "",
        }
    ]
    if respondent.strip():
        parties.append({"role": "respondent", "name": respondent.strip()})
    received = timezone.make_aware(dt.datetime.combine(record_day(), timezone.localtime().time()))
    dispute = dispute_intake(
        by=by,
        source=Source.PETITION_OFFICE,
        external_ref=petition.number,
        dispute_type=dispute_type,
        community=community,
        description=petition.content,
        parties=parties,
        people_count=petition.people_count,
        received_at=received,
    ).dispute
    petition.dispute = dispute
    with acting_as(by):
        petition.save()
    timeline_record(
        petition, kind="record", action="to_dispute", by=by, summary=f"访调联动，转人民调解：{dispute.number}"
    )
    timeline_record(
        dispute,
        kind="record",
        action="from_petition",
        by=by,
        summary=f"由信访事项{petition.number}转入人民调解（访调联动）",
    )
    return dispute
