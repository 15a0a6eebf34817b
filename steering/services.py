"""Writes of the indicator registry: targets per region and year, and manual entries with evidence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core import indicators
from core.models import IndicatorEntry, IndicatorTarget, Region
from core.roles import Capability
from core.scoping import has_capability

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
EVIDENCE_TYPES = (".pdf", ".docx", ".doc", ".xlsx", ".xls", ".jpg", ".jpeg", ".png", ".ofd")


def _check(by: Any, region: Region, code: str) -> indicators.Indicator:
    if not Region.objects.visible_to(by).filter(pk=region.pk).exists():
        raise ValidationError({"region": "该区域不在您的工作范围内"})
    if not has_capability(by, Capability.INDICATORS_MANAGE, region):
        raise PermissionDenied("您在该区域没有设定指标目标或填报指标的权限")
    ind = indicators.get(code)
    if ind is None:
        raise ValidationError({"code": f"未知的指标代码“{code}”"})
    return ind


@transaction.atomic
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


@transaction.atomic
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
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError({"value": "数值最多保留两位小数"})
    if not (evidence or "").strip():
        raise ValidationError({"evidence": "请填写佐证说明（数据来源、统计口径、材料名称）"})
    if evidence_file:
        name = evidence_file.name.lower()
        if not name.endswith(EVIDENCE_TYPES):
            raise ValidationError(
                {"evidence_file": "佐证材料格式不支持，请上传 PDF、Word、Excel、图片或 OFD 文件"}
            )
        if evidence_file.size > MAX_EVIDENCE_BYTES:
            raise ValidationError({"evidence_file": "佐证材料不能超过20MB"})
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
