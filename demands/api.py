"""/api/v1/demands: 12345 work orders — received from the city platform (idempotent on the order number), listed,
read with their allowed actions and timeline, and moved by the workflow's actions (dispatch, accept, return,
reply, call-back)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from core.api_workflow import Detail, action_routes, with_actions
from core.audit.timeline import timeline_of
from core.models import Region
from core.pagination import PageNumberPagination
from core.permissions import authorize

from . import services
from .models import Petition, WorkOrder

router = Router(tags=["12345热线工单"])


class OrderOut(Schema):
    id: int
    number: str
    state: str
    kind: str
    time_class: str
    category: str
    content: str
    address: str
    region: int
    received_at: dt.datetime
    unit: int | None
    dispatched_on: dt.date | None
    first_contact_on: dt.date | None
    returns: int
    reopened: int
    replied_on: dt.date | None
    resolution: str
    callback_on: dt.date | None
    callback: str
    dispute: int | None
    enforcement_case: int | None
    version: int
    actions: list[str] = []

    @staticmethod
    def resolve_region(obj: WorkOrder) -> int:
        return obj.region_id

    @staticmethod
    def resolve_unit(obj: WorkOrder) -> int | None:
        return obj.unit_id

    @staticmethod
    def resolve_dispute(obj: WorkOrder) -> int | None:
        return obj.dispute_id

    @staticmethod
    def resolve_enforcement_case(obj: WorkOrder) -> int | None:
        return obj.enforcement_case_id


class OrderIn(Schema):
    number: str
    kind: str
    time_class: str = ""
    category: str
    content: str
    region: int
    received_at: dt.datetime
    address: str = ""
    caller_name: str = ""
    caller_phone: str = ""


class ReceivedOut(Schema):
    created: bool
    order: OrderOut


def _visible(request: HttpRequest) -> Any:
    return WorkOrder.objects.visible_to(request.user).select_related("region")


@router.get("/demands/orders", response=list[OrderOut], summary="12345热线工单列表")
@paginate(PageNumberPagination, page_size=50)
def order_list(request: HttpRequest, state: str = "") -> Any:
    qs = _visible(request)
    return qs.filter(state=state) if state else qs


@router.get("/demands/orders/{order_id}", response=OrderOut, summary="工单详情及当前可执行的操作")
def order_detail(request: HttpRequest, order_id: int) -> Any:
    return with_actions(get_object_or_404(_visible(request), pk=order_id), request.user)


@router.get("/demands/orders/{order_id}/timeline", response=list[dict[str, Any]], summary="工单时间线")
def order_timeline(request: HttpRequest, order_id: int) -> Any:
    order = get_object_or_404(_visible(request), pk=order_id)
    return [
        {"seq": e.seq, "at": e.at.isoformat(), "kind": e.kind, "action": e.action, "summary": e.summary}
        for e in timeline_of(order)
    ]


@router.post(
    "/demands/orders",
    response={200: ReceivedOut, 201: ReceivedOut, 400: Detail},
    summary="接收12345工单（按工单编号幂等：重复推送返回已接收的工单）",
)
def order_create(request: HttpRequest, payload: OrderIn) -> Any:
    authorize(request.user, "demands.receive")
    region = Region.objects.visible_to(request.user).filter(pk=payload.region).first()
    if region is None:
        raise ValidationError({"region": "街镇或居村不存在或不在您的工作范围内"})
    order, created = services.order_receive(
        by=request.user,
        number=payload.number,
        kind=payload.kind,
        time_class=payload.time_class,
        category=payload.category,
        content=payload.content,
        region=region,
        received_at=payload.received_at,
        address=payload.address,
        caller_name=payload.caller_name,
        caller_phone=payload.caller_phone,
    )
    return Status(201 if created else 200, {"created": created, "order": with_actions(order, request.user)})


action_routes(router, model=WorkOrder, prefix="/demands/orders", queryset=_visible, response=OrderOut)


# --- petitions (信访) ---------------------------------------------------------------------------------------


class PetitionOut(Schema):
    id: int
    number: str
    external_ref: str
    state: str
    channel: str
    people_count: int
    category: str
    content: str
    region: int
    received_on: dt.date
    accepted_on: dt.date | None
    opinion_on: dt.date | None
    opinion: str
    closed_on: dt.date | None
    dispute: int | None
    version: int
    actions: list[str] = []

    @staticmethod
    def resolve_region(obj: Petition) -> int:
        return obj.region_id

    @staticmethod
    def resolve_dispute(obj: Petition) -> int | None:
        return obj.dispute_id


class PetitionIn(Schema):
    channel: str
    petitioner: str
    category: str
    content: str
    region: int
    received_on: dt.date
    people_count: int = 1
    id_number: str = ""
    phone: str = ""
    external_ref: str = ""


class PetitionReceivedOut(Schema):
    created: bool
    petition: PetitionOut


def _petitions(request: HttpRequest) -> Any:
    return Petition.objects.visible_to(request.user).select_related("region")


@router.get("/demands/petitions", response=list[PetitionOut], summary="信访事项列表")
@paginate(PageNumberPagination, page_size=50)
def petition_list(request: HttpRequest, state: str = "") -> Any:
    qs = _petitions(request)
    return qs.filter(state=state) if state else qs


@router.get(
    "/demands/petitions/{petition_id}", response=PetitionOut, summary="信访事项详情及当前可执行的操作"
)
def petition_detail(request: HttpRequest, petition_id: int) -> Any:
    return with_actions(get_object_or_404(_petitions(request), pk=petition_id), request.user)


@router.post(
    "/demands/petitions",
    response={200: PetitionReceivedOut, 201: PetitionReceivedOut, 400: Detail},
    summary="登记信访事项（有信访信息系统编号时按编号幂等）",
)
def petition_create(request: HttpRequest, payload: PetitionIn) -> Any:
    authorize(request.user, "demands.petition_receive")
    region = Region.objects.visible_to(request.user).filter(pk=payload.region).first()
    if region is None:
        raise ValidationError({"region": "街镇或居村不存在或不在您的工作范围内"})
    petition, created = services.petition_receive(
        by=request.user,
        channel=payload.channel,
        petitioner=payload.petitioner,
        category=payload.category,
        content=payload.content,
        region=region,
        received_on=payload.received_on,
        people_count=payload.people_count,
        id_number=payload.id_number,
        phone=payload.phone,
        external_ref=payload.external_ref,
    )
    body = {"created": created, "petition": with_actions(petition, request.user)}
    return Status(201 if created else 200, body)


action_routes(router, model=Petition, prefix="/demands/petitions", queryset=_petitions, response=PetitionOut)
