"""/api/v1/disclosure: requests on application — list, detail, timeline, workflow actions."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from core.api_workflow import Detail, action_routes, with_actions
from core.audit.timeline import timeline_of
from core.pagination import PageNumberPagination

from .models import DisclosureRequest

router = Router(tags=["政务公开"])


class RequestOut(Schema):
    id: int
    number: str
    state: str
    channel: str
    submitted_on: dt.date
    received_on: dt.date
    receipt_basis: str
    applicant_kind: str
    applicant_name: str
    content: str
    answer_type: str
    answered_on: dt.date | None
    letter_number: str
    delivered_on: dt.date | None
    version: int
    actions: list[str] = []


def _visible(request: HttpRequest) -> Any:
    return DisclosureRequest.objects.visible_to(request.user)


@router.get("/disclosure/requests", response=list[RequestOut], summary="依申请公开：申请列表")
@paginate(PageNumberPagination, page_size=50)
def request_list(request: HttpRequest, state: str = "") -> Any:
    qs = _visible(request)
    return qs.filter(state=state) if state else qs


@router.get("/disclosure/requests/{request_id}", response=RequestOut)
def request_detail(request: HttpRequest, request_id: int) -> Any:
    return with_actions(get_object_or_404(_visible(request), pk=request_id), request.user)


@router.get("/disclosure/requests/{request_id}/timeline", response=list[dict[str, Any]])
def request_timeline(request: HttpRequest, request_id: int) -> Any:
    req = get_object_or_404(_visible(request), pk=request_id)
    return [
        {"seq": e.seq, "at": e.at.isoformat(), "kind": e.kind, "action": e.action, "summary": e.summary}
        for e in timeline_of(req)
    ]


action_routes(
    router,
    model=DisclosureRequest,
    prefix="/disclosure/requests",
    queryset=_visible,
    response=RequestOut,
)


@router.get(
    "/disclosure/annual-report",
    response={200: dict[str, Any], 400: Detail},
    summary="政府信息公开工作年度报告统计表（json|docx|xlsx）",
)
def annual_report(request: HttpRequest, region: int, year: int, format: str = "json") -> Any:
    from core.documents import as_attachment
    from core.models import Region

    from .annual import annual_docx, annual_tables, annual_xlsx

    root = get_object_or_404(Region.objects.visible_to(request.user), pk=region)
    if format not in ("json", "docx", "xlsx"):
        return Status(
            400, {"detail": [{"field": "format", "message": "参数 format：应为 json、docx 或 xlsx"}]}
        )
    if not 2000 <= year <= 2100:
        return Status(400, {"detail": [{"field": "year", "message": "参数 year：应为四位年份"}]})
    tables = annual_tables(request.user, root, year)
    name = f"{root.name}{year}年政府信息公开工作年度报告统计表"
    if format == "docx":
        return as_attachment(annual_docx(tables), f"{name}.docx")
    if format == "xlsx":
        return as_attachment(annual_xlsx(tables), f"{name}.xlsx")
    return Status(200, tables)
