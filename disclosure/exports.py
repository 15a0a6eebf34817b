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
    """The proactive items with the last day of their 20-working-day clock (``publish_due``)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import OuterRef, Subquery

    from core.models import Clock

    from .models import ProactiveItem

    clock = Clock.objects.filter(
        content_type=ContentType.objects.get_for_model(ProactiveItem),
        object_id=OuterRef("pk"),
        name="publish",
    )
    return (
        ProactiveItem.objects.visible_to(user)
        .select_related("region")
        .annotate(
            publish_due=Subquery(clock.values("due_on")[:1]), publish_met=Subquery(clock.values("met_on")[:1])
        )
        .order_by("-made_on", "-pk")
    )


def publication(item: Any) -> str:
    """The state of the item's time limit (《政府信息公开条例》第26条), in the clocks' own words (按期办结 …)."""
    from django.conf import settings

    from core.clocks.engine import clock_state
    from core.clocks.services import today

    due = getattr(item, "publish_due", None)
    if due is None:
        return ""
    return str(clock_state(due, item.publish_met, today(), settings.FAZHI_DUE_SOON_DAYS).label)


def _publication_filter(qs: QuerySet, value: str) -> QuerySet:
    from core.clocks.services import today

    if value == "published":
        return qs.filter(published_on__isnull=False)
    if value == "late":
        return qs.filter(published_on__isnull=True, publish_due__lt=today())
    return qs.filter(published_on__isnull=True)


PROACTIVE = register(
    Exporter(
        "disclosure-proactive",
        "主动公开事项",
        [
            ExportColumn("信息名称", lambda i: i.title, 40, key="title", sort="title"),
            ExportColumn("类别", lambda i: i.category, key="category", sort="category"),
            ExportColumn("公开主体所在区域", lambda i: i.region.name, key="region", default=False),
            ExportColumn("形成或变更日期", lambda i: i.made_on, 12, "date", key="made", sort="made_on"),
            ExportColumn("应公开截止", lambda i: i.publish_due, 12, "date", key="due", sort="publish_due"),
            ExportColumn(
                "公开日期", lambda i: i.published_on, 12, "date", key="published", sort="published_on"
            ),
            ExportColumn("公开载体", lambda i: i.where, 20, key="where"),
            ExportColumn("公开情况", publication, 12, key="publication"),
        ],
        proactive_of,
        filters=(
            ListFilter("q", "关键词", lambda qs, v: qs.filter(title__icontains=v)),
            ListFilter(
                "publication",
                "公开情况",
                _publication_filter,
                lambda user: [("published", "已公开"), ("pending", "未公开"), ("late", "逾期未公开")],
            ),
        ),
        list_url="disclosure:proactive",
    )
)
