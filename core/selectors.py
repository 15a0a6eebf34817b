"""Reads for pages and the API, every one scoped through ``visible_to``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from core.clocks.services import today
from core.models import Clock, Membership, Person, Region, Unit


@dataclass
class RegionNode:
    region: Region
    children: list[RegionNode] = field(default_factory=list)
    unit_count: int = 0
    people_count: int = 0


def region_tree(user: Any, *, max_level: str | None = None) -> list[RegionNode]:
    """The user's visible regions as a forest (roots are the user's scope), in two queries."""
    qs = Region.objects.visible_to(user).annotate(
        n_units=Count("units", distinct=True), n_people=Count("people", distinct=True)
    )
    if max_level == "community":
        qs = qs.exclude(level="grid")
    nodes: dict[int, RegionNode] = {}
    roots: list[RegionNode] = []
    for region in qs.order_by("path"):
        node = RegionNode(region, unit_count=region.n_units, people_count=region.n_people)
        nodes[region.pk] = node
        parent = nodes.get(region.parent_id) if region.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


def regions_visible(user: Any) -> QuerySet[Region]:
    return Region.objects.visible_to(user)


def units_visible(user: Any) -> QuerySet[Unit]:
    return Unit.objects.visible_to(user).select_related("region")


def people_visible(
    user: Any, *, kind: str = "", region: Region | None = None, q: str = ""
) -> QuerySet[Person]:
    qs = Person.objects.visible_to(user).select_related("region", "unit", "paired_region")
    if kind:
        qs = qs.filter(kind=kind)
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(specialties__icontains=q) | Q(unit__name__icontains=q))
    return qs


def staff_visible(user: Any, *, region: Region | None = None) -> QuerySet[Membership]:
    qs = (
        Membership.objects.visible_to(user).filter(active=True).select_related("user", "unit", "unit__region")
    )
    if region is not None:
        qs = qs.filter(unit__region__path__startswith=region.path)
    return qs.order_by("unit__region__path", "unit__name", "user__full_name")


def _open_clocks(user: Any) -> QuerySet[Clock]:
    return (
        Clock.objects.visible_to(user)
        .filter(met_on__isnull=True)
        .select_related("content_type", "assignee", "region")
        .prefetch_related("case")
        .order_by("due_on", "pk")
    )


@dataclass
class MyWork:
    mine: QuerySet[Clock]
    due_soon: QuerySet[Clock]
    overdue: QuerySet[Clock]
    today: dt.date


def my_work(user: Any) -> MyWork:
    """Open clocks of every case type: assigned to me, due soon and overdue in my scope (whole querysets: the
    page shows them a page at a time, the count is the whole)."""
    now = today()
    soon = now + dt.timedelta(days=settings.FAZHI_DUE_SOON_DAYS)
    base = _open_clocks(user)
    return MyWork(
        mine=base.filter(assignee=user),
        due_soon=base.filter(due_on__gte=now, due_on__lte=soon),
        overdue=base.filter(due_on__lt=now),
        today=now,
    )


def region_and_period(
    user: Any, *, region: str | int | None, year: str | int | None, start: str | None, end: str | None
) -> tuple[Region, dt.date, dt.date]:
    """The region (default: the top of the user's scope) and period asked for by a page or an API call.

    ``year`` means 1 January – 31 December; ``from``/``to`` give any period (both inclusive); with
    neither, the current year to date. A region outside the user's scope raises Http404 (not found);
    bad parameters raise ValidationError naming the parameter, in Chinese.
    """
    from django.core.exceptions import ValidationError
    from django.http import Http404

    regions = Region.objects.visible_to(user)
    if region in (None, ""):
        found = regions.order_by("path").first()
    else:
        try:
            found = regions.filter(pk=int(region)).first()
        except (TypeError, ValueError):
            raise ValidationError({"region": "区域参数应为区域编号（整数）"}) from None
    if found is None:
        raise Http404("区域不存在")
    on = today()
    if start or end:
        try:
            first = dt.date.fromisoformat(start) if start else dt.date(on.year, 1, 1)
        except ValueError:
            raise ValidationError({"from": f"起始日期“{start}”不是有效日期，应为YYYY-MM-DD"}) from None
        try:
            last = dt.date.fromisoformat(end) if end else on
        except ValueError:
            raise ValidationError({"to": f"截止日期“{end}”不是有效日期，应为YYYY-MM-DD"}) from None
        if last < first:
            raise ValidationError({"to": "截止日期早于起始日期"})
        return found, first, last
    if year not in (None, ""):
        try:
            y = int(year)
        except (TypeError, ValueError):
            raise ValidationError({"year": f"年度“{year}”应为四位数字年份"}) from None
        if not 2000 <= y <= 2100:
            raise ValidationError({"year": f"年度“{year}”超出范围（2000—2100）"})
        return found, dt.date(y, 1, 1), dt.date(y, 12, 31)
    return found, dt.date(on.year, 1, 1), on


def overdue_by_unit(user: Any, region: Region, *, on: dt.date | None = None) -> list[dict[str, Any]]:
    """Open clocks past their due date in ``region``, counted by the unit of the person who holds them.

    A clock's holder is its assignee; the unit is the assignee's membership unit within the region
    (the nearest one), and "未指定承办人" when nobody holds it. Two queries whatever the count.
    """
    on = on or today()
    overdue = list(
        Clock.objects.visible_to(user)
        .filter(met_on__isnull=True, due_on__lt=on, region__path__startswith=region.path)
        .values_list("assignee_id", flat=True)
    )
    users = {u for u in overdue if u}
    memberships = (
        Membership.objects.filter(user_id__in=users, active=True)
        .select_related("unit", "unit__region")
        .order_by("-unit__region__path")
    )
    unit_of: dict[int, Unit] = {}
    for m in memberships:
        if m.unit.region.path.startswith(region.path) or region.path.startswith(m.unit.region.path):
            unit_of.setdefault(m.user_id, m.unit)
    counts: dict[str, dict[str, Any]] = {}
    for user_id in overdue:
        unit = unit_of.get(user_id) if user_id else None
        name = unit.name if unit else "未指定承办人"
        entry = counts.setdefault(name, {"unit": name, "unit_id": unit.pk if unit else None, "overdue": 0})
        entry["overdue"] += 1
    return sorted(counts.values(), key=lambda e: (-e["overdue"], e["unit"]))
