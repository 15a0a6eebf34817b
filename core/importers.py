"""The directory's importers: regions, units and people (registered in ``core.imports``)."""

from __future__ import annotations

from typing import Any

from core import services
from core.clocks import calendar as cal
from core.clocks import services as clock_services
from core.history import Existing
from core.imports import Column, Importer, RowInvalid, register
from core.models import CalendarDay, CalendarYear, Person, Region, Unit
from core.models.people import PersonKind
from core.models.regions import RegionLevel, UnitKind
from core.personal import keyed_hash

LEVELS = {str(label): value for value, label in RegionLevel.choices}
UNIT_KINDS = {str(label): value for value, label in UnitKind.choices}
PERSON_KINDS = {str(label): value for value, label in PersonKind.choices}


def _visible_region(code: str, by: Any, key: str) -> Region:
    region = Region.objects.visible_to(by).filter(code=code).first()
    if region is None:
        raise RowInvalid({key: f"区划代码 {code} 不存在或不在您的管理范围内"})
    return region


def _choice(value: str, mapping: dict[str, str], key: str) -> str:
    if value in mapping:
        return mapping[value]
    if value in mapping.values():
        return value
    raise RowInvalid({key: f"“{value}”不是可选值，可选：{'、'.join(mapping)}"})


def _region_row(row: dict[str, str], by: Any) -> Any:
    level = _choice(row["level"], LEVELS, "level")
    parent = _visible_region(row["parent"], by, "parent") if row["parent"] else None
    same = Region.objects.visible_to(by).filter(code=row["code"]).first()
    if (
        same is not None
        and same.name == row["name"]
        and same.level == level
        and same.parent_id == getattr(parent, "pk", None)
    ):
        return Existing(same)  # imported before: a retried import adds nothing
    if parent is None and not getattr(by, "is_superuser", False):
        raise RowInvalid({"parent": "请填写上级区划代码（只有系统管理员可以建立最上级区域）"})
    return services.region_create(code=row["code"], name=row["name"], level=level, parent=parent, by=by)


def _unit_row(row: dict[str, str], by: Any) -> Any:
    kind = _choice(row["kind"], UNIT_KINDS, "kind")
    region = _visible_region(row["region"], by, "region")
    same = Unit.objects.filter(region=region, name=row["name"].strip(), kind=kind).first()
    if same is not None:
        return Existing(same)
    return services.unit_create(
        name=row["name"],
        kind=kind,
        region=region,
        uscc=row["uscc"],
        phone=row["phone"],
        address=row["address"],
        by=by,
    )


def _person_row(row: dict[str, str], by: Any) -> Any:
    kind = _choice(row["kind"], PERSON_KINDS, "kind")
    region = _visible_region(row["region"], by, "region")
    unit = None
    if row["unit"]:
        ancestors = [p for p in region.path.split("/") if p]
        unit = (
            Unit.objects.visible_to(by)
            .filter(name=row["unit"], region__code__in=ancestors)
            .order_by("-region__path")
            .first()
        )
        if unit is None:
            raise RowInvalid({"unit": f"在该区域及其上级找不到单位“{row['unit']}”"})
    paired = _visible_region(row["paired"], by, "paired") if row["paired"] else None
    qual = row["qualification"]
    if qual not in ("", "是", "否"):
        raise RowInvalid({"qualification": "请填写“是”或“否”"})
    same = _same_person(row, kind, region)
    if same is not None:
        return Existing(same)
    return services.person_create(
        by=by,
        name=row["name"],
        kind=kind,
        region=region,
        unit=unit,
        paired_region=paired,
        id_number=row["id_number"],
        phone=row["phone"],
        specialties=row["specialties"],
        legal_qualification=qual == "是",
        note=row["note"],
    )


def _same_person(row: dict[str, str], kind: str, region: Region) -> Person | None:
    """The roster entry this row was imported as before: same name, list and region, and the same ID number
    (or none on either side)."""
    candidates = Person.objects.filter(name=row["name"].strip(), kind=kind, region=region)
    id_number = "".join(row["id_number"].split()).upper()
    if id_number:
        return candidates.filter(id_number_hash=keyed_hash(id_number)).first()
    return candidates.filter(id_number_hash="").first()


REGIONS = register(
    Importer(
        "regions",
        "区域",
        [
            Column("区划代码", "code", True, "310115007001", "官方统计用区划代码，6至15位数字"),
            Column("名称", "name", True, "示例一居民区"),
            Column("层级", "level", True, "居村", "市、区、街镇、居村、网格 之一"),
            Column(
                "上级区划代码", "parent", False, "310115007", "上级区域的区划代码；上级可在本表前面的行中建立"
            ),
        ],
        _region_row,
    )
)

UNITS = register(
    Importer(
        "units",
        "单位",
        [
            Column("单位名称", "name", True, "示例街道司法所"),
            Column("单位类型", "kind", True, "司法所", "可选：" + "、".join(UNIT_KINDS)),
            Column("所在区划代码", "region", True, "310115007"),
            Column("统一社会信用代码", "uscc", False, "", "18位，按 GB 32100 校验"),
            Column("办公电话", "phone", False, "021-00000000"),
            Column("地址", "address", False, "示例路1号"),
        ],
        _unit_row,
    )
)

PEOPLE = register(
    Importer(
        "people",
        "人员名册",
        [
            Column("姓名", "name", True, "张某某（示例）"),
            Column("名册类别", "kind", True, "人民调解员", "可选：" + "、".join(PERSON_KINDS)),
            Column("所属区划代码", "region", True, "310115007001"),
            Column(
                "所属单位", "unit", False, "示例一居民区人民调解委员会", "所属区域或其上级区域中的单位名称"
            ),
            Column("身份证号", "id_number", False, "", "18位，按 GB 11643 校验；加密保存"),
            Column("联系电话", "phone", False, "", "加密保存"),
            Column("专长", "specialties", False, "邻里纠纷、物业纠纷", "多个用顿号分隔"),
            Column("法律职业资格", "qualification", False, "否", "是 / 否"),
            Column("结对居村区划代码", "paired", False, "", "法律顾问结对的居（村）"),
            Column("备注", "note", False, ""),
        ],
        _person_row,
        notes=[
            "身份证号、电话属于个人信息，仅加密保存，页面只显示掩码。",
            "同一区域、同一名册类别中姓名相同且身份证号相同（或均未填写）的人员视为已导入，重复导入不会重复登记。",
        ],
    )
)


def _calendar_row(row: dict[str, str], by: Any) -> Any:
    import datetime as dt

    try:
        year = int(row["year"])
    except ValueError:
        raise RowInvalid({"year": "年份应为四位数字"}) from None
    try:
        day = dt.date.fromisoformat(row["date"][:10])
    except ValueError:
        raise RowInvalid({"date": f"“{row['date']}”不是有效日期，格式应为 YYYY-MM-DD"}) from None
    if day.year != year:
        raise RowInvalid({"date": f"日期不在{year}年内"})
    if row["type"] not in ("休", "班"):
        raise RowInvalid({"type": "请填写“休”（放假）或“班”（调休上班）"})
    if row["type"] == "休" and not row["name"]:
        raise RowInvalid({"name": "放假日请填写节日名称"})
    same = CalendarDay.objects.filter(date=day).first()
    if same is not None:
        if same.is_working_day == (row["type"] == "班") and same.name == row["name"]:
            return Existing(same)
        raise RowInvalid(
            {
                "date": f"{day}已录入为{'调休上班日' if same.is_working_day else same.name or '放假日'}，与本行不同"
            }
        )
    _, new_year = CalendarYear.objects.get_or_create(
        year=year, defaults={"notice": row["notice"] or "（未填写）"}
    )
    created = CalendarDay.objects.create(date=day, is_working_day=row["type"] == "班", name=row["name"])
    return created, new_year


def _calendar_loaded(written: list[tuple[CalendarDay, bool]], by: Any) -> None:
    """The imported days count from now on: recompute the stored due dates they change (one pass, same transaction)."""
    clock_services.calendar_days_loaded(
        days=[day for day, _ in written], new_years={day.date.year for day, new in written if new}, by=by
    )


CALENDAR = register(
    Importer(
        "calendar",
        "放假安排",
        [
            Column("年份", "year", True, "2027"),
            Column(
                "依据通知",
                "notice",
                False,
                "国务院办公厅关于2027年部分节假日安排的通知",
                "同一年份只需在第一行填写",
            ),
            Column("日期", "date", True, "2027-01-01", "YYYY-MM-DD"),
            Column("类型", "type", True, "休", "休：法定节假日（含连休的周末）；班：调休上班日"),
            Column("节日名称", "name", False, "元旦"),
        ],
        _calendar_row,
        notes=["只需填写节假日和调休上班日；其余日期按周一至周五上班、周六周日休息。"],
        capability="calendar.manage",
        after_import=cal.clear_cache,
        finish=_calendar_loaded,
    )
)
