"""The legality-review list as a spreadsheet (core/exports.py): what the user sees, with the list's filter."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from core.exports import ExportColumn, Exporter, register

from .choices import ReviewKind, ReviewState
from .models import ReviewItem


def clean_filters(user: Any, query: Any) -> dict[str, Any]:
    """The list's filters (kind, state) as params; an unknown value is dropped."""
    params: dict[str, Any] = {}
    if query is not None:
        if query.get("kind") in ReviewKind.values:
            params["kind"] = query.get("kind")
        if query.get("state") in ReviewState.values:
            params["state"] = query.get("state")
    return params


def reviews_of(user: Any, params: dict[str, Any]) -> QuerySet:
    qs = ReviewItem.objects.visible_to(user).select_related("submitting_unit", "reviewer", "region")
    return qs.filter(**{k: v for k, v in params.items() if k in ("kind", "state")})


REVIEWS = register(
    Exporter(
        "legality-reviews",
        "合法性审查",
        [
            ExportColumn("审查编号", lambda r: r.number, 24),
            ExportColumn("事项类别", lambda r: r.get_kind_display(), 14),
            ExportColumn("事项名称", lambda r: r.title, 40),
            ExportColumn("送审单位", lambda r: r.submitting_unit.name, 24),
            ExportColumn("送审日期", lambda r: r.submitted_on),
            ExportColumn("状态", lambda r: r.get_state_display()),
            ExportColumn("审查人员", lambda r: r.reviewer.name if r.reviewer else ""),
            ExportColumn("审查结论", lambda r: r.get_conclusion_display()),
            ExportColumn("出具意见日期", lambda r: r.opinion_on),
            ExportColumn("意见书编号", lambda r: r.opinion_number, 24),
        ],
        reviews_of,
        clean=clean_filters,
        list_url="administration:reviews",
    )
)


def contracts_of(user: Any, params: dict[str, Any]) -> QuerySet:
    from .models import ContractDetails

    return (
        ContractDetails.objects.filter(review__in=ReviewItem.objects.visible_to(user))
        .select_related("review")
        .order_by("-review__submitted_on", "-pk")
    )


def meetings_of(user: Any, params: dict[str, Any]) -> QuerySet:
    from .models import MeetingAttendance

    return (
        MeetingAttendance.objects.visible_to(user)
        .select_related("region")
        .prefetch_related("suggestions")
        .order_by("-held_on", "-pk")
    )


def normative_of(user: Any, params: dict[str, Any]) -> QuerySet:
    from .models import NormativeDocument

    return NormativeDocument.objects.visible_to(user).select_related("drafting_unit")


CONTRACTS = register(
    Exporter(
        "contracts",
        "合同审核",
        [
            ExportColumn("合同", lambda c: c.review.title, 36),
            ExportColumn("审查编号", lambda c: c.review.number, 24),
            ExportColumn("合同相对方", lambda c: c.counterparty, 28),
            ExportColumn("合同类型", lambda c: c.contract_type),
            ExportColumn("合同金额（元）", lambda c: c.amount, 16),
            ExportColumn("期限起", lambda c: c.term_start),
            ExportColumn("期限止", lambda c: c.term_end),
            ExportColumn("签订日期", lambda c: c.signed_on),
            ExportColumn("审查状态", lambda c: c.review.get_state_display()),
            ExportColumn("审查结论", lambda c: c.review.get_conclusion_display()),
        ],
        contracts_of,
        list_url="administration:contracts",
    )
)
MEETINGS = register(
    Exporter(
        "meetings",
        "列席会议",
        [
            ExportColumn("会议日期", lambda m: m.held_on),
            ExportColumn("街镇", lambda m: m.region.name),
            ExportColumn("会议", lambda m: m.meeting, 18),
            ExportColumn("列席人", lambda m: m.attendee),
            ExportColumn("议题", lambda m: m.topics, 40),
            ExportColumn("法律建议", lambda m: "；".join(s.text for s in m.suggestions.all()), 50),
        ],
        meetings_of,
        list_url="administration:meetings",
    )
)
NORMATIVE = register(
    Exporter(
        "normative-documents",
        "行政规范性文件",
        [
            ExportColumn("文件名称", lambda d: d.title, 40),
            ExportColumn("文号", lambda d: d.doc_number, 24),
            ExportColumn("起草单位", lambda d: d.drafting_unit.name if d.drafting_unit_id else "", 20),
            ExportColumn("状态", lambda d: d.get_state_display()),
            ExportColumn("暂行或试行", lambda d: d.trial, 10),
            ExportColumn("公布日期", lambda d: d.published_on),
            ExportColumn("施行日期", lambda d: d.effective_on),
            ExportColumn("有效期至", lambda d: d.expires_on),
            ExportColumn("报送备案日期", lambda d: d.filed_on),
        ],
        normative_of,
        list_url="administration:normative",
    )
)
