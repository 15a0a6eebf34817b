"""/api/v1/enforcement: cases — list, detail, timeline, 立案 (idempotent on source + source reference), workflow
actions; the street's catalogue of items."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
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
from .models import EnforcementCase, EnforcementItem

router = Router(tags=["行政执法"])


class CaseOut(Schema):
    id: int
    number: str
    state: str
    procedure: str
    source: str
    source_ref: str
    item_code: str
    party_kind: str
    party_name: str
    offence_on: dt.date
    filed_on: dt.date
    decided_on: dt.date | None
    outcome: str
    fine: Decimal | None
    decision_number: str
    served_on: dt.date | None
    published_on: dt.date | None
    closed_on: dt.date | None
    version: int
    actions: list[str] = []

    @staticmethod
    def resolve_item_code(obj: EnforcementCase) -> str:
        return obj.item.code


class CaseIn(Schema):
    procedure: str
    source: str
    source_ref: str = ""
    item_code: str
    community: int
    party_kind: str
    party_name: str
    party_id_number: str = ""
    party_uscc: str = ""
    party_address: str = ""
    facts: str
    offence_on: dt.date
    filed_on: dt.date
    harms_safety: bool = False
    officers: list[int]


class FiledOut(Schema):
    created: bool
    case: CaseOut


class ItemOut(Schema):
    code: str
    name: str
    basis: str
    penalty_range: str
    fine_max: Decimal | None
    minor_exempt: bool
    needs_review: bool
    review_threshold: Decimal | None


def _visible(request: HttpRequest) -> Any:
    return EnforcementCase.objects.visible_to(request.user).select_related("item")


@router.get("/enforcement/cases", response=list[CaseOut], summary="行政执法案件列表")
@paginate(PageNumberPagination, page_size=50)
def case_list(request: HttpRequest, state: str = "") -> Any:
    qs = _visible(request)
    return qs.filter(state=state) if state else qs


@router.get("/enforcement/cases/{case_id}", response=CaseOut)
def case_detail(request: HttpRequest, case_id: int) -> Any:
    return with_actions(get_object_or_404(_visible(request), pk=case_id), request.user)


@router.get("/enforcement/cases/{case_id}/timeline", response=list[dict[str, Any]])
def case_timeline(request: HttpRequest, case_id: int) -> Any:
    case = get_object_or_404(_visible(request), pk=case_id)
    return [
        {"seq": e.seq, "at": e.at.isoformat(), "kind": e.kind, "action": e.action, "summary": e.summary}
        for e in timeline_of(case)
    ]


@router.post(
    "/enforcement/cases",
    response={200: FiledOut, 201: FiledOut, 400: Detail},
    summary="立案或登记简易程序案件（有来源编号时按来源+来源编号幂等）",
)
def case_create(request: HttpRequest, payload: CaseIn) -> Any:
    authorize(request.user, "enforcement.file")
    community = (
        Region.objects.visible_to(request.user).filter(pk=payload.community, level="community").first()
    )
    if community is None:
        raise ValidationError({"community": "居村不存在或不在您的工作范围内"})
    street = community.ancestor_at("street") or community
    if payload.source_ref.strip():
        existing = _visible(request).filter(
            source=payload.source, source_ref=payload.source_ref.strip(), region__path__startswith=street.path
        )
        if (found := existing.first()) is not None:
            return Status(200, {"created": False, "case": with_actions(found, request.user)})
    item = (
        EnforcementItem.objects.visible_to(request.user).filter(region=street, code=payload.item_code).first()
    )
    if item is None:
        raise ValidationError(
            {"item_code": f"执法事项编码{payload.item_code}不在{street.name}的执法事项目录中"}
        )
    case = services.case_file(
        by=request.user,
        procedure=payload.procedure,
        source=payload.source,
        source_ref=payload.source_ref,
        item_id=item.pk,
        community=community,
        party_kind=payload.party_kind,
        party_name=payload.party_name,
        party_id_number=payload.party_id_number,
        party_uscc=payload.party_uscc,
        party_address=payload.party_address,
        facts=payload.facts,
        offence_on=payload.offence_on,
        filed_on=payload.filed_on,
        harms_safety=payload.harms_safety,
        officer_ids=payload.officers,
    )
    return Status(201, {"created": True, "case": with_actions(case, request.user)})


action_routes(router, model=EnforcementCase, prefix="/enforcement/cases", queryset=_visible, response=CaseOut)


@router.get("/enforcement/items", response=list[ItemOut], summary="执法事项目录")
@paginate(PageNumberPagination, page_size=100)
def item_list(request: HttpRequest, street: int) -> Any:
    region = get_object_or_404(Region.objects.visible_to(request.user), pk=street)
    return (
        EnforcementItem.objects.visible_to(request.user).filter(region=region, active=True).order_by("code")
    )
