"""The work orders as a ledger (core/ledger.py): filters by state, unit, category, community, month and flags;
the caller is never in the list or the workbook (personal data), only on the order's page, masked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from core.exports import ExportColumn, Exporter, ListFilter, choice_options, register
from core.ledger import due_columns, with_next_due
from core.models import Region, Unit

from .choices import (
    GROUP_SIZE,
    SATISFIED,
    Callback,
    Channel,
    OrderKind,
    OrderState,
    PetitionState,
    Resolution,
)
from .models import WorkOrder


def orders_of(user: Any, params: dict[str, Any]) -> QuerySet:
    return with_next_due(WorkOrder.objects.visible_to(user).select_related("region", "unit"))


def _search(qs: QuerySet, value: str) -> QuerySet:
    for word in value.split():
        qs = qs.filter(
            Q(number__icontains=word)
            | Q(category__icontains=word)
            | Q(content__icontains=word)
            | Q(address__icontains=word)
        )
    return qs


def _units(user: Any) -> list[tuple[str, str]]:
    ids = WorkOrder.objects.visible_to(user).exclude(unit=None).values("unit_id").distinct()
    return [(str(u.pk), u.name) for u in Unit.objects.filter(pk__in=ids).order_by("name")]


def _categories(user: Any) -> list[tuple[str, str]]:
    names = (
        WorkOrder.objects.visible_to(user).values_list("category", flat=True).distinct().order_by("category")
    )
    return [(c, c) for c in names]


def _communities(user: Any) -> list[tuple[str, str]]:
    ids = WorkOrder.objects.visible_to(user).values("region_id").distinct()
    return [(str(r.pk), r.name) for r in Region.objects.filter(pk__in=ids).order_by("path")]


def _months(user: Any) -> list[tuple[str, str]]:
    dates = WorkOrder.objects.visible_to(user).dates("received_at", "month", order="DESC")
    return [(d.strftime("%Y-%m"), f"{d.year}年{d.month}月") for d in dates]


def _years(user: Any) -> list[tuple[str, str]]:
    dates = WorkOrder.objects.visible_to(user).dates("received_at", "year", order="DESC")
    return [(str(d.year), f"{d.year}年") for d in dates]


def _month(qs: QuerySet, value: str) -> QuerySet:
    year, month = (int(p) for p in value.split("-"))
    return qs.filter(received_at__year=year, received_at__month=month)


def repeat_q() -> Q:
    """The caller (or the address) sent another order within the 30 days before."""
    month = dt.timedelta(days=30)
    earlier = WorkOrder.objects.filter(received_at__lt=OuterRef("received_at"))
    by_caller = earlier.filter(caller_phone_hash=OuterRef("caller_phone_hash")).exclude(caller_phone_hash="")
    by_address = earlier.filter(address_key=OuterRef("address_key")).exclude(address_key="")
    recent = {"received_at__gte": OuterRef("received_at") - month}
    return Q(Exists(by_caller.filter(**recent))) | Q(Exists(by_address.filter(**recent)))


FLAGS: dict[str, tuple[str, Any]] = {
    "returned": ("有退单", lambda: Q(returns__gt=0)),
    "reopened": ("回访不满意重办", lambda: Q(reopened__gt=0)),
    "dissatisfied": ("回访不满意", lambda: Q(callback=Callback.DISSATISFIED)),
    "satisfied": ("回访满意或基本满意", lambda: Q(callback__in=SATISFIED)),
    "resolved": ("已解决", lambda: Q(resolution=Resolution.RESOLVED)),
    "repeat": ("30日内重复来电", repeat_q),
    "enforcement": ("转行政执法", lambda: Q(enforcement_case__isnull=False)),
    "dispute": ("转人民调解", lambda: Q(dispute__isnull=False)),
    "complex": ("复杂工单", lambda: ~Q(complex_reason="")),
    "unassigned": ("未派单", lambda: Q(unit__isnull=True)),
}


ORDERS = register(
    Exporter(
        "demands-orders",
        "12345热线工单",
        [
            ExportColumn("工单编号", lambda o: o.number, 20, key="number", sort="number", link=True),
            ExportColumn(
                "接收时间", lambda o: o.received_at, 17, "datetime", key="received", sort="received_at"
            ),
            ExportColumn("诉求类型", lambda o: o.get_kind_display(), 8, key="kind", sort="kind"),
            ExportColumn("事项类别", lambda o: o.category, 20, key="category", sort="category"),
            ExportColumn("诉求内容", lambda o: o.content[:60], 40, key="content"),
            ExportColumn("居村", lambda o: o.region.name, 16, key="community", default=False),
            ExportColumn(
                "承办单位", lambda o: o.unit.name if o.unit else "", 20, key="unit", sort="unit__name"
            ),
            ExportColumn("状态", lambda o: o.get_state_display(), key="state", sort="state"),
            *due_columns(),
            ExportColumn("退单", lambda o: o.returns, 6, "int", key="returns", sort="returns", default=False),
            ExportColumn(
                "办理结果", lambda o: o.get_resolution_display(), 12, key="resolution", default=False
            ),
            ExportColumn(
                "办结日期",
                lambda o: o.replied_on,
                12,
                "date",
                key="replied",
                sort="replied_on",
                default=False,
            ),
            ExportColumn("回访结果", lambda o: o.get_callback_display(), 10, key="callback", sort="callback"),
        ],
        orders_of,
        filters=(
            ListFilter("q", "关键词", _search),
            ListFilter("state", "状态", lambda qs, v: qs.filter(state=v), choice_options(OrderState.choices)),
            ListFilter(
                "kind", "诉求类型", lambda qs, v: qs.filter(kind=v), choice_options(OrderKind.choices)
            ),
            ListFilter("unit", "承办单位", lambda qs, v: qs.filter(unit_id=int(v)), _units),
            ListFilter("category", "事项类别", lambda qs, v: qs.filter(category=v), _categories),
            ListFilter("community", "居村", lambda qs, v: qs.filter(region_id=int(v)), _communities),
            ListFilter("year", "接收年度", lambda qs, v: qs.filter(received_at__year=int(v)), _years),
            ListFilter("month", "接收月份", _month, _months),
            ListFilter(
                "flag",
                "标记",
                lambda qs, v: qs.filter(FLAGS[v][1]()),
                lambda user: [(k, label) for k, (label, _q) in FLAGS.items()],
            ),
        ),
        bulk=("dispatch",),
        model="demands.WorkOrder",
        list_url="demands:orders",
    )
)


def petitions_of(user: Any, params: dict[str, Any]) -> QuerySet:
    from .models import Petition

    return with_next_due(Petition.objects.visible_to(user).select_related("region", "unit"))


def _petition_search(qs: QuerySet, value: str) -> QuerySet:
    for word in value.split():
        qs = qs.filter(Q(number__icontains=word) | Q(category__icontains=word) | Q(content__icontains=word))
    return qs


def _petition_years(user: Any) -> list[tuple[str, str]]:
    from .models import Petition

    dates = Petition.objects.visible_to(user).dates("received_on", "year", order="DESC")
    return [(str(d.year), f"{d.year}年") for d in dates]


PETITION_FLAGS: dict[str, tuple[str, Any]] = {
    "group": ("集体访（5人以上）", lambda: Q(people_count__gte=GROUP_SIZE)),
    "mediation": ("访调联动", lambda: Q(dispute__isnull=False)),
    "reviewed": ("请求复查", lambda: Q(review_requested_on__isnull=False)),
    "rechecked": ("请求复核", lambda: Q(recheck_requested_on__isnull=False)),
}

PETITIONS = register(
    Exporter(
        "demands-petitions",
        "信访事项",
        [
            ExportColumn("信访件编号", lambda p: p.number, 20, key="number", sort="number", link=True),
            ExportColumn("收到日期", lambda p: p.received_on, 12, "date", key="received", sort="received_on"),
            ExportColumn("信访形式", lambda p: p.get_channel_display(), 8, key="channel", sort="channel"),
            ExportColumn("人数", lambda p: p.people_count, 6, "int", key="people", sort="people_count"),
            ExportColumn("事项类别", lambda p: p.category, 20, key="category", sort="category"),
            ExportColumn("信访事项", lambda p: p.content[:60], 40, key="content"),
            ExportColumn("承办单位", lambda p: p.unit.name if p.unit else "", 20, key="unit", default=False),
            ExportColumn("状态", lambda p: p.get_state_display(), key="state", sort="state"),
            *due_columns(),
            ExportColumn("处理意见", lambda p: p.get_opinion_display(), 10, key="opinion", default=False),
            ExportColumn("办结日期", lambda p: p.closed_on, 12, "date", key="closed", default=False),
        ],
        petitions_of,
        filters=(
            ListFilter("q", "关键词", _petition_search),
            ListFilter(
                "state", "状态", lambda qs, v: qs.filter(state=v), choice_options(PetitionState.choices)
            ),
            ListFilter(
                "channel", "信访形式", lambda qs, v: qs.filter(channel=v), choice_options(Channel.choices)
            ),
            ListFilter(
                "year", "收到年度", lambda qs, v: qs.filter(received_on__year=int(v)), _petition_years
            ),
            ListFilter(
                "flag",
                "标记",
                lambda qs, v: qs.filter(PETITION_FLAGS[v][1]()),
                lambda user: [(k, label) for k, (label, _q) in PETITION_FLAGS.items()],
            ),
        ),
        model="demands.Petition",
        list_url="demands:petitions",
    )
)
