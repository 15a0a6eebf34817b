"""The weekly dispute analysis report (民情分析周报, .docx) generated in the background (core.jobs
``register_report``), built by the same functions as the page's download."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from core.jobs import ReportKind, register_report
from core.models import Region
from core.selectors import region_and_period

from . import reports, selectors


def _clean(user: Any, query: Any) -> tuple[dict[str, Any], str]:
    region, _, _ = region_and_period(user, region=query.get("region"), year=None, start=None, end=None)
    today = timezone.localdate().isocalendar()
    week = query.get("week") or f"{today.year}-W{today.week:02d}"
    try:
        selectors.week_bounds(week)
    except ValueError as exc:
        raise ValidationError({"week": str(exc)}) from None
    return {"region": region.pk, "week": week}, f"{region.name}民情分析周报（{week}）"


def _build(user: Any, params: dict[str, Any]) -> tuple[bytes, str]:
    region = Region.objects.visible_to(user).get(pk=params["region"])
    report = reports.weekly_report(user, region, params["week"])
    return reports.weekly_docx(report), f"{region.name}民情分析周报（{params['week']}）.docx"


WEEKLY = register_report(ReportKind("weekly", "民情分析周报", _clean, _build))
