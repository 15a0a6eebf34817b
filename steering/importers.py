"""Imports of the steering module, all or nothing, through its services:

* ``plans``: a key-task plan (重点任务推进清单), one row per task;
* ``task-progress``: progress reports on a plan's tasks by year and period, as reported then (past years
  included: a past year's annual report shows them, never a later report);
* ``indicator-entries``: the values a street or district enters for indicators no module computes
  (``IndicatorEntry``), by the indicator's Chinese name or code, year and period, checked against the
  indicator's unit.

The indicator-entry import lives here, beside ``indicator_entry_record`` and the ``indicators.manage`` row
it goes through, rather than in core: core imports no app.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from core import indicators
from core.audit.context import recorded_at
from core.history import Existing, already, dates_in_order, parse_date, remember
from core.imports import Column, Importer, RowInvalid, register
from core.models import IndicatorEntry, Region

from . import services
from .models import Plan, ReportPeriod


def _row(row: dict[str, str], by: Any) -> Any:
    region = (
        Region.objects.visible_to(by).filter(code=row["region"], level__in=("street", "district")).first()
    )
    if region is None:
        raise RowInvalid({"region": f"区划代码 {row['region']} 不存在或不在您的工作范围内（应为街镇或区）"})
    try:
        first, last = (int(y) for y in row["years"].replace("—", "-").split("-"))
    except ValueError:
        raise RowInvalid({"years": "计划年度格式应为“2024-2026”"}) from None
    try:
        number = int(row["number"])
    except ValueError:
        raise RowInvalid({"number": "序号应为整数"}) from None
    try:
        due = (
            dt.date.fromisoformat(row["due_on"].replace("/", "-")[:10])
            if row["due_on"]
            else dt.date(last, 12, 31)
        )
    except ValueError:
        raise RowInvalid({"due_on": "完成时限格式应为 YYYY-MM-DD"}) from None
    plan = services.plan_get_or_create(
        region=region, name=row["plan"], start_year=first, end_year=last, by=by
    )
    return services.task_create(
        plan=plan,
        number=number,
        title=row["title"],
        projects=row["projects"],
        standards=row["standards"],
        responsible=row["responsible"],
        due_on=due,
        by=by,
    )


PLANS = register(
    Importer(
        "plans",
        "重点任务推进清单",
        [
            Column("区划代码", "region", True, "990100001", "计划所属街镇（或区）的区划代码"),
            Column("计划名称", "plan", True, "法治建设三年行动计划重点任务推进清单（2024-2026年）"),
            Column("计划年度", "years", True, "2024-2026"),
            Column("序号", "number", True, "1"),
            Column("工作任务", "title", True, "健全领导体制和工作机制"),
            Column("项目支撑", "projects", False, "加强法治建设领导力量", "多项可分行填写"),
            Column("工作标准", "standards", False, "党工委每年至少召开一次会议", "多项可分行填写"),
            Column(
                "责任主体",
                "responsible",
                True,
                "司法所；党政办",
                "按原文填写；与本街镇单位名称相符的自动关联",
            ),
            Column("完成时限", "due_on", False, "2026-12-31", "不填为计划截止年度的12月31日"),
        ],
        _row,
        notes=["同一计划名称的行归入同一计划；同一计划的序号不能重复。"],
        capability="steering.plan",
    )
)


# --- key-task progress ----------------------------------------------------------------------------------

PERIODS = {str(label): value for value, label in ReportPeriod.choices} | {
    "一季度": ReportPeriod.Q1,
    "二季度": ReportPeriod.Q2,
    "三季度": ReportPeriod.Q3,
    "四季度": ReportPeriod.Q4,
    "上半年": ReportPeriod.Q2,  # progress as it stood at the end of June
    "前三季度": ReportPeriod.Q3,
    "年度": ReportPeriod.ANNUAL,
    **{f"Q{i}": f"q{i}" for i in range(1, 5)},
}
PERIOD_NAMES = [str(label) for label in ReportPeriod.labels]


def _plan_region(code: str, by: Any) -> Region:
    region = Region.objects.visible_to(by).filter(code=code, level__in=("street", "district")).first()
    if region is None:
        raise RowInvalid({"region": f"区划代码 {code[:20]} 不存在或不在您的工作范围内（应为街镇或区）"})
    return region


def _by_column(exc: ValidationError, renamed: dict[str, str], columns: set[str], default: str) -> RowInvalid:
    """A service's ValidationError as the row's errors, keyed by the template's columns."""
    if not hasattr(exc, "error_dict"):
        return RowInvalid({default: "；".join(exc.messages)})
    return RowInvalid(
        {renamed.get(k, k if k in columns else default): "；".join(v) for k, v in exc.message_dict.items()}
    )


def _year(text: str, key: str) -> int:
    try:
        year = int(text.strip().removesuffix("年"))
    except ValueError:
        raise RowInvalid({key: f"年度“{text[:10]}”应为四位数字年份，如2025"}) from None
    if not 2000 <= year <= timezone.localdate().year:
        raise RowInvalid({key: f"年度{year}不在2000年至今年之间"})
    return year


def _progress_row(row: dict[str, str], by: Any) -> Any:
    region = _plan_region(row["region"], by)
    ref = row["source_ref"]
    found = already(PROGRESS.kind, region, ref)
    if found is not None:
        return Existing(found)
    plan = Plan.objects.visible_to(by).filter(region=region, name=row["plan"]).first()
    if plan is None:
        raise RowInvalid({"plan": f"{region.name}没有名为“{row['plan'][:40]}”的推进计划，请先导入推进清单"})
    errors: dict[str, str] = {}
    task = None
    try:
        task = plan.tasks.filter(number=int(row["number"])).first()
        if task is None:
            errors["number"] = f"计划“{plan.name[:40]}”中没有序号为{row['number']}的任务"
    except ValueError:
        errors["number"] = "任务序号应为整数"
    year = period = reported = percent = None
    try:
        year = _year(row["year"], "year")
    except RowInvalid as exc:
        errors.update(exc.errors)
    if row["period"] in PERIODS or row["period"] in ReportPeriod.values:
        period = PERIODS.get(row["period"], row["period"])
    else:
        errors["period"] = f"报送期次“{row['period'][:10]}”不是可选值，可选：{'、'.join(PERIOD_NAMES)}"
    try:
        reported = parse_date(row["reported_on"], "reported_on", "报送日期", required=True)
        dates_in_order([("reported_on", "报送日期", reported)])
    except RowInvalid as exc:
        errors.update(exc.errors)
    try:
        percent = int(row["percent"].strip().removesuffix("%"))
        if not 0 <= percent <= 100:
            raise ValueError
    except ValueError:
        errors["percent"] = "完成进度应为0到100的整数"
    if errors:
        raise RowInvalid(errors)
    assert task is not None and reported is not None and percent is not None
    moment = timezone.make_aware(dt.datetime.combine(reported, dt.time(9, 0)))
    try:
        with recorded_at(moment):
            update = services.task_report(
                task=task,
                reported_on=reported,
                percent=percent,
                note=row["note"],
                by=by,
                evidence_link=row["evidence_link"],
                evidence_note=row["evidence_note"],
                year=year,
                period=str(period),
                historical=True,
            )
    except ValidationError as exc:
        keys = {"evidence_file": "evidence_note"}
        raise RowInvalid(
            {
                keys.get(k, k if k in PROGRESS_KEYS else "note"): "；".join(v)
                for k, v in exc.message_dict.items()
            }
        ) from None
    remember(PROGRESS.kind, region, ref, update)
    return update


PROGRESS_COLUMNS = [
    Column("来源编号", "source_ref", True, "2025-Q4-01", "报送台账中的编号；同一编号只导入一次", 80),
    Column("计划所属区划代码", "region", True, "990100001", "推进计划所属街镇（或区）的区划代码"),
    Column("计划名称", "plan", True, "法治建设三年行动计划重点任务推进清单（2024-2026年）", "", 200),
    Column("任务序号", "number", True, "1"),
    Column("所属年度", "year", True, "2025", "这次报送说的是哪一年的进度"),
    Column(
        "报送期次", "period", True, "第四季度", "可选：" + "、".join(PERIOD_NAMES) + "（上半年按第二季度）"
    ),
    Column("报送日期", "reported_on", True, "2026-01-08", "不早于该期开始，不晚于今天"),
    Column("完成进度（%）", "percent", True, "60", "0至100的整数"),
    Column("进展说明", "note", True, "已完成年度述法（示例）"),
    Column(
        "佐证说明",
        "evidence_note",
        False,
        "2025年度述法会议纪要（存司法所档案）",
        "佐证材料的名称和存放处；进度100%的须填写佐证说明或平台内记录链接",
        300,
    ),
    Column("平台内记录链接", "evidence_link", False, "", "本平台中记录页面的地址（以“/”开头）", 300),
]
PROGRESS_KEYS = {c.key for c in PROGRESS_COLUMNS}

PROGRESS = register(
    Importer(
        "task-progress",
        "重点任务推进情况",
        PROGRESS_COLUMNS,
        _progress_row,
        notes=[
            "每行一次进度报送（往年的按当时报送的填写）：某年度报告中的任务进度，取该年度最后一期报送的进度，"
            "以后年度的报送不影响往年报告。",
            "按来源编号识别：同一编号再次导入不会重复登记。",
        ],
        capability="steering.task.report",
        group="统筹推进",
        description="重点任务按年度、期次报送的进度（含往年）。",
    )
)


# --- manual indicator entries -----------------------------------------------------------------------------

ENTRY_PERIODS = {
    "全年": (1, 12),
    "第一季度": (1, 3),
    "第二季度": (4, 6),
    "第三季度": (7, 9),
    "第四季度": (10, 12),
}


def _indicator(text: str) -> indicators.Indicator:
    found = indicators.get(text) or next((i for i in indicators.all_indicators() if i.name == text), None)
    if found is None:
        raise RowInvalid({"indicator": f"指标“{text[:40]}”不存在，请填写“法治指标”页面上的指标名称或代码"})
    return found


def _entry_row(row: dict[str, str], by: Any) -> Any:
    region = Region.objects.visible_to(by).filter(code=row["region"]).first()
    if region is None:
        raise RowInvalid({"region": f"区划代码 {row['region'][:20]} 不存在或不在您的工作范围内"})
    ref = row["source_ref"]
    found = already(ENTRIES.kind, region, ref)
    if found is not None:
        return Existing(found)
    errors: dict[str, str] = {}
    ind = year = None
    try:
        ind = _indicator(row["indicator"])
    except RowInvalid as exc:
        errors.update(exc.errors)
    try:
        year = _year(row["year"], "year")
    except RowInvalid as exc:
        errors.update(exc.errors)
    label = row["period"] or "全年"
    if label not in ENTRY_PERIODS:
        errors["period"] = f"期间“{label[:10]}”不是可选值，可选：{'、'.join(ENTRY_PERIODS)}"
    if errors:
        raise RowInvalid(errors)
    assert ind is not None and year is not None
    first, last = ENTRY_PERIODS[label]
    start = dt.date(year, first, 1)
    end = dt.date(year + (last == 12), last % 12 + 1, 1) - dt.timedelta(days=1)
    dates_in_order([("period", "期间开始", start)])  # a period that has not begun cannot have a value
    if not ref:  # without a source reference, the same value with the same evidence is the same entry
        latest = indicators.latest_entries(region, start, end).get(ind.code)
        if latest is not None and _same(latest, row):
            return Existing(latest)
    try:
        entry = services.indicator_entry_record(
            region=region,
            code=ind.code,
            period_start=start,
            period_end=end,
            value=row["value"],
            evidence=row["evidence"],
            by=by,
        )
    except ValidationError as exc:
        keys = {"code": "indicator", "period_end": "period", "evidence_file": "evidence"}
        raise RowInvalid(
            {
                keys.get(k, k if k in ENTRY_KEYS else "value"): "；".join(v)
                for k, v in exc.message_dict.items()
            }
        ) from None
    remember(ENTRIES.kind, region, ref, entry)
    return entry


def _same(entry: IndicatorEntry, row: dict[str, str]) -> bool:
    from decimal import Decimal, InvalidOperation

    try:
        return entry.value == Decimal(row["value"].strip()) and entry.evidence == row["evidence"].strip()
    except InvalidOperation:
        return False


ENTRY_COLUMNS = [
    Column(
        "指标",
        "indicator",
        True,
        "行政复议法定审限内结案率",
        "“法治指标”页面上手工填报的指标名称或代码（如 district.09）",
        100,
    ),
    Column("区划代码", "region", True, "990100", "填报数值所属的区域（区、街镇等）"),
    Column("年度", "year", True, "2025"),
    Column("期间", "period", False, "全年", "可选：" + "、".join(ENTRY_PERIODS) + "；不填为全年"),
    Column(
        "数值",
        "value",
        True,
        "100",
        "按指标单位填写：百分比填0至100（不带%），次数、件数填整数；最多两位小数",
        20,
    ),
    Column("佐证说明", "evidence", True, "区行政复议局年度结案台账（示例）", "数据来源、统计口径、材料名称"),
    Column(
        "来源编号",
        "source_ref",
        False,
        "",
        "填写后同一编号只导入一次；不填时，同一指标、区域、期间已有相同数值和佐证的视为已导入",
        80,
    ),
]
ENTRY_KEYS = {c.key for c in ENTRY_COLUMNS}

ENTRIES = register(
    Importer(
        "indicator-entries",
        "指标手工填报",
        ENTRY_COLUMNS,
        _entry_row,
        notes=[
            "只接受尚无业务模块计算的指标（手工填报指标）；由系统计算的指标会被拒绝。",
            "同一指标、区域和期间可多次填报：最新一行生效，原数值保留在历史中。",
        ],
        capability="indicators.manage",
        group="统筹推进",
        description="尚无模块计算的指标的年度（或季度）数值及佐证。",
    )
)
