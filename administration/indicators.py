"""Indicators the administration app computes (the district plan 主要指标 rows 4, 5, 10; the street plan 任务5-7)."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from core.indicators import (
    Indicator,
    IndicatorKind,
    Reading,
    count_reading,
    rate_reading,
    register,
    sum_reading,
)

from .choices import Adoption, Conclusion, ReviewKind, ReviewState
from .models import MajorDecision, MeetingAttendance, MeetingSuggestion, NormativeDocument, ReviewItem

DISTRICT_PLAN = "《徐汇区全面依法治区第十四个五年规划》主要指标"
STREET_PLAN = "《东明路街道“法治东明”建设三年行动计划（2024-2026年）》"
DONE = (ReviewState.OPINION_GIVEN, ReviewState.CLOSED)

REVIEW_COLUMNS = (
    ("审查编号", lambda r: r.number),
    ("事项", lambda r: r.title),
    ("送审单位", lambda r: r.submitting_unit.name),
    ("送审日期", lambda r: r.submitted_on),
    ("状态", lambda r: r.get_state_display()),
    ("结论", lambda r: r.get_conclusion_display()),
)


def _in(qs: Any, region: Any, field: str, start: dt.date, end: dt.date) -> Any:
    return qs.filter(
        **{"region__path__startswith": region.path, f"{field}__gte": start, f"{field}__lte": end}
    )


def _reviewed(user: Any, region: Any, start: dt.date, end: dt.date, kind: str) -> Any:
    qs = ReviewItem.objects.visible_to(user).filter(kind=kind, state__in=DONE)
    return (
        _in(qs, region, "opinion_on", start, end)
        .select_related("submitting_unit")
        .order_by("opinion_on", "pk")
    )


def decision_review_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    made = _in(MajorDecision.objects.visible_to(user), region, "decided_on", start, end).order_by(
        "decided_on", "pk"
    )
    made = made.select_related("lead_unit")
    return rate_reading(made.filter(review__state__in=DONE), made)


def normative_review_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    published = _in(NormativeDocument.objects.visible_to(user), region, "published_on", start, end)
    published = published.select_related("drafting_unit").order_by("published_on", "pk")
    return rate_reading(published.filter(review__state__in=DONE), published)


def normative_correction_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    reviewed = _reviewed(user, region, start, end, ReviewKind.NORMATIVE_DOCUMENT)
    return rate_reading(reviewed.exclude(conclusion=Conclusion.LAWFUL), reviewed)


def enforcement_review_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    qs = ReviewItem.objects.visible_to(user).filter(kind=ReviewKind.ENFORCEMENT_DECISION)
    submitted = _in(qs, region, "submitted_on", start, end).exclude(state=ReviewState.WITHDRAWN)
    submitted = submitted.select_related("submitting_unit").order_by("submitted_on", "pk")
    return rate_reading(submitted.filter(state__in=DONE), submitted)


def enforcement_reviewed(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    return count_reading(_reviewed(user, region, start, end, ReviewKind.ENFORCEMENT_DECISION))


def contracts_reviewed(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    return count_reading(_reviewed(user, region, start, end, ReviewKind.CONTRACT).select_related("contract"))


def contracts_amount(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    contracts = _reviewed(user, region, start, end, ReviewKind.CONTRACT).select_related("contract")
    return sum_reading(contracts, "contract__amount")


def _suggestions(user: Any, region: Any, start: dt.date, end: dt.date) -> Any:
    from .models import ReviewIssue

    items = ReviewItem.objects.visible_to(user).filter(state__in=DONE)
    items = _in(items, region, "opinion_on", start, end)
    return (
        ReviewIssue.objects.filter(item__in=items).select_related("item").order_by("item__opinion_on", "pk")
    )


def review_suggestions(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    return count_reading(_suggestions(user, region, start, end))


def review_adoption_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    answered = _suggestions(user, region, start, end).exclude(adoption="")
    return rate_reading(answered.filter(adoption__in=(Adoption.ADOPTED, Adoption.PARTLY)), answered)


def _meetings(user: Any, region: Any, start: dt.date, end: dt.date) -> Any:
    return _in(MeetingAttendance.objects.visible_to(user), region, "held_on", start, end).order_by(
        "held_on", "pk"
    )


def meetings(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    return count_reading(_meetings(user, region, start, end))


def meeting_suggestions(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    qs = MeetingSuggestion.objects.filter(attendance__in=_meetings(user, region, start, end))
    return count_reading(qs.select_related("attendance").order_by("attendance__held_on", "pk"))


def meeting_adoption_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    qs = MeetingSuggestion.objects.filter(attendance__in=_meetings(user, region, start, end))
    answered = (
        qs.filter(adopted__isnull=False).select_related("attendance").order_by("attendance__held_on", "pk")
    )
    return rate_reading(answered.filter(adopted=True), answered)


SUGGESTION_COLUMNS = (
    ("审查编号", lambda s: s.item.number),
    ("方面", lambda s: s.get_aspect_display()),
    ("修改建议", lambda s: s.suggestion),
    ("采纳情况", lambda s: s.get_adoption_display() or "待反馈"),
)
MEETING_COLUMNS = (
    ("会议", lambda m: m.meeting),
    ("日期", lambda m: m.held_on),
    ("列席人", lambda m: m.attendee),
)
MEETING_SUGGESTION_COLUMNS = (
    ("会议日期", lambda s: s.attendance.held_on),
    ("法律建议", lambda s: s.text),
    ("被采纳", lambda s: {True: "是", False: "否", None: "待反馈"}[s.adopted]),
)
DECISION_COLUMNS = (
    ("决策事项", lambda d: d.title),
    ("承办单位", lambda d: d.lead_unit.name),
    ("决定日期", lambda d: d.decided_on),
    ("状态", lambda d: d.get_state_display()),
)
NORMATIVE_COLUMNS = (
    ("文件名称", lambda d: d.title),
    ("文号", lambda d: d.doc_number),
    ("公布日期", lambda d: d.published_on),
    ("状态", lambda d: d.get_state_display()),
)
CONTRACT_COLUMNS = (
    *REVIEW_COLUMNS[:4],
    ("金额（元）", lambda r: r.contract.amount),
)

admin_indicator = partial(Indicator, app="administration", kind=IndicatorKind.EXPECTED, target="")

register(
    admin_indicator(
        code="administration.decision_review_rate",
        name="重大行政决策合法性审查率",
        kind=IndicatorKind.BINDING,
        unit="%",
        target="100",
        source=f"{DISTRICT_PLAN} 第4项；{STREET_PLAN} 附件第2项",
        method="期间内作出决定的重大行政决策中，合法性审查已出具意见的件数 ÷ 作出决定的件数。"
        "本平台在合法性审查完成前不能记录决定，因此本项比率为100%。",
        order=200,
        compute=decision_review_rate,
        columns=DECISION_COLUMNS,
    ),
    admin_indicator(
        code="administration.normative_review_rate",
        name="行政规范性文件合法性审核率",
        kind=IndicatorKind.BINDING,
        unit="%",
        target="100",
        source=f"{STREET_PLAN} 附件第2项",
        method="期间内公布的规范性文件中，合法性审核已出具意见的件数 ÷ 公布的件数（未经审核不得公布）。",
        order=201,
        compute=normative_review_rate,
        columns=NORMATIVE_COLUMNS,
    ),
    admin_indicator(
        code="administration.normative_correction_rate",
        name="规范性文件审查纠错率",
        unit="%",
        target="低于全市平均值",
        source=f"{DISTRICT_PLAN} 第5项",
        method="期间内出具意见的规范性文件审查中，结论不是“合法”（修改后合法或不合法）的件数 ÷ 出具意见的件数。",
        order=202,
        compute=normative_correction_rate,
        columns=REVIEW_COLUMNS,
    ),
    admin_indicator(
        code="administration.enforcement_review_rate",
        name="重大执法决定法制审核办结率",
        unit="%",
        target="100",
        source=f"{DISTRICT_PLAN} 第10项",
        method="期间内送审（未撤回）的重大执法决定中已出具法制审核意见的件数 ÷ 送审件数（法制审核机构的办理情况；"
        "按执法决定计算的制度执行率见“重大执法决定法制审核制度执行率”）。",
        order=203,
        compute=enforcement_review_rate,
        columns=REVIEW_COLUMNS,
    ),
    admin_indicator(
        code="administration.enforcement_reviewed",
        name="重大执法决定法制审核件数",
        unit="件",
        source=f"{STREET_PLAN} 附件第2项",
        method="期间内出具法制审核意见的重大执法决定件数。",
        order=204,
        compute=enforcement_reviewed,
        columns=REVIEW_COLUMNS,
    ),
    admin_indicator(
        code="administration.contracts_reviewed",
        name="合同审核件数",
        unit="件",
        source=f"{STREET_PLAN} 附件第2项",
        method="期间内出具审核意见的合同件数。",
        order=205,
        compute=contracts_reviewed,
        columns=CONTRACT_COLUMNS,
    ),
    admin_indicator(
        code="administration.contracts_amount",
        name="合同审核金额",
        unit="元",
        source=f"{STREET_PLAN} 附件第2项",
        method="期间内出具审核意见的合同金额之和；清单为这些合同。",
        order=206,
        compute=contracts_amount,
        columns=CONTRACT_COLUMNS,
    ),
    admin_indicator(
        code="administration.review_suggestions",
        name="合法性审查提出修改建议数",
        unit="条",
        source=f"{STREET_PLAN} 任务5-7",
        method="期间内出具意见的各类审查中逐条列出的修改建议条数。",
        order=207,
        compute=review_suggestions,
        columns=SUGGESTION_COLUMNS,
    ),
    admin_indicator(
        code="administration.review_adoption_rate",
        name="合法性审查建议采纳率",
        unit="%",
        source=f"{STREET_PLAN} 任务5-7",
        method="上述修改建议中，送审单位已反馈的条数为分母，采纳或部分采纳的条数为分子。",
        order=208,
        compute=review_adoption_rate,
        columns=SUGGESTION_COLUMNS,
    ),
    admin_indicator(
        code="administration.meetings",
        name="司法所所长列席主任办公会次数",
        unit="次",
        source=f"{STREET_PLAN} 附件第2项",
        method="期间内登记的列席会议次数。",
        order=209,
        compute=meetings,
        columns=MEETING_COLUMNS,
    ),
    admin_indicator(
        code="administration.meeting_suggestions",
        name="列席会议提出法律建议数",
        unit="条",
        source=f"{STREET_PLAN} 附件第2项",
        method="期间内列席会议时提出的法律建议条数。",
        order=210,
        compute=meeting_suggestions,
        columns=MEETING_SUGGESTION_COLUMNS,
    ),
    admin_indicator(
        code="administration.meeting_adoption_rate",
        name="列席会议法律建议采纳率",
        unit="%",
        source=f"{STREET_PLAN} 附件第2项",
        method="列席会议法律建议中已记录采纳与否的条数为分母，被采纳的条数为分子。",
        order=211,
        compute=meeting_adoption_rate,
        columns=MEETING_SUGGESTION_COLUMNS,
    ),
)
