"""Reads of the indicator registry for pages and the API, scoped to the user."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

from core import indicators
from core.indicators import Result
from core.models import IndicatorEntry, IndicatorTarget, Region

PARTS = {"records": "计入数值的记录", "base": "分母记录"}


def query_string(region: Region, start: dt.date, end: dt.date, **extra: Any) -> str:
    return urlencode({"region": region.pk, "from": start.isoformat(), "to": end.isoformat(), **extra})


def records_url(code: str, region: Region, start: dt.date, end: dt.date, part: str = "records") -> str:
    return reverse("steering:records", args=[code]) + "?" + query_string(region, start, end, part=part)


def detail_url(code: str, region: Region, start: dt.date, end: dt.date) -> str:
    return reverse("steering:indicator", args=[code]) + "?" + query_string(region, start, end)


def results(user: Any, region: Region, start: dt.date, end: dt.date, codes: Any = None) -> list[Result]:
    return indicators.evaluate(user, region, start, end, codes=codes)


def result_of(user: Any, code: str, region: Region, start: dt.date, end: dt.date) -> Result:
    if indicators.get(code) is None:
        raise Http404("指标不存在")
    return results(user, region, start, end, codes=[code])[0]


def records_of(result: Result, part: str) -> QuerySet[Any]:
    """The records behind a computed figure (``records``) or its denominator (``base``)."""
    if result.reading is None or part not in PARTS:
        raise Http404("该指标没有可下钻的记录")
    qs = result.reading.records if part == "records" else result.reading.base
    if qs is None:
        raise Http404("该指标没有分母记录")
    return qs


def target_history(region: Region, year: int, code: str) -> QuerySet[IndicatorTarget]:
    prefixes = indicators.path_prefixes(region.path)
    return (
        IndicatorTarget.objects.filter(code=code, year=year, region__path__in=prefixes)
        .select_related("region", "set_by")
        .order_by("-set_at", "-pk")
    )


def entry_history(region: Region, code: str, start: dt.date, end: dt.date) -> QuerySet[IndicatorEntry]:
    return (
        IndicatorEntry.objects.filter(region=region, code=code, period_start=start, period_end=end)
        .select_related("entered_by")
        .order_by("-entered_at", "-pk")
    )


# --- key tasks -----------------------------------------------------------------------------------


def task_state(task: Any, on: dt.date) -> str:
    """按期 / 临近到期 / 已逾期 / 按期办结 / 逾期办结 — the clock states, against the plan's due date."""
    from django.conf import settings

    from core.clocks.engine import clock_state

    done_on = task.last_reported_on if task.progress >= 100 else None
    return str(clock_state(task.due_on, done_on, on, settings.FAZHI_DUE_SOON_DAYS))


def tasks_visible(user: Any) -> QuerySet[Any]:
    from .models import KeyTask

    return KeyTask.objects.visible_to(user).select_related("plan", "plan__region").prefetch_related("units")


def tasks_of_year(user: Any, region: Region, year: int) -> list[Any]:
    """The key tasks of ``region``'s plans (and its subtree's) that run in ``year``, with their reports."""
    return list(
        tasks_visible(user)
        .filter(
            plan__region__path__startswith=region.path, plan__start_year__lte=year, plan__end_year__gte=year
        )
        .prefetch_related("updates")
        .order_by("plan__name", "number")
    )


def progress_as_reported(tasks: Any, year: int) -> dict[int, Any]:
    """Each task's progress as reported in ``year``: its last report of that year (by period, then date), or —
    when it had none that year — its last report of an earlier year; None when nothing was reported by then.
    Reports of later years never count, so a past year's report keeps the progress it had then."""
    found: dict[int, Any] = {}
    for task in tasks:
        reports = [u for u in task.updates.all() if u.year <= year]
        found[task.pk] = max(reports, key=lambda u: u.sort_key) if reports else None
    return found
