"""Import a key-task plan (重点任务推进清单) from a spreadsheet: one row per task, all or nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.imports import Column, Importer, RowInvalid, register
from core.models import Region

from . import services


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
