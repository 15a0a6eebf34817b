"""The list of disclosure requests as a spreadsheet (core/exports.py): what the user sees, with the list's filter.

The applicant's name is there (it is on the list page); their ID number, phone and address stay in the platform.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from core.exports import ExportColumn, Exporter, register

from .choices import RequestState
from .models import DisclosureRequest


def clean_filters(user: Any, query: Any) -> dict[str, Any]:
    state = query.get("state") if query is not None else None
    return {"state": state} if state in RequestState.values else {}


def requests_of(user: Any, params: dict[str, Any]) -> QuerySet:
    qs = DisclosureRequest.objects.visible_to(user).select_related("region")
    return qs.filter(state=params["state"]) if params.get("state") else qs


REQUESTS = register(
    Exporter(
        "disclosure-requests",
        "政府信息公开申请",
        [
            ExportColumn("申请编号", lambda r: r.number, 24),
            ExportColumn("申请人", lambda r: r.applicant_name, 20),
            ExportColumn("申请人类别", lambda r: r.get_applicant_kind_display()),
            ExportColumn("提交方式", lambda r: r.get_channel_display()),
            ExportColumn("收到日期", lambda r: r.received_on),
            ExportColumn("状态", lambda r: r.get_state_display()),
            ExportColumn("答复类型", lambda r: r.get_answer_type_display(), 24),
            ExportColumn("答复日期", lambda r: r.answered_on),
            ExportColumn("答复书编号", lambda r: r.letter_number, 24),
            ExportColumn("送达日期", lambda r: r.delivered_on),
        ],
        requests_of,
        clean=clean_filters,
        list_url="disclosure:list",
    )
)


def proactive_of(user: Any, params: dict[str, Any]) -> QuerySet:
    from .models import ProactiveItem

    return ProactiveItem.objects.visible_to(user).select_related("region")


PROACTIVE = register(
    Exporter(
        "disclosure-proactive",
        "主动公开事项",
        [
            ExportColumn("信息名称", lambda i: i.title, 40),
            ExportColumn("类别", lambda i: i.category),
            ExportColumn("公开主体所在区域", lambda i: i.region.name),
            ExportColumn("形成或变更日期", lambda i: i.made_on),
            ExportColumn("公开日期", lambda i: i.published_on),
            ExportColumn("公开载体", lambda i: i.where, 20),
        ],
        proactive_of,
        list_url="disclosure:proactive",
    )
)
