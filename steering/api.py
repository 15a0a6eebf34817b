"""/api/v1/indicators: every registered indicator for a region and period, and the records behind each.

No ``from __future__ import annotations`` here: django-ninja resolves the ``PeriodQuery`` parameter of a
``@paginate``d endpoint from real annotations.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from core.indicators import IndicatorKind, Result, Source
from core.pagination import PageNumberPagination
from core.selectors import region_and_period

from . import selectors

router = Router(tags=["法治指标"])


class PeriodQuery(Schema):
    """?region=&year= or ?region=&from=&to= (default: the top of the caller's scope, this year to date)."""

    region: int | None = None
    year: int | None = None
    start: str | None = Field(None, alias="from")
    end: str | None = Field(None, alias="to")

    def resolve(self, user: Any) -> tuple[Any, dt.date, dt.date]:
        return region_and_period(user, region=self.region, year=self.year, start=self.start, end=self.end)


class RegionRef(Schema):
    id: int
    name: str
    level: str


class ManualEntryOut(Schema):
    value: Decimal
    evidence: str
    evidence_file: str
    entered_by: str
    entered_at: dt.datetime


class IndicatorOut(Schema):
    code: str
    name: str
    kind: str = Field(description="binding 约束性 / expected 预期性")
    kind_label: str
    unit: str
    value: Decimal | None = Field(description="None：本期无数据（比率分母为0）或手工指标待填报；从不以0代替")
    target: str = Field(description="目标表述，如“≥98%”“不高于1%”；空串表示无目标")
    target_origin: str
    status: str = Field(description="met / not_met / no_target / no_data / missing")
    status_label: str
    source: str = Field(description="computed 系统计算 / manual 手工填报")
    source_label: str
    numerator: int | None
    denominator: int | None
    records_url: str = Field(description="数值背后的记录清单（页面）；手工指标为指标详情页（含佐证）")
    base_url: str | None = Field(description="比率的分母记录清单")
    basis: str = Field(description="政策依据")
    method: str = Field(description="计算口径")
    manual_entry: ManualEntryOut | None


class IndicatorsOut(Schema):
    region: RegionRef
    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")
    indicators: list[IndicatorOut]


def indicator_out(r: Result, region: Any, start: dt.date, end: dt.date) -> dict[str, Any]:
    ind = r.indicator
    entry = r.entry
    reading = r.reading
    if r.source == Source.COMPUTED:
        url = selectors.records_url(ind.code, region, start, end)
    else:
        url = selectors.detail_url(ind.code, region, start, end)
    return {
        "code": ind.code,
        "name": ind.name,
        "kind": ind.kind,
        "kind_label": str(IndicatorKind(ind.kind).label),
        "unit": ind.unit,
        "value": r.value,
        "target": r.target.text,
        "target_origin": r.target_origin,
        "status": r.status,
        "status_label": r.status_label,
        "source": r.source,
        "source_label": str(Source(r.source).label),
        "numerator": reading.numerator if reading else None,
        "denominator": reading.denominator if reading else None,
        "records_url": url,
        "base_url": selectors.records_url(ind.code, region, start, end, "base")
        if reading is not None and reading.base is not None
        else None,
        "basis": ind.source,
        "method": ind.method,
        "manual_entry": {
            "value": entry.value,
            "evidence": entry.evidence,
            "evidence_file": entry.evidence_file.url if entry.evidence_file else "",
            "entered_by": entry.entered_by.display_name,
            "entered_at": entry.entered_at,
        }
        if entry
        else None,
    }


@router.get(
    "/indicators",
    response=IndicatorsOut,
    by_alias=True,
    summary="法治指标：某区域某期间的全部指标（数值、目标、达标情况、来源、记录链接）",
)
def indicator_list(
    request: HttpRequest,
    period: PeriodQuery = Query(...),
) -> Any:
    reg, first, last = period.resolve(request.user)
    rows = selectors.results(request.user, reg, first, last)
    return {
        "region": {"id": reg.pk, "name": reg.name, "level": reg.level},
        "from": first,
        "to": last,
        "indicators": [indicator_out(r, reg, first, last) for r in rows],
    }


class RecordOut(Schema):
    id: int
    label: str
    url: str | None

    @staticmethod
    def resolve_id(obj: Any) -> int:
        return int(obj.pk)

    @staticmethod
    def resolve_label(obj: Any) -> str:
        return str(obj)

    @staticmethod
    def resolve_url(obj: Any) -> str | None:
        return obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None


@router.get(
    "/indicators/{code}/records",
    response=list[RecordOut],
    summary="指标数值背后的记录（part=records 计入数值的记录，part=base 分母）",
)
@paginate(PageNumberPagination, page_size=50)
def indicator_records(
    request: HttpRequest,
    code: str,
    period: PeriodQuery = Query(...),
    part: str = "records",
) -> Any:
    reg, first, last = period.resolve(request.user)
    result = selectors.result_of(request.user, code, reg, first, last)
    return selectors.records_of(result, part)


@router.get(
    "/dashboard", summary="驾驶舱数据：指标卡片、月度趋势、类型与下级区域分布、按单位逾期、下级区域排名"
)
def dashboard_data(
    request: HttpRequest,
    period: PeriodQuery = Query(...),
    rank: str = "disputes.success_rate",
) -> Any:
    from core import indicators

    from .dashboard import dashboard

    if indicators.get(rank) is None:
        from django.core.exceptions import ValidationError

        raise ValidationError({"rank": f"未知的指标代码“{rank}”"})
    reg, first, last = period.resolve(request.user)
    data = dashboard(request.user, reg, first, last, rank)
    data["map"] = {
        "uploaded": data["map"]["geojson"] is not None,
        "name_property": data["map"]["name_property"],
    }
    return data


@router.get(
    "/indicators/{code}/ranking",
    summary="下级区域（如区内各街镇）按某项指标排名，附各自记录链接",
)
def indicator_ranking(
    request: HttpRequest,
    code: str,
    period: PeriodQuery = Query(...),
) -> Any:
    from django.http import Http404

    from core import indicators

    from .dashboard import ranking

    if indicators.get(code) is None:
        raise Http404("指标不存在")
    reg, first, last = period.resolve(request.user)
    return {
        "region": {"id": reg.pk, "name": reg.name},
        "code": code,
        "rows": ranking(request.user, reg, first, last, code),
    }
