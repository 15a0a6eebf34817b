"""Writes of the indicator registry: targets per region and year, and manual entries with evidence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from core import indicators
from core.attachments import validate_attachment
from core.db import atomic
from core.models import IndicatorEntry, IndicatorTarget, Region
from core.permissions import allowed, authorize

# Units that count things: a manual value in one of them is a whole number.
COUNT_UNITS = frozenset({"件", "次", "条", "项", "个", "人", "家", "场", "名"})


def _check(by: Any, region: Region, code: str) -> indicators.Indicator:
    authorize(by, "indicators.manage", region)
    ind = indicators.get(code)
    if ind is None:
        raise ValidationError({"code": f"未知的指标代码“{code}”"})
    return ind


@atomic
def indicator_target_set(
    *, region: Region, year: int, code: str, text: str, reason: str, by: Any
) -> IndicatorTarget:
    """Set the target of an indicator for a region and year; earlier targets stay in the history."""
    _check(by, region, code)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写目标值，如“100”“≥98%”“不高于1%”"})
    if len(text) > 60:
        raise ValidationError({"text": "目标表述不超过60字"})
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": "年度超出范围（2000—2100）"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "请说明设定或调整目标的理由（如文件依据）"})
    target = indicators.parse_target(text)
    if target.value is not None and not (0 <= target.value < Decimal(10) ** 12):
        raise ValidationError({"text": "目标数值超出范围"})
    return IndicatorTarget.objects.create(
        region=region,
        year=year,
        code=code,
        op=target.op,
        value=target.value,
        text=text,
        reason=reason.strip(),
        set_by=by,
    )


@atomic
def indicator_entry_record(
    *,
    region: Region,
    code: str,
    period_start: dt.date,
    period_end: dt.date,
    value: Any,
    evidence: str,
    by: Any,
    evidence_file: Any = None,
) -> IndicatorEntry:
    """Record the value of a manual indicator for a region and period, with its evidence."""
    ind = _check(by, region, code)
    if not ind.manual:
        raise ValidationError({"code": f"“{ind.name}”由系统根据业务记录计算，不接受手工填报"})
    if period_end < period_start:
        raise ValidationError({"period_end": "期间止早于期间起"})
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"value": f"数值“{value}”不是有效数字"}) from None
    if not number.is_finite() or number < 0:
        raise ValidationError({"value": "数值应为不小于0的数字"})
    if ind.unit == "%" and number > 100:
        raise ValidationError({"value": "百分比数值不能超过100"})
    if ind.unit in COUNT_UNITS and number != number.to_integral_value():
        raise ValidationError({"value": f"“{ind.name}”以“{ind.unit}”计，应为整数"})
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError({"value": "数值最多保留两位小数"})
    if not (evidence or "").strip():
        raise ValidationError({"evidence": "请填写佐证说明（数据来源、统计口径、材料名称）"})
    if evidence_file and (problem := validate_attachment(evidence_file, label="佐证材料")):
        raise ValidationError({"evidence_file": problem})
    return IndicatorEntry.objects.create(
        region=region,
        code=code,
        period_start=period_start,
        period_end=period_end,
        value=number,
        evidence=evidence.strip(),
        evidence_file=evidence_file or "",
        entered_by=by,
    )


# --- key tasks -----------------------------------------------------------------------------------


def _short_name(unit: Any, street: Region) -> str:
    """“示例街道司法所” -> “司法所”: the name a plan's 责任主体 column uses."""
    name = unit.name
    for prefix in (street.name, "示例"):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name


def responsible_units(region: Region, responsible: str) -> list[Any]:
    """The units of ``region`` whose short name appears in the plan's 责任主体 text."""
    from core.models import Unit

    units = Unit.objects.filter(region=region, active=True)
    return [u for u in units if len(short := _short_name(u, region)) >= 2 and short in responsible]


@atomic
def plan_get_or_create(*, region: Region, name: str, start_year: int, end_year: int, by: Any) -> Any:
    from .models import Plan

    authorize(by, "steering.plan", region)
    name = name.strip()
    if not name:
        raise ValidationError({"plan": "请填写计划名称"})
    if not 2000 <= start_year <= end_year <= 2100:
        raise ValidationError({"years": "计划年度应为“起始-截止”，如2024-2026"})
    plan, _ = Plan.objects.get_or_create(
        region=region, name=name, defaults={"start_year": start_year, "end_year": end_year}
    )
    return plan


@atomic
def task_create(
    *,
    plan: Any,
    number: int,
    title: str,
    projects: str,
    standards: str,
    responsible: str,
    due_on: dt.date,
    by: Any,
) -> Any:
    from .models import KeyTask

    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "请填写工作任务"
    if not responsible.strip():
        errors["responsible"] = "请填写责任主体"
    if plan.tasks.filter(number=number).exists():
        errors["number"] = f"序号{number}在该计划中已存在"
    if not dt.date(plan.start_year, 1, 1) <= due_on <= dt.date(plan.end_year, 12, 31):
        errors["due_on"] = f"完成时限应在计划期内（{plan.start_year}—{plan.end_year}年）"
    if errors:
        raise ValidationError(errors)
    task = KeyTask.objects.create(
        plan=plan,
        number=number,
        title=title.strip(),
        projects=projects.strip(),
        standards=standards.strip(),
        responsible=responsible.strip(),
        due_on=due_on,
    )
    task.units.set(responsible_units(plan.region, responsible))
    return task


def may_report(user: Any, task: Any) -> bool:
    """A responsible unit's staff report on their task; the justice office and district staff on any."""
    return allowed(user, "steering.task.report", task)


def period_of(day: dt.date) -> tuple[int, str]:
    """The year and quarter a report made on ``day`` is about, when the reporter does not say."""
    return day.year, f"q{(day.month - 1) // 3 + 1}"


@atomic
def task_report(
    *,
    task: Any,
    reported_on: dt.date,
    percent: int,
    note: str,
    by: Any,
    evidence_file: Any = None,
    evidence_link: str = "",
    year: int | None = None,
    period: str = "",
    evidence_note: str = "",
    historical: bool = False,
) -> Any:
    """Report progress on a key task: percentage, what was done, and the evidence, for a year and period.

    ``year``/``period`` (第一季度…第四季度、全年) default to the quarter of ``reported_on``; a report may be
    made after its period (a 第四季度 report in January) but not before the period begins. ``historical``
    marks a record of a past year entered as reported then (an import): its evidence may be a description
    of the material kept outside the platform (``evidence_note``) instead of a file or a record link.
    """
    from django.urls import Resolver404, resolve

    from core.clocks.services import today

    from .models import PERIOD_FIRST_MONTH, KeyTask, ReportPeriod, TaskProgress

    authorize(by, "steering.task.report", task)
    errors: dict[str, str] = {}
    if not 0 <= int(percent) <= 100:
        errors["percent"] = "完成进度应在0到100之间"
    if reported_on > today():
        errors["reported_on"] = "报送日期不能晚于今天"
    default_year, default_period = period_of(reported_on)
    year = int(year) if year else default_year
    period = period or default_period
    if period not in ReportPeriod.values:
        errors["period"] = "报送期次应为第一季度、第二季度、第三季度、第四季度或全年"
    elif not task.plan.start_year <= year <= task.plan.end_year:
        errors["year"] = f"所属年度应在计划期内（{task.plan.start_year}—{task.plan.end_year}年）"
    elif reported_on < dt.date(year, PERIOD_FIRST_MONTH[ReportPeriod(period)], 1):
        errors["reported_on"] = (
            f"报送日期{reported_on.isoformat()}早于{year}年{ReportPeriod(period).label}的开始，请核对所属年度和期次"
        )
    if not (note or "").strip():
        errors["note"] = "请填写进展说明"
    link = (evidence_link or "").strip()
    if link:
        try:
            resolve(link.split("?")[0])
        except Resolver404:
            errors["evidence_link"] = "平台内记录链接无效：请复制本平台中记录页面的地址（以“/”开头）"
    if evidence_file and (problem := validate_attachment(evidence_file, label="佐证材料")):
        errors["evidence_file"] = problem
    evidence_note = (evidence_note or "").strip()
    if evidence_note and not historical:
        errors["evidence_note"] = "佐证说明只用于导入往年记录；请上传佐证材料或填写平台内记录链接"
    if int(percent) == 100 and not (evidence_file or link or evidence_note):
        errors["evidence_file"] = (
            "报送完成（100%）须附佐证材料、平台内记录链接或（往年记录）佐证说明"
            if historical
            else "报送完成（100%）须附佐证材料或平台内记录链接"
        )
    if errors:
        raise ValidationError(errors)
    task = KeyTask.objects.select_for_update().get(pk=task.pk)
    unit = _reporting_unit(task, by)
    update = TaskProgress.objects.create(
        task=task,
        reported_on=reported_on,
        year=year,
        period=period,
        percent=int(percent),
        note=note.strip(),
        evidence_file=evidence_file or "",
        evidence_link=link,
        evidence_note=evidence_note,
        historical=historical,
        unit=unit,
        reported_by=by,
    )
    latest = max(task.updates.all(), key=lambda u: u.sort_key)
    task.progress, task.last_reported_on = latest.percent, latest.reported_on
    task.save(update_fields=["progress", "last_reported_on"])
    return update


def _reporting_unit(task: Any, by: Any) -> Any:
    from core.scoping import active_memberships

    unit_ids = set(task.units.values_list("pk", flat=True))
    return next((m.unit for m in active_memberships(by) if m.unit_id in unit_ids), None)


# --- dashboard map ------------------------------------------------------------------------------

MAX_GEOJSON_BYTES = 5 * 1024 * 1024


@atomic
def region_map_upload(*, region: Region, upload: Any, name_property: str, by: Any) -> tuple[Any, list[str]]:
    """Store a GeoJSON FeatureCollection whose features name the region's children. Returns the map and
    the children the file does not draw (they still appear in the tile map and the tables)."""
    import json

    from .models import RegionMap

    authorize(by, "steering.map", region)
    if upload.size > MAX_GEOJSON_BYTES:
        raise ValidationError({"geojson": "GeoJSON 文件不能超过5MB"})
    try:
        data = json.loads(upload.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationError({"geojson": "文件不是有效的 GeoJSON（UTF-8 编码的 JSON）"}) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not data.get("features"):
        raise ValidationError({"geojson": "GeoJSON 应为含要素的 FeatureCollection"})
    prop = (name_property or "name").strip()
    names = set()
    for i, feature in enumerate(data["features"], start=1):
        geometry = (feature or {}).get("geometry") or {}
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise ValidationError({"geojson": f"第{i}个要素不是面（Polygon 或 MultiPolygon）"})
        name = ((feature.get("properties") or {}).get(prop) or "").strip()
        if not name:
            raise ValidationError({"name_property": f"第{i}个要素没有名称属性“{prop}”"})
        names.add(name)
    children = list(Region.objects.filter(parent=region).values_list("name", flat=True))
    if not names & set(children):
        raise ValidationError(
            {"name_property": f"要素名称与{region.name}的下级区域名称都不相符，请检查名称属性"}
        )
    region_map, _ = RegionMap.objects.update_or_create(
        region=region,
        defaults={"geojson": json.dumps(data, ensure_ascii=False), "name_property": prop, "uploaded_by": by},
    )
    return region_map, sorted(set(children) - names)


# --- annual report draft ----------------------------------------------------------------------------


@atomic
def annual_report_save(
    *, region: Region, year: int, sections: dict[str, str], figures_digest: str, by: Any
) -> Any:
    from .models import AnnualReport

    authorize(by, "steering.report", region)
    errors = {
        k: "该部分不能为空"
        for k in ("part1", "part2", "part3", "part4")
        if not (sections.get(k) or "").strip()
    }
    if errors:
        raise ValidationError(errors)
    report, _ = AnnualReport.objects.update_or_create(
        region=region,
        year=year,
        defaults={
            **{k: sections[k].strip() for k in ("part1", "part2", "part3", "part4")},
            "figures_digest": figures_digest,
            "saved_by": by,
        },
    )
    return report


@atomic
def annual_report_discard(*, region: Region, year: int, by: Any) -> None:
    from .models import AnnualReport

    authorize(by, "steering.report", region)
    AnnualReport.objects.filter(region=region, year=year).delete()
