"""The steering reports generated in the background (core.jobs ``register_report``): the annual report of a
street, district or city (.docx) and the quarterly statistics (.xlsx), built by the same functions as the
pages' downloads, for the region and year the page shows."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from core.jobs import ReportKind, register_report
from core.models import Region
from core.selectors import region_and_period

from . import reports


def _region_year(user: Any, query: Any) -> tuple[Region, int]:
    region, start, _ = region_and_period(
        user, region=query.get("region"), year=query.get("year"), start=None, end=None
    )
    return region, start.year


def _annual_clean(user: Any, query: Any) -> tuple[dict[str, Any], str]:
    region, year = _region_year(user, query)
    dated = reports.document_date(query.get("dated"), year, timezone.localdate())
    return (
        {"region": region.pk, "year": year, "dated": dated.isoformat()},
        f"{region.name}{year}年法治政府建设年度报告",
    )


def _annual_build(user: Any, params: dict[str, Any]) -> tuple[bytes, str]:
    import datetime as dt

    region = Region.objects.visible_to(user).get(pk=params["region"])
    return reports.annual_document(user, region, params["year"], dt.date.fromisoformat(params["dated"]))


def _quarterly_clean(user: Any, query: Any) -> tuple[dict[str, Any], str]:
    region, year = _region_year(user, query)
    return {"region": region.pk, "year": year}, f"{region.name}{year}年法治建设季度统计"


def _quarterly_build(user: Any, params: dict[str, Any]) -> tuple[bytes, str]:
    region = Region.objects.visible_to(user).get(pk=params["region"])
    year = params["year"]
    return reports.quarterly_xlsx(user, region, year), f"{region.name}{year}年法治建设季度统计.xlsx"


ANNUAL = register_report(ReportKind("annual", "法治政府建设年度报告", _annual_clean, _annual_build))
QUARTERLY = register_report(ReportKind("quarterly", "法治建设季度统计", _quarterly_clean, _quarterly_build))
