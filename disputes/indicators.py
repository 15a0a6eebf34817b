"""Indicators the disputes app computes (the street plan 预期目标; the district plan 附件 第10条).

Each is a count, a rate or a sum over the named querysets of ``selectors.stat_querysets`` — the same
querysets the statistics page and its drill-downs use.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from core.indicators import (
    Compute,
    Indicator,
    IndicatorKind,
    Reading,
    count_reading,
    rate_reading,
    register,
    sum_reading,
)

from . import selectors

STREET_PLAN = "《东明路街道“法治东明”建设三年行动计划（2024-2026年）》预期目标"

COLUMNS = (
    ("编号", lambda d: d.number),
    ("类型", lambda d: d.dispute_type.name),
    ("居村", lambda d: d.region.name),
    ("受理时间", lambda d: timezone.localtime(d.received_at).strftime("%Y-%m-%d %H:%M")),
    ("状态", lambda d: d.get_state_display()),
)


def _qs(user: Any, region: Any, start: dt.date, end: dt.date) -> dict[str, QuerySet[Any]]:
    return {
        k: q.select_related("dispute_type", "region").order_by("received_at", "pk")
        for k, q in selectors.stat_querysets(user, region, start, end).items()
    }


def count_of(stat: str, **refine: Any) -> Compute:
    def compute(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
        return count_reading(_qs(user, region, start, end)[stat].filter(**refine))

    return compute


def rate_of(numerator: str, *denominator: str) -> Compute:
    """``numerator`` ÷ the union of the ``denominator`` querysets."""

    def compute(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
        qs = _qs(user, region, start, end)
        base = qs[denominator[0]]
        for other in denominator[1:]:
            base = base | qs[other]
        return rate_reading(qs[numerator], base)

    return compute


def sum_of(stat: str, field_name: str) -> Compute:
    def compute(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
        return sum_reading(_qs(user, region, start, end)[stat], field_name)

    return compute


disputes_indicator = partial(
    Indicator, app="disputes", source=STREET_PLAN, columns=COLUMNS, kind=IndicatorKind.EXPECTED, target=""
)

register(
    disputes_indicator(
        code="disputes.received",
        name="受理矛盾纠纷数",
        unit="件",
        method="期间内受理（受理时间在期间内）的矛盾纠纷件数。",
        order=100,
        compute=count_of("received"),
    ),
    disputes_indicator(
        code="disputes.success",
        name="调解成功件数",
        unit="件",
        method="调解协议在期间内生效、且纠纷处于已达成协议或已结案状态的件数。",
        order=101,
        compute=count_of("success"),
    ),
    disputes_indicator(
        code="disputes.written_agreements",
        name="书面调解协议数",
        unit="件",
        method="调解成功件数中以书面形式达成调解协议的件数。",
        order=102,
        compute=count_of("success", agreement__kind="written"),
    ),
    disputes_indicator(
        code="disputes.success_rate",
        name="调解成功率",
        kind=IndicatorKind.BINDING,
        unit="%",
        target="≥98%",
        method="调解成功件数 ÷（调解成功件数 + 期间内调解不成终结的件数）。",
        order=103,
        compute=rate_of("success", "success", "failure"),
    ),
    disputes_indicator(
        code="disputes.escalation_rate",
        name="矛盾纠纷出街镇率",
        kind=IndicatorKind.BINDING,
        unit="%",
        target="不高于1%",
        method="期间内受理的纠纷中离开街镇处理（上报、移送）的件数 ÷ 期间内受理件数。",
        order=104,
        compute=rate_of("escalated", "received"),
    ),
    disputes_indicator(
        code="disputes.fulfilment_rate",
        name="调解协议履行率",
        kind=IndicatorKind.BINDING,
        unit="%",
        target="100%",
        method="期间内生效、回访完毕的调解协议中全部履行的件数 ÷ 回访完毕的协议件数。",
        order=105,
        compute=rate_of("fulfilled", "follow_up_done"),
    ),
    disputes_indicator(
        code="disputes.on_time_rate",
        name="调解期限内办结率",
        unit="%",
        source="《人民调解法》及调解期限规则（RULES.md mediation.period）",
        method="期间内调解期限计时完成的纠纷中按期完成的件数 ÷ 计时完成的件数。",
        order=106,
        compute=rate_of("on_time", "period_met"),
    ),
    disputes_indicator(
        code="disputes.amount",
        name="受理纠纷涉及金额",
        unit="元",
        method="期间内受理纠纷登记的争议金额之和；清单为期间内受理的纠纷。",
        order=107,
        compute=sum_of("received", "amount"),
    ),
)
