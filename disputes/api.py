"""/api/v1/disputes: list, detail, timeline, actions, intake (idempotent), stats, weekly report."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from core.api_workflow import Detail, action_routes, with_actions
from core.audit.timeline import timeline_of
from core.documents import as_attachment
from core.models import Region
from core.pagination import PageNumberPagination
from core.personal import mask_id_number, mask_phone

from . import reports, selectors, services
from .choices import DisputeState
from .models import Dispute, Party

router = Router(tags=["矛盾纠纷"])


class PartyIn(Schema):
    role: str = Field(description="applicant | respondent | third_party")
    kind: str = "person"
    name: str
    id_number: str = ""
    phone: str = ""
    address: str = ""
    uscc: str = ""


class IntakeIn(Schema):
    source: str = Field(description="纠纷来源代码，如 hotline_12345")
    external_ref: str = Field("", description="来源系统的编号；同一来源同一编号重复提交返回同一纠纷")
    dispute_type: str = Field(description="纠纷类型代码，如 neighbour")
    community: int = Field(description="居村区域 id")
    grid: int | None = None
    description: str
    address: str = ""
    amount: Decimal | None = None
    people_count: int = 1
    threat: bool = False
    received_at: dt.datetime | None = None
    parties: list[PartyIn]


class PartyOut(Schema):
    role: str
    kind: str
    name: str
    id_number_masked: str
    phone_masked: str

    @staticmethod
    def resolve_id_number_masked(obj: Party) -> str:
        return mask_id_number(obj.id_number) if obj.id_number else ""

    @staticmethod
    def resolve_phone_masked(obj: Party) -> str:
        return mask_phone(obj.phone) if obj.phone else ""


class DisputeOut(Schema):
    id: int
    number: str
    state: str
    state_label: str
    source: str
    dispute_type: str
    region_id: int
    region: str
    received_at: dt.datetime
    risk_level: str
    people_count: int
    amount: Decimal | None
    escalated_out: bool
    closed_on: dt.date | None
    version: int

    @staticmethod
    def resolve_state_label(obj: Dispute) -> str:
        return obj.get_state_display()

    @staticmethod
    def resolve_dispute_type(obj: Dispute) -> str:
        return obj.dispute_type.code

    @staticmethod
    def resolve_region(obj: Dispute) -> str:
        return obj.region.name


class DisputeDetailOut(DisputeOut):
    description: str
    tracking_code: str
    risk_reasons: list[dict[str, Any]]
    parties: list[PartyOut]
    actions: list[str]

    @staticmethod
    def resolve_parties(obj: Dispute) -> list[Party]:
        return list(obj.parties.all())


class IntakeOut(Schema):
    created: bool
    dispute: DisputeDetailOut


class EventOut(Schema):
    seq: int
    at: dt.datetime
    actor: str | None
    kind: str
    action: str
    summary: str
    data: dict[str, Any]


@router.get("/disputes", response=list[DisputeOut], summary="纠纷列表（与页面相同的筛选）")
@paginate(PageNumberPagination, page_size=50)
def dispute_list(
    request: HttpRequest,
    q: str = "",
    party: str = "",
    state: str = "",
    dispute_type: str = "",
    source: str = "",
    community: int | None = None,
    risk: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    queue: str = "",
) -> Any:
    filters = selectors.Filters(
        q=q,
        party=party,
        state=state,
        dispute_type=dispute_type,
        source=source,
        community=community,
        risk=risk,
        date_from=date_from,
        date_to=date_to,
        queue=queue,
    )
    return selectors.apply_filters(selectors.dispute_list(request.user), filters, request.user)


@router.post(
    "/disputes",
    response={200: IntakeOut, 201: IntakeOut, 400: Detail},
    summary="受理登记（按来源+来源编号幂等）",
)
def dispute_create(request: HttpRequest, payload: IntakeIn) -> Any:
    result = services.dispute_intake(
        by=request.user,
        source=payload.source,
        external_ref=payload.external_ref,
        dispute_type=payload.dispute_type,
        community=payload.community,
        grid=payload.grid,
        description=payload.description,
        address=payload.address,
        amount=payload.amount,
        people_count=payload.people_count,
        threat=payload.threat,
        received_at=payload.received_at,
        parties=[p.dict() for p in payload.parties],
    )
    if (
        not result.created
        and not Dispute.objects.visible_to(request.user).filter(pk=result.dispute.pk).exists()
    ):
        raise ValidationError({"external_ref": "该来源编号已被使用"})
    return Status(
        201 if result.created else 200,
        {"created": result.created, "dispute": with_actions(result.dispute, request.user)},
    )


@router.get(
    "/disputes/stats", response={200: dict[str, Any], 400: Detail}, summary="任一区域、任一期间的统计"
)
def dispute_stats(
    request: HttpRequest,
    region: int,
    date_from: dt.date = Query(..., alias="from"),
    date_to: dt.date = Query(..., alias="to"),
) -> Any:
    root = get_object_or_404(Region.objects.visible_to(request.user), pk=region)
    if date_to < date_from:
        return Status(400, {"detail": [{"field": "to", "message": "参数 to：结束日期不能早于开始日期"}]})
    return Status(200, reports.stats_dict(selectors.stats(request.user, root, date_from, date_to)))


@router.get(
    "/disputes/weekly-report",
    response={200: dict[str, Any], 400: Detail},
    summary="民情分析周报（json|docx|xlsx）",
)
def weekly_report(request: HttpRequest, region: int, week: str, format: str = "json") -> Any:
    root = get_object_or_404(Region.objects.visible_to(request.user), pk=region)
    if format not in ("json", "docx", "xlsx"):
        return Status(
            400, {"detail": [{"field": "format", "message": "参数 format：应为 json、docx 或 xlsx"}]}
        )
    try:
        report = reports.weekly_report(request.user, root, week)
    except ValueError as exc:
        return Status(400, {"detail": [{"field": "week", "message": f"参数 week：{exc}"}]})
    if format == "docx":
        return as_attachment(reports.weekly_docx(report), f"民情分析周报-{root.name}-{week}.docx")
    if format == "xlsx":
        return as_attachment(reports.weekly_xlsx(report), f"民情分析周报-{root.name}-{week}.xlsx")
    return Status(200, report)


@router.get("/disputes/{dispute_id}", response=DisputeDetailOut)
def dispute_detail(request: HttpRequest, dispute_id: int) -> Any:
    return with_actions(selectors.dispute_detail(request.user, dispute_id), request.user)


@router.get("/disputes/{dispute_id}/timeline", response=list[EventOut])
def dispute_timeline(request: HttpRequest, dispute_id: int) -> Any:
    dispute = selectors.dispute_detail(request.user, dispute_id)
    return [
        {
            "seq": e.seq,
            "at": e.at,
            "actor": str(e.actor) if e.actor else None,
            "kind": e.kind,
            "action": e.action,
            "summary": e.summary,
            "data": e.data,
        }
        for e in timeline_of(dispute)
    ]


action_routes(
    router,
    model=Dispute,
    prefix="/disputes",
    queryset=lambda request: selectors.disputes_visible(request.user),
    response=DisputeDetailOut,
)


__all__ = ["DisputeState", "router"]
