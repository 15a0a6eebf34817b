"""/api/v1/administration: legality reviews, major decisions, normative documents (in force) — scoped."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from core.api_workflow import action_routes, with_actions
from core.models import Region
from core.pagination import PageNumberPagination

from . import services
from .models import MajorDecision, NormativeDocument, ReviewItem

router = Router(tags=["依法行政"])


class ReviewOut(Schema):
    id: int
    number: str
    kind: str
    title: str
    state: str
    submitted_on: dt.date
    conclusion: str
    opinion_on: dt.date | None
    opinion_number: str
    version: int
    actions: list[str] = []


class DecisionOut(Schema):
    id: int
    year: int
    title: str
    state: str
    review_id: int | None
    meeting_on: dt.date | None
    decided_on: dt.date | None
    version: int
    actions: list[str] = []


class DocumentOut(Schema):
    id: int
    title: str
    state: str
    doc_number: str
    trial: bool
    effective_on: dt.date | None
    expires_on: dt.date | None
    version: int
    actions: list[str] = []


@router.get("/administration/reviews", response=list[ReviewOut], summary="合法性审查事项")
@paginate(PageNumberPagination, page_size=50)
def reviews(request: HttpRequest, kind: str = "", state: str = "") -> Any:
    qs = ReviewItem.objects.visible_to(request.user)
    return qs.filter(**{k: v for k, v in {"kind": kind, "state": state}.items() if v})


@router.get("/administration/reviews/{item_id}", response=ReviewOut)
def review(request: HttpRequest, item_id: int) -> Any:
    return with_actions(
        get_object_or_404(ReviewItem.objects.visible_to(request.user), pk=item_id), request.user
    )


action_routes(
    router,
    model=ReviewItem,
    prefix="/administration/reviews",
    response=ReviewOut,
)


@router.get("/administration/decisions", response=list[DecisionOut], summary="重大行政决策")
@paginate(PageNumberPagination, page_size=50)
def decisions(request: HttpRequest, year: int | None = None) -> Any:
    qs = MajorDecision.objects.visible_to(request.user)
    return qs.filter(year=year) if year else qs


action_routes(
    router,
    model=MajorDecision,
    prefix="/administration/decisions",
    response=DecisionOut,
)


@router.get(
    "/administration/normative-documents",
    response=list[DocumentOut],
    summary="行政规范性文件（in_force=true 只列现行有效）",
)
@paginate(PageNumberPagination, page_size=50)
def documents(request: HttpRequest, in_force: bool = False, region: int | None = None) -> Any:
    if in_force:
        root = get_object_or_404(Region.objects.visible_to(request.user), pk=region) if region else None
        return services.documents_in_force(root, on=timezone.localdate(), user=request.user)
    return NormativeDocument.objects.visible_to(request.user)


action_routes(
    router,
    model=NormativeDocument,
    prefix="/administration/normative-documents",
    response=DocumentOut,
)
