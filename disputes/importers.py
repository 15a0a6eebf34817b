"""Batch import of disputes (e.g. a month of 12345 work orders) through the same intake service.

Two importers share the columns of a dispute as received: ``disputes`` brings cases that are still to be
handled (they arrive 已登记); ``disputes-history`` (``disputes/history.py``) brings finished cases of a past
period with their outcome. A retried import adds nothing: the same source and 来源编号 is the same dispute.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from core.history import Existing, parse_moment
from core.imports import Column, Importer, RowInvalid, register
from core.models import Region
from core.roles import Capability

from .choices import Source
from .services import dispute_intake

SOURCES = {str(label): value for value, label in Source.choices}
HISTORY_TITLE = "矛盾纠纷（已办结历史案件）"

# dispute_intake's error keys -> the template's column keys
INTAKE_COLUMNS = {
    "source": "source",
    "external_ref": "external_ref",
    "dispute_type": "type",
    "community": "community",
    "description": "description",
    "address": "address",
    "amount": "amount",
    "people_count": "people_count",
    "received_at": "received_at",
    "parties": "applicant",
    "parties[0].name": "applicant",
    "parties[0].id_number": "applicant_id",
    "parties[0].phone": "applicant_phone",
    "parties[1].name": "respondent",
    "parties[1].id_number": "respondent_id",
    "parties[1].phone": "respondent_phone",
}


def intake_errors(exc: ValidationError) -> dict[str, str]:
    """``dispute_intake``'s refusal keyed by the template's columns."""
    if not hasattr(exc, "error_dict"):
        return {"": "；".join(exc.messages)}
    return {INTAKE_COLUMNS.get(k, k): "；".join(v) for k, v in exc.message_dict.items()}


def source_of(row: dict[str, str]) -> str:
    source = SOURCES.get(row["source"], row["source"])
    if source not in Source.values:
        raise RowInvalid({"source": f"“{row['source']}”不是可选来源：{'、'.join(SOURCES)}"})
    return source


def looked_up(by: Any, key: tuple[Any, ...], find: Callable[[], Any]) -> Any:
    """``find()``, remembered on the importing user object for the rows of its import (as its memberships are,
    ``core.scoping.active_memberships``): a workbook names the same types, communities and committees again and
    again. A look-up that found nothing is not remembered."""
    cache: dict[tuple[Any, ...], Any] | None = getattr(by, "_fazhi_import_lookups", None)
    if cache is None:
        cache = {}
        if by is not None:
            by._fazhi_import_lookups = cache
    if key not in cache:
        found = find()
        if found is None or found == []:
            return found
        cache[key] = found
    return cache[key]


def type_of(row: dict[str, str], by: Any = None) -> str:
    from .models import DisputeType

    code = looked_up(
        by,
        ("type", row["type"]),
        lambda: (
            DisputeType.objects.filter(name=row["type"]).values_list("code", flat=True).first()
            or DisputeType.objects.filter(code=row["type"]).values_list("code", flat=True).first()
        ),
    )
    if code is None:
        raise RowInvalid({"type": f"纠纷类型“{row['type']}”不存在"})
    return str(code)


def community_of(row: dict[str, str], by: Any) -> Region:
    community = looked_up(
        by,
        ("community", row["community"]),
        lambda: Region.objects.visible_to(by).filter(code=row["community"], level="community").first(),
    )
    if community is None:
        raise RowInvalid({"community": f"居村区划代码 {row['community']} 不存在或不在您的工作范围内"})
    return community


def parties_of(row: dict[str, str]) -> list[dict[str, Any]]:
    parties: list[dict[str, Any]] = [
        {
            "role": "applicant",
            "name": row["applicant"],
            "id_number": row["applicant_id"],
            "phone": row["applicant_phone"],
        }
    ]
    if row["respondent"] or row.get("respondent_id") or row["respondent_phone"]:
        parties.append(
            {
                "role": "respondent",
                "name": row["respondent"],
                "id_number": row.get("respondent_id", ""),
                "phone": row["respondent_phone"],
            }
        )
    return parties


def existing_of(source: str, external_ref: str, by: Any) -> Any:
    """The dispute already received under (source, 来源编号), or None; another street's is refused."""
    from .models import Dispute

    if not external_ref:
        return None
    found = Dispute.objects.filter(source=source, external_ref=external_ref).first()
    if found is not None and not Dispute.objects.visible_to(by).filter(pk=found.pk).exists():
        raise RowInvalid({"external_ref": f"来源编号“{external_ref}”已由其他街镇登记，请核对来源和来源编号"})
    return found


def _row(row: dict[str, str], by: Any) -> Any:
    source = source_of(row)
    errors: dict[str, str] = {}
    received = None
    try:
        received = parse_moment(row["received_at"], "received_at", "受理时间")
    except RowInvalid as exc:
        errors.update(exc.errors)
    try:
        dtype = type_of(row, by)
    except RowInvalid as exc:
        errors.update(exc.errors)
    try:
        community = community_of(row, by)
    except RowInvalid as exc:
        errors.update(exc.errors)
    if errors:
        raise RowInvalid(errors)
    found = existing_of(source, row["external_ref"], by)
    if found is not None:
        return Existing(found)  # a retried import: nothing written
    if received is not None and timezone.localtime(received).year < timezone.localdate().year:
        raise RowInvalid(
            {
                "received_at": f"受理时间{timezone.localtime(received):%Y-%m-%d}在往年：本模板导入尚待办理的纠纷（导入后为"
                f"“已登记”，按今天计时）。往年已办结的案件请使用“{HISTORY_TITLE}”模板导入"
            }
        )
    try:
        result = dispute_intake(
            by=by,
            source=source,
            external_ref=row["external_ref"],
            dispute_type=dtype,
            community=community.pk,
            description=row["description"],
            address=row["address"],
            amount=row["amount"] or None,
            people_count=row["people_count"] or 1,
            received_at=received,
            parties=parties_of(row),
        )
    except ValidationError as exc:
        raise RowInvalid(intake_errors(exc)) from None
    return result.dispute if result.created else Existing(result.dispute)


DISPUTES = register(
    Importer(
        "disputes",
        "矛盾纠纷",
        [
            Column("纠纷来源", "source", True, "12345热线", "可选：" + "、".join(SOURCES)),
            Column(
                "来源编号",
                "external_ref",
                False,
                "12345-2026-000123",
                "同一来源同一编号只受理一次；再次导入时跳过，不会重复登记",
            ),
            Column("纠纷类型", "type", True, "邻里"),
            Column("居村区划代码", "community", True, "990100001001"),
            Column("纠纷概要", "description", True, "楼上漏水致楼下受损"),
            Column("发生地址", "address", False, "示例路1号"),
            Column("涉及金额（元）", "amount", False, "3000"),
            Column("涉及人数", "people_count", False, "2"),
            Column(
                "受理时间",
                "received_at",
                False,
                "2026-11-20 09:30",
                "不填为导入时间；须在本年内，不能是将来的时间（往年的案件请用已办结历史案件模板）",
            ),
            Column("申请人姓名", "applicant", True, "张某"),
            Column("申请人身份证号", "applicant_id", False, ""),
            Column("申请人电话", "applicant_phone", False, ""),
            Column("被申请人姓名", "respondent", False, "李某"),
            Column("被申请人电话", "respondent_phone", False, ""),
        ],
        _row,
        notes=[
            "每行一件纠纷；导入后进入“已登记”状态，自动进行重复识别和风险研判，此后在系统中研判、分派、调解。",
            "本模板只导入尚待办理的纠纷，受理时间须在本年内：往年的案件导入后会按今天的日期计为逾期。"
            f"往年（或已经办结）的案件请使用“{HISTORY_TITLE}”模板，连同办理结果一并导入。",
            "同一纠纷来源、同一来源编号的纠纷只登记一次：重复导入同一文件不会重复登记。",
        ],
        capability=Capability.DISPUTE_INTAKE,
        group="矛盾纠纷",
        description="每行一件尚待办理的纠纷。",
    )
)
