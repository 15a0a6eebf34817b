"""12345 work orders received in a batch (a day's or a month's export of the city platform): each row through
the same receipt as the API, so a retried workbook adds nothing (the same 工单编号 is the same order)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from administration.importers.rows import Checked, read_choice
from core.history import parse_moment
from core.imports import Column, Importer, RowInvalid, register
from core.models import Region

from . import services
from .choices import Channel, OrderKind, TimeClass

KINDS = {str(label): value for value, label in OrderKind.choices}
CLASSES = {str(label): value for value, label in TimeClass.choices} | {"咨询": TimeClass.CONSULTATION}
COLUMNS = {"region": "community"}


def _region(code: str, by: Any) -> Region:
    region = Region.objects.visible_to(by).filter(code=code, level__in=("street", "community")).first()
    if region is None:
        raise RowInvalid({"community": f"区划代码 {code} 不存在、不是街镇或居村，或不在您的工作范围内"})
    return region


def _row(row: dict[str, str], by: Any) -> Any:
    check = Checked()
    region = check(_region, row["community"], by)
    kind = check(read_choice, row["kind"], KINDS, "kind", "诉求类型")
    time_class = (
        check(read_choice, row["time_class"], CLASSES, "time_class", "时限类别") if row["time_class"] else ""
    )
    received_at = check(parse_moment, row["received_at"], "received_at", "接收时间", required=True)
    check.done()
    try:
        order, _created = services.order_receive(
            by=by,
            number=row["number"],
            kind=kind,
            time_class=time_class,
            category=row["category"],
            content=row["content"],
            region=region,
            received_at=received_at,
            address=row["address"],
            caller_name=row["caller_name"],
            caller_phone=row["caller_phone"],
        )
    except ValidationError as exc:
        raise RowInvalid({COLUMNS.get(k, k): "；".join(v) for k, v in exc.message_dict.items()}) from None
    return order


ORDERS_IMPORTER = register(
    Importer(
        "demands-orders",
        "12345热线工单（接收）",
        [
            Column(
                "工单编号", "number", True, "2026120100001", "市12345平台的工单编号；已接收的不重复登记", 40
            ),
            Column("诉求类型", "kind", True, "投诉", "可选：" + "、".join(KINDS)),
            Column("时限类别", "time_class", False, "", "可选：咨询类、求助、投诉类；不填按诉求类型确定"),
            Column("事项类别", "category", True, "市容环境-占道经营", "", 60),
            Column("诉求内容", "content", True, "示例路口有人占道经营，影响通行（示例）", "", 4000),
            Column("区划代码", "community", True, "990100001001", "工单所在居村（不明确的填街镇）", 20),
            Column("地址", "address", False, "示例路1号", "", 200),
            Column("来电人", "caller_name", False, "", "加密保护的个人信息", 50),
            Column("来电号码", "caller_phone", False, "", "加密保存，页面和导出均不显示完整号码", 20),
            Column("接收时间", "received_at", True, "2026-12-01 09:30", "YYYY-MM-DD HH:MM"),
        ],
        _row,
        notes=[
            "每行一件工单，按接收时间起算办理时限和首次联系时限；同一工单编号只接收一次。",
            "任一行有误时整批不写入，错误逐行列明。",
        ],
        capability="demands.receive",
        group="群众诉求",
        description="市12345平台派给本街镇的工单",
    )
)


CHANNELS = {str(label): value for value, label in Channel.choices}


def _petition_row(row: dict[str, str], by: Any) -> Any:
    from core.history import parse_date

    check = Checked()
    region = check(_region, row["community"], by)
    channel = check(read_choice, row["channel"], CHANNELS, "channel", "信访形式")
    received_on = check(parse_date, row["received_on"], "received_on", "收到日期", required=True)
    people = 1
    if row["people_count"]:
        try:
            people = int(row["people_count"])
        except ValueError:
            check.errors["people_count"] = f"人数“{row['people_count']}”不是整数"
    check.done()
    try:
        petition, _created = services.petition_receive(
            by=by,
            channel=channel,
            external_ref=row["external_ref"],
            petitioner=row["petitioner"],
            id_number=row["id_number"],
            phone=row["phone"],
            people_count=people,
            category=row["category"],
            content=row["content"],
            region=region,
            received_on=received_on,
        )
    except ValidationError as exc:
        raise RowInvalid({COLUMNS.get(k, k): "；".join(v) for k, v in exc.message_dict.items()}) from None
    return petition


PETITIONS_IMPORTER = register(
    Importer(
        "demands-petitions",
        "信访事项（登记）",
        [
            Column(
                "信访信息系统编号", "external_ref", False, "XF2026120100001", "有则填；同一编号只登记一次", 60
            ),
            Column("信访形式", "channel", True, "来访", "可选：" + "、".join(CHANNELS)),
            Column("信访人", "petitioner", True, "示例信访人", "集体访填写代表姓名", 100),
            Column("身份证号", "id_number", False, "", "加密保存", 18),
            Column("联系电话", "phone", False, "", "加密保存", 20),
            Column("人数", "people_count", False, "1", "五人以上为集体访"),
            Column("事项类别", "category", True, "物业管理", "", 60),
            Column("信访事项", "content", True, "反映小区物业长期不维修电梯（示例）", "", 4000),
            Column("区划代码", "community", True, "990100001001", "所在居村（不明确的填街镇）", 20),
            Column("收到日期", "received_on", True, "2026-12-01", "YYYY-MM-DD"),
        ],
        _petition_row,
        notes=[
            "每行一件信访事项，自收到日期起计算15日受理告知期限。",
            "任一行有误时整批不写入，错误逐行列明。",
        ],
        capability="demands.petition_receive",
        group="群众诉求",
        description="来访、来信、网上信访事项的登记",
    )
)
