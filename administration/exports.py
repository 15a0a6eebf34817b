"""The lists of legality reviews, contracts, meetings attended and normative documents as ledgers
(core/ledger.py): their columns, filters and sorts, shared by the page and its Excel export."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from core.exports import ExportColumn, Exporter, ListFilter, choice_options, register

from .choices import Conclusion, ReviewKind, ReviewState
from .models import ReviewItem


def _text(*fields: str) -> Any:
    """A free-text filter over ``fields`` (each word must appear in one of them)."""

    def apply(qs: QuerySet, value: str) -> QuerySet:
        for word in value.split():
            q = Q()
            for f in fields:
                q |= Q(**{f"{f}__icontains": word})
            # through a sub-select, so that a row matching in two of its suggestions is listed once
            qs = qs.filter(pk__in=qs.model._base_manager.filter(q).values("pk"))
        return qs

    return apply


def _years(model_field: str, model: Any) -> Any:
    """The years present in the user's rows, newest first, for a year filter."""

    def options(user: Any) -> list[tuple[str, str]]:
        dates = model.objects.visible_to(user).dates(model_field, "year", order="DESC")
        return [(str(d.year), f"{d.year}年") for d in dates]

    return options


def reviews_of(user: Any, params: dict[str, Any]) -> QuerySet:
    return ReviewItem.objects.visible_to(user).select_related("submitting_unit", "reviewer", "region")


REVIEWS = register(
    Exporter(
        "legality-reviews",
        "合法性审查",
        [
            ExportColumn("审查编号", lambda r: r.number, 24, key="number", sort="number", link=True),
            ExportColumn("事项类别", lambda r: r.get_kind_display(), 14, key="kind", sort="kind"),
            ExportColumn("事项名称", lambda r: r.title, 40, key="title", sort="title"),
            ExportColumn(
                "送审单位", lambda r: r.submitting_unit.name, 24, key="unit", sort="submitting_unit__name"
            ),
            ExportColumn(
                "送审日期", lambda r: r.submitted_on, 12, "date", key="submitted", sort="submitted_on"
            ),
            ExportColumn("状态", lambda r: r.get_state_display(), key="state", sort="state"),
            ExportColumn("审查人员", lambda r: r.reviewer.name if r.reviewer else "", key="reviewer"),
            ExportColumn("审查结论", lambda r: r.get_conclusion_display(), key="conclusion", default=False),
            ExportColumn(
                "出具意见日期", lambda r: r.opinion_on, 12, "date", key="opinion", sort="opinion_on"
            ),
            ExportColumn("意见书编号", lambda r: r.opinion_number, 24, key="opinion_number", default=False),
        ],
        reviews_of,
        filters=(
            ListFilter("q", "关键词", _text("title", "number", "submitting_unit__name")),
            ListFilter(
                "kind", "事项类别", lambda qs, v: qs.filter(kind=v), choice_options(ReviewKind.choices)
            ),
            ListFilter(
                "state", "状态", lambda qs, v: qs.filter(state=v), choice_options(ReviewState.choices)
            ),
            ListFilter(
                "year",
                "送审年度",
                lambda qs, v: qs.filter(submitted_on__year=int(v)),
                _years("submitted_on", ReviewItem),
            ),
        ),
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


def _contract_years(user: Any) -> list[tuple[str, str]]:
    return _years("submitted_on", ReviewItem)(user)


def _normative_states(user: Any) -> list[tuple[str, str]]:
    from .choices import NormativeState

    return choice_options(NormativeState.choices)(user)


def _meeting_years(user: Any) -> list[tuple[str, str]]:
    from .models import MeetingAttendance

    return _years("held_on", MeetingAttendance)(user)


def _expiring(qs: QuerySet, value: str) -> QuerySet:
    import datetime as dt

    from core.clocks.services import today

    day = today()
    if value == "soon":  # in force and expiring within six months
        return qs.filter(
            expires_on__gte=day, expires_on__lte=day + dt.timedelta(days=183), ended_on__isnull=True
        )
    return qs.filter(expires_on__lt=day)  # past their validity


CONTRACTS = register(
    Exporter(
        "contracts",
        "合同审核",
        [
            ExportColumn("合同", lambda c: c.review.title, 36, key="title", sort="review__title", link=True),
            ExportColumn(
                "审查编号", lambda c: c.review.number, 24, key="number", sort="review__number", default=False
            ),
            ExportColumn("合同相对方", lambda c: c.counterparty, 28, key="counterparty", sort="counterparty"),
            ExportColumn("合同类型", lambda c: c.contract_type, key="type", sort="contract_type"),
            ExportColumn("合同金额", lambda c: c.amount, 16, "wan", key="amount", sort="amount"),
            ExportColumn("期限起", lambda c: c.term_start, 12, "date", key="start", default=False),
            ExportColumn("期限止", lambda c: c.term_end, 12, "date", key="end", sort="term_end"),
            ExportColumn(
                "签订日期", lambda c: c.signed_on, 12, "date", key="signed", sort="signed_on", default=False
            ),
            ExportColumn(
                "审查状态", lambda c: c.review.get_state_display(), key="state", sort="review__state"
            ),
            ExportColumn("审查结论", lambda c: c.review.get_conclusion_display(), key="conclusion"),
        ],
        contracts_of,
        filters=(
            ListFilter("q", "关键词", _text("review__title", "counterparty", "contract_type")),
            ListFilter(
                "state",
                "审查状态",
                lambda qs, v: qs.filter(review__state=v),
                choice_options(ReviewState.choices),
            ),
            ListFilter(
                "conclusion",
                "审查结论",
                lambda qs, v: qs.filter(review__conclusion=v),
                choice_options(Conclusion.choices),
            ),
            ListFilter(
                "year",
                "送审年度",
                lambda qs, v: qs.filter(review__submitted_on__year=int(v)),
                _contract_years,
            ),
        ),
        list_url="administration:contracts",
        row_url=lambda c: c.review.get_absolute_url(),
    )
)
MEETINGS = register(
    Exporter(
        "meetings",
        "列席会议",
        [
            ExportColumn("会议日期", lambda m: m.held_on, 12, "date", key="held", sort="held_on"),
            ExportColumn("街镇", lambda m: m.region.name, key="region", sort="region__name"),
            ExportColumn("会议", lambda m: m.meeting, 18, key="meeting", sort="meeting"),
            ExportColumn("列席人", lambda m: m.attendee, key="attendee", sort="attendee"),
            ExportColumn("议题", lambda m: m.topics, 40, key="topics"),
            ExportColumn(
                "法律建议", lambda m: "；".join(s.text for s in m.suggestions.all()), 50, key="suggestions"
            ),
        ],
        meetings_of,
        filters=(
            ListFilter("q", "关键词", _text("meeting", "attendee", "topics", "suggestions__text")),
            ListFilter("year", "年度", lambda qs, v: qs.filter(held_on__year=int(v)), _meeting_years),
        ),
        list_url="administration:meetings",
    )
)
NORMATIVE = register(
    Exporter(
        "normative-documents",
        "行政规范性文件",
        [
            ExportColumn("文件名称", lambda d: d.title, 40, key="title", sort="title", link=True),
            ExportColumn("文号", lambda d: d.doc_number, 24, key="number", sort="doc_number"),
            ExportColumn(
                "起草单位",
                lambda d: d.drafting_unit.name if d.drafting_unit_id else "",
                20,
                key="unit",
                default=False,
            ),
            ExportColumn("状态", lambda d: d.get_state_display(), key="state", sort="state"),
            ExportColumn("暂行或试行", lambda d: d.trial, 10, key="trial", default=False),
            ExportColumn(
                "公布日期", lambda d: d.published_on, 12, "date", key="published", sort="published_on"
            ),
            ExportColumn("施行日期", lambda d: d.effective_on, 12, "date", key="effective", default=False),
            ExportColumn("有效期至", lambda d: d.expires_on, 12, "date", key="expires", sort="expires_on"),
            ExportColumn("报送备案日期", lambda d: d.filed_on, 12, "date", key="filed", default=False),
        ],
        normative_of,
        filters=(
            ListFilter("q", "关键词", _text("title", "doc_number")),
            ListFilter("state", "状态", lambda qs, v: qs.filter(state=v), _normative_states),
            ListFilter(
                "validity",
                "有效期",
                _expiring,
                lambda user: [("soon", "半年内到期"), ("past", "已过有效期")],
            ),
        ),
        list_url="administration:normative",
    )
)
