"""Indicators the disclosure app computes (the district plan 主要指标 row 6; 政府信息公开条例(2019))."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from core.clocks.services import met_on_time
from core.indicators import Indicator, IndicatorKind, Reading, count_reading, rate_reading, register

from .annual import OUTCOME_ROWS
from .choices import RequestState
from .models import DisclosureRequest, ProactiveItem

DISTRICT_PLAN = "《徐汇区全面依法治区第十四个五年规划》主要指标"
STREET_PLAN = "《东明路街道“法治东明”建设三年行动计划（2024-2026年）》"
REQUEST_COLUMNS = (
    ("申请编号", lambda r: r.number),
    ("收到日期", lambda r: r.received_on),
    ("状态", lambda r: r.get_state_display()),
    ("答复类型", lambda r: r.get_answer_type_display()),
    ("答复日期", lambda r: r.answered_on or ""),
)
PROACTIVE_COLUMNS = (
    ("信息名称", lambda i: i.title),
    ("形成或变更日期", lambda i: i.made_on),
    ("公开日期", lambda i: i.published_on or "未公开"),
    ("公开载体", lambda i: i.where),
)


def _requests(user: Any, region: Any) -> Any:
    return DisclosureRequest.objects.visible_to(user).filter(region__path__startswith=region.path)


def requests_received(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    qs = _requests(user, region).filter(received_on__gte=start, received_on__lte=end)
    return count_reading(qs.order_by("received_on", "pk"))


def _answered(user: Any, region: Any, start: dt.date, end: dt.date) -> Any:
    return _requests(user, region).filter(
        state=RequestState.ANSWERED, answered_on__gte=start, answered_on__lte=end
    )


def on_time_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    answered = _answered(user, region, start, end).order_by("answered_on", "pk")
    return rate_reading(answered.filter(pk__in=met_on_time(DisclosureRequest, "answer")), answered)


def _outcome(types: tuple[str, ...]) -> Any:
    def compute(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
        qs = _answered(user, region, start, end).filter(
            answer_type__in=[t for t in types if t != "withdrawn"]
        )
        if "withdrawn" in types:
            qs = qs | _requests(user, region).filter(
                state=RequestState.WITHDRAWN, withdrawn_on__gte=start, withdrawn_on__lte=end
            )
        return count_reading(qs.order_by("received_on", "pk"))

    return compute


def _published(user: Any, region: Any, start: dt.date, end: dt.date) -> Any:
    return (
        ProactiveItem.objects.visible_to(user)
        .filter(region__path__startswith=region.path, published_on__gte=start, published_on__lte=end)
        .order_by("published_on", "pk")
    )


def proactive_published(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    return count_reading(_published(user, region, start, end))


def proactive_on_time_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    published = _published(user, region, start, end)
    return rate_reading(published.filter(pk__in=met_on_time(ProactiveItem, "publish")), published)


disclosure_indicator = partial(Indicator, app="disclosure", kind=IndicatorKind.EXPECTED, target="")

register(
    disclosure_indicator(
        code="disclosure.on_time_rate",
        name="依申请公开及时答复率",
        kind=IndicatorKind.BINDING,
        unit="%",
        target="100",
        source=f"{DISTRICT_PLAN} 第6项；{STREET_PLAN} 附件第3项",
        method="期间内作出答复的申请中，在答复期限（第33条，含补正重新起算、征求意见不计、经批准延长）内答复的件数 ÷ 答复件数。",
        order=300,
        compute=on_time_rate,
        columns=REQUEST_COLUMNS,
    ),
    disclosure_indicator(
        code="disclosure.requests",
        name="收到政府信息公开申请数",
        unit="件",
        source="《政府信息公开条例》第50条 年度报告",
        method="期间内收到（按第31条确定收到日期）的申请件数。",
        order=301,
        compute=requests_received,
        columns=REQUEST_COLUMNS,
    ),
    *[
        disclosure_indicator(
            code=f"disclosure.outcome.{i + 1}",
            name=f"依申请公开办理结果{label}",
            unit="件",
            source="《政府信息公开条例》第36、37、39条；年度报告表三",
            method=f"期间内办结（答复或视为撤回）的申请中，办理结果属{label}的件数（与年度报告表三同一口径）。",
            order=302 + i,
            compute=_outcome(tuple(types)),
            columns=REQUEST_COLUMNS,
        )
        for i, (label, types) in enumerate(OUTCOME_ROWS)
    ],
    disclosure_indicator(
        code="disclosure.proactive",
        name="主动公开政府信息数",
        unit="条",
        source="《政府信息公开条例》第19-26条",
        method="期间内公开的主动公开信息条数。",
        order=310,
        compute=proactive_published,
        columns=PROACTIVE_COLUMNS,
    ),
    disclosure_indicator(
        code="disclosure.proactive_on_time_rate",
        name="主动公开及时率",
        unit="%",
        target="100",
        source="《政府信息公开条例》第26条（20个工作日内公开）",
        method="期间内公开的主动公开信息中，在形成或变更之日起20个工作日内公开的条数 ÷ 公开条数。",
        order=311,
        compute=proactive_on_time_rate,
        columns=PROACTIVE_COLUMNS,
    ),
)
