"""Indicators computed from the respondent cases (the district plan's rows 7 and 8, the street plan's target of
零纠错、零败诉): cases received, 纠错率, 败诉率, 负责人出庭率 and replies on time — each its own drill-down."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.db.models import QuerySet

from core.indicators import Indicator, IndicatorKind, Reading, count_reading, rate_reading, register

from .choices import ADVERSE, HEAD_APPEARED, Kind
from .models import Hearing, RespondentCase

DISTRICT_PLAN = "《徐汇区全面依法治区第十四个五年规划》主要指标"
STREET_PLAN = "《东明路街道“法治东明”建设三年行动计划（2024-2026年）》"

CASE_COLUMNS = (
    ("案件编号", lambda c: c.number),
    ("类别", lambda c: c.get_kind_display()),
    ("被申请（被诉）行为", lambda c: c.act),
    ("收到副本", lambda c: c.received_on),
    ("结果", lambda c: c.get_outcome_display()),
    ("决定（裁判）日期", lambda c: c.decided_on),
)
HEARING_COLUMNS = (
    ("案件编号", lambda h: h.case.number),
    ("开庭日期", lambda h: h.held_on),
    ("出庭情况", lambda h: h.get_appearance_display()),
    ("出庭人员", lambda h: h.appeared),
    ("负责人未出庭理由", lambda h: h.reason),
)


def _cases(user: Any, region: Any) -> QuerySet:
    return (
        RespondentCase.objects.visible_to(user)
        .filter(region__path__startswith=region.path)
        .order_by("received_on", "pk")
    )


def received(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    return count_reading(_cases(user, region).filter(received_on__gte=start, received_on__lte=end))


def _decided(user: Any, region: Any, start: dt.date, end: dt.date, kind: str) -> QuerySet:
    return (
        _cases(user, region).filter(kind=kind, decided_on__gte=start, decided_on__lte=end).exclude(outcome="")
    )


def correction_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    decided = _decided(user, region, start, end, Kind.RECONSIDERATION)
    return rate_reading(decided.filter(outcome__in=ADVERSE), decided)


def loss_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    decided = _decided(user, region, start, end, Kind.LITIGATION)
    return rate_reading(decided.filter(outcome__in=ADVERSE), decided)


def appearance_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    hearings = (
        Hearing.objects.visible_to(user)
        .filter(
            case__region__path__startswith=region.path,
            case__kind=Kind.LITIGATION,
            held_on__gte=start,
            held_on__lte=end,
        )
        .select_related("case")
        .order_by("held_on", "pk")
    )
    return rate_reading(hearings.filter(appearance__in=HEAD_APPEARED), hearings)


def reply_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import F

    from core.models import Clock

    replied = _cases(user, region).filter(replied_on__gte=start, replied_on__lte=end)
    on_time = Clock.objects.filter(
        content_type=ContentType.objects.get_for_model(RespondentCase),
        name__in=("reply", "defence"),
        met_on__isnull=False,
        met_on__lte=F("due_on"),
    ).values("object_id")
    return rate_reading(replied.filter(pk__in=on_time), replied)


respondent_indicator = partial(
    Indicator, app="respondent", kind=IndicatorKind.EXPECTED, target="", columns=CASE_COLUMNS
)

register(
    respondent_indicator(
        code="respondent.received",
        name="行政复议、行政诉讼案件数",
        unit="件",
        source=f"{STREET_PLAN} 预期目标2",
        method="期间内收到申请书或起诉状副本、本街镇为被申请人或被告的案件数。",
        order=501,
        compute=received,
    ),
    respondent_indicator(
        code="respondent.correction_rate",
        name="行政复议纠错率",
        unit="%",
        target="0",
        source=f"{STREET_PLAN} 预期目标2（力争行政复议零纠错）",
        method="期间内作出复议决定的案件中，决定变更、撤销、确认违法、责令履行或确认无效的件数 ÷ 作出决定的件数。",
        order=502,
        compute=correction_rate,
    ),
    respondent_indicator(
        code="respondent.loss_rate",
        name="行政诉讼败诉率",
        unit="%",
        target="0",
        source=f"{DISTRICT_PLAN} 第8项；{STREET_PLAN} 预期目标2（行政诉讼零败诉）",
        method="期间内作出裁判的行政诉讼案件中，判决变更、撤销、确认违法、责令履行或确认无效的件数 ÷ 作出裁判的件数（以最近一次裁判为准）。",
        order=503,
        compute=loss_rate,
    ),
    respondent_indicator(
        code="respondent.appearance_rate",
        name="行政诉讼行政机关负责人出庭率",
        unit="%",
        target="70",
        source=f"{DISTRICT_PLAN} 第7项",
        method="期间内开庭审理的行政诉讼庭审中，行政机关负责人或分管负责人出庭的次数 ÷ 开庭次数（《行政诉讼法》第3条第3款）。",
        order=504,
        compute=appearance_rate,
        columns=HEARING_COLUMNS,
    ),
    respondent_indicator(
        code="respondent.reply_rate",
        name="按期答复答辩率",
        unit="%",
        target="100",
        source="《中华人民共和国行政复议法》第48条；《中华人民共和国行政诉讼法》第67条",
        method="期间内提交答复或答辩的案件中，在收到副本之日起10个工作日（复议）或15日（诉讼）内提交的件数 ÷ 提交的件数。",
        order=505,
        compute=reply_rate,
    ),
)
