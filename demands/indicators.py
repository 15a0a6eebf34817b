"""Indicators computed from the work orders (the street plan's 任务9: 提高问题按时办结率和实际解决率 … 逐年减少有相关
执法需求的热线案件). Each figure is its own drill-down list of orders."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from core.clocks.services import met_on_time
from core.indicators import Indicator, IndicatorKind, Reading, count_reading, rate_reading, register

from .choices import SATISFIED, Resolution
from .exports import repeat_q
from .models import WorkOrder

STREET_PLAN = "《东明路街道“法治东明”建设三年行动计划（2024-2026年）》"

ORDER_COLUMNS = (
    ("工单编号", lambda o: o.number),
    ("接收时间", lambda o: timezone.localtime(o.received_at).strftime("%Y-%m-%d %H:%M")),
    ("事项类别", lambda o: o.category),
    ("承办单位", lambda o: o.unit.name if o.unit else ""),
    ("办结日期", lambda o: o.replied_on),
    ("办理结果", lambda o: o.get_resolution_display()),
    ("回访结果", lambda o: o.get_callback_display()),
)


def _in(user: Any, region: Any) -> QuerySet:
    return (
        WorkOrder.objects.visible_to(user)
        .filter(region__path__startswith=region.path)
        .select_related("unit")
        .order_by("received_at", "pk")
    )


def received(user: Any, region: Any, start: dt.date, end: dt.date) -> QuerySet:
    """Orders received in the period (local dates)."""
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    after = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return _in(user, region).filter(received_at__gte=first, received_at__lt=after)


def replied(user: Any, region: Any, start: dt.date, end: dt.date) -> QuerySet:
    return _in(user, region).filter(replied_on__gte=start, replied_on__lte=end)


def orders_received(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    return count_reading(received(user, region, start, end))


def on_time_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    done = replied(user, region, start, end)
    return rate_reading(done.filter(pk__in=met_on_time(WorkOrder, "handling")), done)


def resolution_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    done = replied(user, region, start, end)
    return rate_reading(done.filter(resolution=Resolution.RESOLVED), done)


def satisfaction_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    called = _in(user, region).filter(callback_on__gte=start, callback_on__lte=end).exclude(callback="")
    return rate_reading(called.filter(callback__in=SATISFIED, reopened=0), called)


def return_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    orders = received(user, region, start, end)
    return rate_reading(orders.filter(returns__gt=0), orders)


def repeat_orders(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    return count_reading(received(user, region, start, end).filter(repeat_q()))


def to_enforcement(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    return count_reading(received(user, region, start, end).filter(enforcement_case__isnull=False))


demands_indicator = partial(
    Indicator, app="demands", kind=IndicatorKind.EXPECTED, target="", columns=ORDER_COLUMNS
)

register(
    demands_indicator(
        code="demands.received",
        name="12345热线工单接收件数",
        unit="件",
        source=f"{STREET_PLAN} 任务9",
        method="期间内接收的12345热线工单件数（按接收时间）。",
        order=401,
        compute=orders_received,
    ),
    demands_indicator(
        code="demands.on_time_rate",
        name="12345热线工单按时办结率",
        unit="%",
        source=f"{STREET_PLAN} 任务9（提高问题按时办结率）",
        method="期间内办结答复的工单中，在办理时限（咨询类1个工作日、求助投诉类5个工作日、经批准的复杂工单15个工作日）"
        "内办结的件数 ÷ 办结答复的件数。",
        order=402,
        compute=on_time_rate,
    ),
    demands_indicator(
        code="demands.resolution_rate",
        name="12345热线工单实际解决率",
        unit="%",
        source=f"{STREET_PLAN} 任务9（提高实际解决率）",
        method="期间内办结答复的工单中，办理结果为“已解决”的件数 ÷ 办结答复的件数。",
        order=403,
        compute=resolution_rate,
    ),
    demands_indicator(
        code="demands.satisfaction_rate",
        name="12345热线工单满意率",
        unit="%",
        source=f"{STREET_PLAN} 任务9",
        method="期间内回访的工单中，回访满意或基本满意且从未因回访不满意而重办的件数 ÷ 回访的件数（回访日期以最近一次为准）。",
        order=404,
        compute=satisfaction_rate,
    ),
    demands_indicator(
        code="demands.return_rate",
        name="12345热线工单退单率",
        unit="%",
        source=f"{STREET_PLAN} 任务9",
        method="期间内接收的工单中，承办单位退单过的件数 ÷ 接收的件数。",
        order=405,
        compute=return_rate,
    ),
    demands_indicator(
        code="demands.repeat_orders",
        name="12345热线重复来电工单件数",
        unit="件",
        source=f"{STREET_PLAN} 任务9",
        method="期间内接收的工单中，同一来电号码或同一地址在此前30日内已有工单的件数。",
        order=406,
        compute=repeat_orders,
    ),
    demands_indicator(
        code="demands.to_enforcement",
        name="有执法需求的12345热线工单件数",
        unit="件",
        source=f"{STREET_PLAN} 任务9（逐年减少有相关执法需求的热线案件）",
        method="期间内接收的工单中，转行政执法立案的件数；应逐年减少。",
        order=407,
        compute=to_enforcement,
    ),
)
