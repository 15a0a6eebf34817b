"""Batch import of disputes (e.g. a month of 12345 work orders) through the same intake service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from core.history import Existing
from core.imports import Column, Importer, RowInvalid, register
from core.models import Region
from core.roles import Capability

from .choices import Source
from .services import dispute_intake

SOURCES = {str(label): value for value, label in Source.choices}


def _row(row: dict[str, str], by: Any) -> Any:
    from .models import DisputeType

    source = SOURCES.get(row["source"], row["source"])
    if source not in Source.values:
        raise RowInvalid({"source": f"“{row['source']}”不是可选来源：{'、'.join(SOURCES)}"})
    dtype = (
        DisputeType.objects.filter(name=row["type"]).first()
        or DisputeType.objects.filter(code=row["type"]).first()
    )
    if dtype is None:
        raise RowInvalid({"type": f"纠纷类型“{row['type']}”不存在"})
    community = Region.objects.visible_to(by).filter(code=row["community"], level="community").first()
    if community is None:
        raise RowInvalid({"community": f"居村区划代码 {row['community']} 不存在或不在您的工作范围内"})
    received = None
    if row["received_at"]:
        try:
            received = timezone.make_aware(dt.datetime.fromisoformat(row["received_at"].replace("/", "-")))
        except ValueError:
            raise RowInvalid({"received_at": "受理时间格式应为 YYYY-MM-DD HH:MM"}) from None
    parties = [
        {
            "role": "applicant",
            "name": row["applicant"],
            "id_number": row["applicant_id"],
            "phone": row["applicant_phone"],
        }
    ]
    if row["respondent"]:
        parties.append({"role": "respondent", "name": row["respondent"], "phone": row["respondent_phone"]})
    errors_map = {
        "parties[0].id_number": "applicant_id",
        "parties[0].phone": "applicant_phone",
        "parties[1].phone": "respondent_phone",
        "parties[0].name": "applicant",
    }
    from django.core.exceptions import ValidationError

    try:
        result = dispute_intake(
            by=by,
            source=source,
            external_ref=row["external_ref"],
            dispute_type=dtype.code,
            community=community.pk,
            description=row["description"],
            address=row["address"],
            amount=row["amount"] or None,
            people_count=row["people_count"] or 1,
            received_at=received,
            parties=parties,
        )
    except ValidationError as exc:
        raise RowInvalid({errors_map.get(k, k): "；".join(v) for k, v in exc.message_dict.items()}) from None
    return result if result.created else Existing(result.dispute)  # a retried row writes nothing


DISPUTES = register(
    Importer(
        "disputes",
        "矛盾纠纷",
        [
            Column("纠纷来源", "source", True, "12345热线", "可选：" + "、".join(SOURCES)),
            Column("来源编号", "external_ref", False, "12345-2026-000123", "同一来源同一编号只受理一次"),
            Column("纠纷类型", "type", True, "邻里"),
            Column("居村区划代码", "community", True, "990100001001"),
            Column("纠纷概要", "description", True, "楼上漏水致楼下受损"),
            Column("发生地址", "address", False, "示例路1号"),
            Column("涉及金额（元）", "amount", False, "3000"),
            Column("涉及人数", "people_count", False, "2"),
            Column("受理时间", "received_at", False, "2026-11-20 09:30", "不填为导入时间"),
            Column("申请人姓名", "applicant", True, "张某"),
            Column("申请人身份证号", "applicant_id", False, ""),
            Column("申请人电话", "applicant_phone", False, ""),
            Column("被申请人姓名", "respondent", False, "李某"),
            Column("被申请人电话", "respondent_phone", False, ""),
        ],
        _row,
        notes=["每行一件纠纷；导入后进入“已登记”状态，自动进行重复识别和风险研判。"],
        capability=Capability.DISPUTE_INTAKE,
    )
)
