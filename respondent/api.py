"""/api/v1/respondent: reconsideration and litigation cases where the street is respondent or defendant — listed,
read with their allowed actions, registered (idempotent on the body's case number), moved by the workflow."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from core.api_workflow import Detail, action_routes, with_actions
from core.models import Unit
from core.pagination import PageNumberPagination
from core.permissions import authorize

from . import services
from .models import RespondentCase

router = Router(tags=["行政复议和行政应诉"])


class CaseOut(Schema):
    id: int
    number: str
    state: str
    kind: str
    body: str
    body_ref: str
    applicant: str
    act_kind: str
    act: str
    filed_on: dt.date
    received_on: dt.date
    replied_on: dt.date | None
    decided_on: dt.date | None
    outcome: str
    instance: str
    rectified_on: dt.date | None
    closed_on: dt.date | None
    version: int
    actions: list[str] = []


class CaseIn(Schema):
    kind: str
    body: str
    body_ref: str = ""
    applicant: str
    unit: int
    act_kind: str
    act: str
    filed_on: dt.date
    received_on: dt.date
    after_reconsideration: bool = False


class ReceivedOut(Schema):
    created: bool
    case: CaseOut


def _visible(request: HttpRequest) -> Any:
    return RespondentCase.objects.visible_to(request.user)


@router.get("/respondent/cases", response=list[CaseOut], summary="行政复议、行政诉讼案件列表")
@paginate(PageNumberPagination, page_size=50)
def case_list(request: HttpRequest, state: str = "") -> Any:
    qs = _visible(request)
    return qs.filter(state=state) if state else qs


@router.get("/respondent/cases/{case_id}", response=CaseOut, summary="案件详情及当前可执行的操作")
def case_detail(request: HttpRequest, case_id: int) -> Any:
    return with_actions(get_object_or_404(_visible(request), pk=case_id), request.user)


@router.post(
    "/respondent/cases",
    response={200: ReceivedOut, 201: ReceivedOut, 400: Detail},
    summary="登记收到的复议申请书或起诉状副本（有案号时按案号幂等）",
)
def case_create(request: HttpRequest, payload: CaseIn) -> Any:
    authorize(request.user, "respondent.receive")
    unit = Unit.objects.visible_to(request.user).filter(pk=payload.unit).first()
    if unit is None:
        raise ValidationError({"unit": "单位不存在或不在您的工作范围内"})
    if payload.body_ref.strip():
        found = _visible(request).filter(body_ref=payload.body_ref.strip(), kind=payload.kind).first()
        if found is not None:
            return Status(200, {"created": False, "case": with_actions(found, request.user)})
    case = services.case_receive(
        by=request.user,
        kind=payload.kind,
        body=payload.body,
        body_ref=payload.body_ref,
        applicant=payload.applicant,
        unit=unit,
        act_kind=payload.act_kind,
        act=payload.act,
        filed_on=payload.filed_on,
        received_on=payload.received_on,
        after_reconsideration=payload.after_reconsideration,
    )
    return Status(201, {"created": True, "case": with_actions(case, request.user)})


action_routes(router, model=RespondentCase, prefix="/respondent/cases", queryset=_visible, response=CaseOut)
