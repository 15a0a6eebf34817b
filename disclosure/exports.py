"""The list of disclosure requests as a spreadsheet (core/exports.py): what the user sees, with the list's filter.

The applicant's name is there (it is on the list page); their ID number, phone and address stay in the platform.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from core.exports import ExportColumn, Exporter, ListFilter, choice_options, register
from core.ledger import due_columns, with_next_due

from .choices import ApplicantKind, RequestState
from .models import DisclosureRequest


def requests_of(user: Any, params: dict[str, Any]) -> QuerySet:
    return with_next_due(DisclosureRequest.objects.visible_to(user).select_related("region"))


def _search(qs: QuerySet, value: str) -> QuerySet:
    for word in value.split():
        qs = qs.filter(
            Q(number__icontains=word) | Q(applicant_name__icontains=word) | Q(content__icontains=word)
        )
    return qs


REQUESTS = register(
    Exporter(
        "disclosure-requests",
        "政府信息公开申请",
        [
            ExportColumn("申请编号", lambda r: r.number, 24, key="number", sort="number", link=True),
            ExportColumn("申请人", lambda r: r.applicant_name, 20, key="applicant", sort="applicant_name"),
            ExportColumn("申请人类别", lambda r: r.get_applicant_kind_display(), key="kind", default=False),
            ExportColumn("提交方式", lambda r: r.get_channel_display(), key="channel", default=False),
            ExportColumn("收到日期", lambda r: r.received_on, 12, "date", key="received", sort="received_on"),
            ExportColumn("状态", lambda r: r.get_state_display(), key="state", sort="state"),
            *due_columns(),
            ExportColumn("答复类型", lambda r: r.get_answer_type_display(), 24, key="answer", default=False),
            ExportColumn("答复日期", lambda r: r.answered_on, 12, "date", key="answered", sort="answered_on"),
            ExportColumn("答复书编号", lambda r: r.letter_number, 24, key="letter", default=False),
            ExportColumn("送达日期", lambda r: r.delivered_on, 12, "date", key="delivered", default=False),
        ],
        requests_of,
        filters=(
            ListFilter("q", "关键词", _search),
            ListFilter(
                "state", "状态", lambda qs, v: qs.filter(state=v), choice_options(RequestState.choices)
            ),
            ListFilter(
                "applicant_kind",
                "申请人类别",
                lambda qs, v: qs.filter(applicant_kind=v),
                choice_options(ApplicantKind.choices),
            ),
        ),
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
