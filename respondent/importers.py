"""Reconsideration and litigation cases registered in a batch (e.g. the cases a district office forwards), each
row through the same registration as the page and the API; the same 案号 is registered once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from administration.importers.rows import (
    STREET_COLUMN,
    YES_NO,
    Checked,
    find_unit,
    read_choice,
    read_date,
    street_of_row,
)
from core.imports import Column, Importer, RowInvalid, register

from . import services
from .choices import ActKind, Kind
from .models import RespondentCase

KINDS = {str(label): value for value, label in Kind.choices}
ACT_KINDS = {str(label): value for value, label in ActKind.choices}


def _linked(model: Any, number: str, by: Any, key: str, label: str) -> Any:
    found = model.objects.visible_to(by).filter(number=number).first()
    if found is None:
        raise RowInvalid({key: f"没有编号为“{number}”的{label}"})
    return found


def _row(row: dict[str, str], by: Any) -> Any:
    from disclosure.models import DisclosureRequest
    from enforcement.models import EnforcementCase

    check = Checked()
    street = street_of_row(check, row, by)
    kind = check(read_choice, row["kind"], KINDS, "kind", "类别")
    if (
        row["body_ref"]
        and kind
        and (
            found := RespondentCase.objects.visible_to(by).filter(kind=kind, body_ref=row["body_ref"]).first()
        )
    ):
        return found
    unit = check(find_unit, row["unit"], street, by, "unit", "承办单位")
    act_kind = check(read_choice, row["act_kind"], ACT_KINDS, "act_kind", "被申请（被诉）行为类别")
    after = check(
        read_choice, row["after_reconsideration"] or "否", YES_NO, "after_reconsideration", "经复议后起诉"
    )
    filed_on = check(read_date, row["filed_on"], "filed_on", "申请（起诉）日期", required=True)
    received_on = check(read_date, row["received_on"], "received_on", "收到副本日期", required=True)
    enforcement = (
        check(_linked, EnforcementCase, row["enforcement"], by, "enforcement", "行政执法案件")
        if row["enforcement"]
        else None
    )
    disclosure = (
        check(_linked, DisclosureRequest, row["disclosure"], by, "disclosure", "政府信息公开申请")
        if row["disclosure"]
        else None
    )
    check.done()
    try:
        return services.case_receive(
            by=by,
            kind=kind,
            body=row["body"],
            body_ref=row["body_ref"],
            applicant=row["applicant"],
            unit=unit,
            act_kind=act_kind,
            act=row["act"],
            filed_on=filed_on,
            received_on=received_on,
            after_reconsideration=after,
            enforcement_case=enforcement,
            disclosure_request=disclosure,
        )
    except ValidationError as exc:
        keys = {"enforcement_case": "enforcement", "disclosure_request": "disclosure"}
        raise RowInvalid({keys.get(k, k): "；".join(v) for k, v in exc.message_dict.items()}) from None


CASES_IMPORTER = register(
    Importer(
        "respondent-cases",
        "行政复议、行政诉讼案件（收到副本）",
        [
            STREET_COLUMN,
            Column("类别", "kind", True, "行政复议", "可选：行政复议、行政诉讼"),
            Column("经复议后起诉", "after_reconsideration", False, "否", "行政诉讼填是或否"),
            Column("复议机关或人民法院", "body", True, "示例区人民政府", "", 100),
            Column(
                "复议或诉讼案号",
                "body_ref",
                False,
                "示复字〔2026〕第1号",
                "有则填；同一类别同一案号只登记一次",
                80,
            ),
            Column("申请人（原告）", "applicant", True, "示例申请人", "", 100),
            Column("承办单位", "unit", True, "示例街道综合行政执法队", "本街镇单位名册中的单位全称", 100),
            Column(
                "被申请（被诉）行为类别", "act_kind", True, "行政处罚决定", "可选：" + "、".join(ACT_KINDS)
            ),
            Column("被申请（被诉）行为", "act", True, "罚款决定（示例）", "", 300),
            Column("关联的行政执法案件编号", "enforcement", False, "", "", 40),
            Column("关联的政府信息公开申请编号", "disclosure", False, "", "", 40),
            Column("申请（起诉）日期", "filed_on", True, "2026-11-02", "YYYY-MM-DD"),
            Column("收到副本日期", "received_on", True, "2026-11-04", "答复、答辩期限自此起算"),
        ],
        _row,
        notes=[
            "每行一件案件，自收到副本日期起计算答复（10个工作日）或答辩（15日）期限。",
            "任一行有误时整批不写入。",
        ],
        capability="respondent.receive",
        group="行政复议和行政应诉",
        description="本街镇为被申请人、被告的行政复议、行政诉讼案件",
    )
)
