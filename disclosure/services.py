"""Writes for requests on application. State changes go through the workflow table (workflow.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from core.audit.context import acting_as
from core.audit.timeline import timeline_record
from core.clocks import calendar as cal
from core.clocks.services import clock_start
from core.db import atomic
from core.documents import next_sequence
from core.models import Region
from core.permissions import authorize
from core.personal import fill_keyed_hashes, validate_id_number, validate_phone, validate_uscc

from .choices import ApplicantKind, Channel, Delivery, RequestState
from .models import DisclosureRequest


def receipt_date(
    channel: str, submitted_on: dt.date, signed_on: dt.date | None, confirmed_on: dt.date | None
) -> tuple[dt.date, str]:
    """The receipt date by channel (政府信息公开条例 第31条) and the sentence that explains it."""
    if channel == Channel.IN_PERSON:
        return submitted_on, "当面提交的，以提交之日为收到申请之日（第31条第1项）"
    if channel == Channel.POST:
        if signed_on is None:
            raise ValidationError({"signed_on": "邮寄提交的，请填写本机关签收日期（第31条第2项）"})
        return signed_on, "以邮寄方式提交的，以行政机关签收之日为收到申请之日（第31条第2项）"
    if confirmed_on is None:
        raise ValidationError(
            {"confirmed_on": "通过互联网渠道或传真提交的，请填写双方确认日期（第31条第3项）"}
        )
    return (
        confirmed_on,
        "通过互联网渠道或者政府信息公开工作机构的传真提交的，以双方确认之日为收到申请之日（第31条第3项）",
    )


@atomic
def request_receive(
    *,
    by: Any,
    region: Region,
    channel: str,
    submitted_on: dt.date,
    applicant_kind: str,
    applicant_name: str,
    content: str,
    signed_on: dt.date | None = None,
    confirmed_on: dt.date | None = None,
    applicant_id_number: str = "",
    applicant_uscc: str = "",
    applicant_phone: str = "",
    applicant_address: str = "",
) -> DisclosureRequest:
    authorize(by, "disclosure.receive")
    errors: dict[str, str] = {}
    if channel not in Channel.values:
        errors["channel"] = "提交方式应为当面、邮寄、互联网渠道或传真"
    if applicant_kind not in ApplicantKind.values:
        errors["applicant_kind"] = "申请人类别应为公民或法人、其他组织"
    if not applicant_name.strip():
        errors["applicant_name"] = "请填写申请人姓名或名称"
    if len(content.strip()) < 4:
        errors["content"] = "请写明申请公开的政府信息的名称、文号或者便于查询的其他特征性描述（第29条）"
    if not Region.objects.visible_to(by).filter(pk=region.pk).exists():
        errors["region"] = "所选区域不在您的工作范围内"
    for field, value, check in (
        ("applicant_id_number", applicant_id_number, validate_id_number),
        ("applicant_uscc", applicant_uscc, validate_uscc),
        ("applicant_phone", applicant_phone, validate_phone),
    ):
        if value:
            try:
                check(value)
            except ValidationError as exc:
                errors[field] = exc.messages[0]
    received_on, basis = submitted_on, ""
    if channel in Channel.values:
        try:
            received_on, basis = receipt_date(channel, submitted_on, signed_on, confirmed_on)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
        else:
            if received_on < submitted_on:
                errors["received_on"] = "收到日期不能早于提交日期"
    if errors:
        raise ValidationError(errors)
    authorize(by, "disclosure.receive", region)
    street = region.ancestor_at("street") or region
    with acting_as(by):
        req = DisclosureRequest(
            region=region,
            state=RequestState.RECEIVED,
            number=f"GK-{street.code}-{received_on.year}-{next_sequence(prefix=f'GK-{street.code}', year=received_on.year):04d}",
            channel=channel,
            submitted_on=submitted_on,
            received_on=received_on,
            receipt_basis=basis,
            applicant_kind=applicant_kind,
            applicant_name=applicant_name.strip(),
            applicant_id_number=applicant_id_number.upper(),
            applicant_uscc=applicant_uscc.upper(),
            applicant_phone=applicant_phone,
            applicant_address=applicant_address.strip(),
            content=content.strip(),
            created_by=by,
        )
        fill_keyed_hashes(req)
        req.save()
    timeline_record(
        req,
        kind="intake",
        action="receive",
        by=by,
        summary=f"收到申请（{Channel(channel).label}），收到日期{cal.fmt(received_on)}：{basis}",
    )
    title = f"{req.number} {req.applicant_name}"
    clock_start(
        case=req,
        name="answer",
        rule_id="disclosure.answer",
        started_on=received_on,
        by=by,
        title=title,
        start_event="收到申请",
        assignee=by,
    )
    clock_start(
        case=req,
        name="correction_notice",
        rule_id="disclosure.correction_notice",
        started_on=received_on,
        by=by,
        title=f"{title}（一次性告知补正）",
        start_event="收到申请",
        assignee=by,
    )
    return req


@atomic
def delivery_record(
    *, request: DisclosureRequest, method: str, delivered_on: dt.date, by: Any
) -> DisclosureRequest:
    authorize(by, "disclosure.deliver", request)
    if request.state != RequestState.ANSWERED:
        raise ValidationError({"delivery": "答复后才能登记送达"})
    if method not in Delivery.values:
        raise ValidationError({"delivery": "送达方式应为当面、邮寄或电子送达"})
    if request.answered_on and delivered_on < request.answered_on:
        raise ValidationError({"delivered_on": "送达日期不能早于答复日期"})
    with acting_as(by):
        request.delivery, request.delivered_on = method, delivered_on
        request.save()
    timeline_record(
        request,
        kind="delivery",
        action="deliver",
        by=by,
        summary=f"{Delivery(method).label}答复书：{cal.fmt(delivered_on)}",
    )
    return request


@atomic
def proactive_item_record(
    *,
    by: Any,
    region: Region,
    title: str,
    made_on: dt.date,
    category: str = "",
    where: str = "",
    published_on: dt.date | None = None,
) -> Any:
    """Record an item to publish; its clock (disclosure.proactive, 20 WD) runs from when it was made."""
    authorize(by, "disclosure.proactive")
    from core.clocks.services import clock_meet

    from .models import ProactiveItem

    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "请填写信息名称"
    if not Region.objects.visible_to(by).filter(pk=region.pk).exists():
        errors["region"] = "所选区域不在您的工作范围内"
    if published_on is not None and published_on < made_on:
        errors["published_on"] = "公开日期不能早于形成日期"
    if published_on is not None and not where.strip():
        errors["where"] = "已公开的，请填写公开载体"
    if errors:
        raise ValidationError(errors)
    authorize(by, "disclosure.proactive", region)
    with acting_as(by):
        item = ProactiveItem.objects.create(
            region=region,
            title=title.strip(),
            category=category,
            made_on=made_on,
            published_on=published_on,
            where=where.strip(),
            created_by=by,
        )
    clock = clock_start(
        case=item,
        name="publish",
        rule_id="disclosure.proactive",
        started_on=made_on,
        by=by,
        title=f"主动公开：{item.title[:60]}",
        start_event="信息形成或变更",
        assignee=by,
    )
    if published_on is not None:
        clock_meet(clock=clock, met_on=published_on, by=by)
    return item


@atomic
def proactive_item_publish(*, item: Any, published_on: dt.date, where: str, by: Any) -> Any:
    authorize(by, "disclosure.proactive", item)
    from core.clocks.services import clock_meet_open

    if item.published_on is not None:
        raise ValidationError({"published_on": "该事项已公开"})
    if published_on < item.made_on:
        raise ValidationError({"published_on": "公开日期不能早于形成日期"})
    if not where.strip():
        raise ValidationError({"where": "请填写公开载体"})
    with acting_as(by):
        item.published_on, item.where = published_on, where.strip()
        item.save()
    clock_meet_open(case=item, name="publish", met_on=published_on, by=by)
    return item
