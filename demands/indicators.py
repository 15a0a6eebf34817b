"""Indicators computed from the work orders (the street plan's 任务9: 提高问题按时办结率和实际解决率 … 逐年减少有相关
执法需求的热线案件). Each figure is its own drill-down list of orders."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.db.models import Q, QuerySet
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
    """Answered within the handling clock — and, after a dissatisfied call-back, re-handled within its 3 days."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import F

    from core.models import Clock

    done = replied(user, region, start, end)
    late_again = Clock.objects.filter(
        content_type=ContentType.objects.get_for_model(WorkOrder), name="rehandle", met_on__gt=F("due_on")
    ).values("object_id")
    on_time = done.filter(pk__in=met_on_time(WorkOrder, "handling")).exclude(pk__in=late_again)
    return rate_reading(on_time, done)


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


# --- petitions (信访, the street plan's 任务12: 推动信访工作法治化，健全信访办、司法所“访调联动”工作机制) ------------


def _petitions(user: Any, region: Any) -> QuerySet:
    from .models import Petition

    return (
        Petition.objects.visible_to(user)
        .filter(region__path__startswith=region.path)
        .select_related("unit")
        .order_by("received_on", "pk")
    )


def petitions_received(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    return count_reading(_petitions(user, region).filter(received_on__gte=start, received_on__lte=end))


def petition_acceptance_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    """Petitions decided (accepted, not accepted, transferred) in the period within the 15 days ÷ decided."""
    from .models import Petition

    decided = _petitions(user, region).filter(
        Q(accepted_on__gte=start, accepted_on__lte=end) | Q(decided_on__gte=start, decided_on__lte=end)
    )
    return rate_reading(decided.filter(pk__in=met_on_time(Petition, "acceptance")), decided)


def petition_on_time_rate(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    from .models import Petition

    answered = _petitions(user, region).filter(opinion_on__gte=start, opinion_on__lte=end)
    return rate_reading(answered.filter(pk__in=met_on_time(Petition, "handling")), answered)


def group_petitions(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    from .choices import GROUP_SIZE

    received = _petitions(user, region).filter(received_on__gte=start, received_on__lte=end)
    return count_reading(received.filter(people_count__gte=GROUP_SIZE))


def petitions_to_mediation(user: Any, region: Any, start: dt.date, end: dt.date) -> Reading:
    received = _petitions(user, region).filter(received_on__gte=start, received_on__lte=end)
    return count_reading(received.filter(dispute__isnull=False))


PETITION_COLUMNS = (
    ("信访件编号", lambda p: p.number),
    ("收到日期", lambda p: p.received_on),
    ("信访形式", lambda p: p.get_channel_display()),
    ("人数", lambda p: p.people_count),
    ("事项类别", lambda p: p.category),
    ("状态", lambda p: p.get_state_display()),
    ("处理意见日期", lambda p: p.opinion_on),
)
TASK12 = f"{STREET_PLAN} 任务12（推动信访工作法治化，健全“访调联动”工作机制）"

register(
    demands_indicator(
        code="demands.petitions",
        name="信访事项登记件数",
        unit="件",
        source=TASK12,
        method="期间内收到并登记的信访事项件数（来访、来信、网上信访、来电）。",
        order=411,
        compute=petitions_received,
        columns=PETITION_COLUMNS,
    ),
    demands_indicator(
        code="demands.petition_acceptance_rate",
        name="信访事项按期受理告知率",
        unit="%",
        target="100",
        source=f"{TASK12}；《信访工作条例》（2022）第22-23条",
        method="期间内决定受理、不予受理或转送的信访事项中，在收到之日起15日内决定的件数 ÷ 决定的件数。",
        order=412,
        compute=petition_acceptance_rate,
        columns=PETITION_COLUMNS,
    ),
    demands_indicator(
        code="demands.petition_on_time_rate",
        name="信访事项按期办结率",
        unit="%",
        target="100",
        source=f"{TASK12}；《信访工作条例》（2022）第34条",
        method="期间内出具书面处理意见的信访事项中，在受理之日起60日（经批准延长的90日）内出具的件数 ÷ 出具的件数。",
        order=413,
        compute=petition_on_time_rate,
        columns=PETITION_COLUMNS,
    ),
    demands_indicator(
        code="demands.group_petitions",
        name="集体访件数",
        unit="件",
        source=TASK12,
        method="期间内登记的五人以上的信访事项件数。",
        order=414,
        compute=group_petitions,
        columns=PETITION_COLUMNS,
    ),
    demands_indicator(
        code="demands.petitions_to_mediation",
        name="访调联动转人民调解的信访事项件数",
        unit="件",
        source=TASK12,
        method="期间内登记的信访事项中，经访调联动转人民调解的件数。",
        order=415,
        compute=petitions_to_mediation,
        columns=PETITION_COLUMNS,
    ),
)
