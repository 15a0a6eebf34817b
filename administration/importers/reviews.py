"""Contracts reviewed in a past year, and legality reviews of major enforcement decisions and other matters:
each taken to 已办结 with its opinions and the answers to them (a contract also with its signing day)."""

from __future__ import annotations

from typing import Any

from core.history import Existing, already, entering_history
from core.imports import Column, Importer

from .. import services
from ..choices import Conclusion, ReviewKind
from ..permissions import HISTORY_IMPORT
from .rows import (
    GROUP,
    STREET_COLUMN,
    Checked,
    check_uscc,
    find_unit,
    finish,
    on_day,
    read_amount,
    read_choice,
    read_date,
    ref_column,
    review_columns,
    review_parts,
    review_steps,
    street_of_row,
)

REVIEW_KINDS = {
    str(ReviewKind.ENFORCEMENT_DECISION.label): ReviewKind.ENFORCEMENT_DECISION,
    "其他": ReviewKind.OTHER,
    str(ReviewKind.OTHER.label): ReviewKind.OTHER,
}

# --- contracts -------------------------------------------------------------------------------

CONTRACTS = "contracts"


def _contract_row(row: dict[str, str], by: Any) -> Any:
    check = Checked()
    street = street_of_row(check, row, by)
    if street is not None and (found := already(CONTRACTS, street, row["ref"])) is not None:
        return Existing(found)
    unit = check(find_unit, row["unit"], street, by, "unit", "送审单位")
    submitted = check(read_date, row["submitted_on"], "submitted_on", "送审日期", required=True)
    reviewer, conclusion, opinions, opinion_on = review_parts(check, row, street, by)
    closed = check(read_date, row["closed_on"], "closed_on", "办结日期") or opinion_on
    signed = check(read_date, row["signed_on"], "signed_on", "签订日期")
    amount = check(read_amount, row["amount"], "amount", "合同金额（元）")
    check(check_uscc, row["counterparty_uscc"])
    term_start = check(read_date, row["term_start"], "term_start", "期限起", required=True)
    term_end = check(read_date, row["term_end"], "term_end", "期限止", required=True)
    if term_start and term_end and term_end < term_start:
        check.errors.setdefault("term_end", f"期限止（{term_end}）早于期限起（{term_start}），请核对")
    if signed and conclusion == Conclusion.UNLAWFUL:
        check.errors.setdefault("signed_on", "审查结论为不合法的合同不得签订，请核对审查结论或删去签订日期")
    check.dates(
        [
            ("submitted_on", "送审日期", submitted),
            ("opinion_on", "出具意见日期", opinion_on),
            ("closed_on", "办结日期", closed if row["closed_on"] else None),
            ("signed_on", "签订日期", signed),
        ]
    )
    check.done()
    assert street and unit and submitted and opinion_on and closed and term_start and term_end
    keys = {"title": "title", "unit": "unit", "submitted_on": "submitted_on", "materials": "materials"}
    with entering_history(by=by, capability=HISTORY_IMPORT, region=unit.region):
        with on_day(submitted, 9, keys, "title"):
            item = services.contract_submit(
                by=by,
                title=row["title"],
                unit_id=unit.pk,
                submitted_on=submitted,
                counterparty=row["counterparty"],
                counterparty_uscc=row["counterparty_uscc"],
                amount=amount,
                contract_type=row["contract_type"],
                term_start=term_start,
                term_end=term_end,
                materials=row["materials"] or "合同文本及附件",
                risk_points=row["risk_points"],
            )
        item = review_steps(
            item,
            by=by,
            reviewer=reviewer,
            conclusion=conclusion,
            opinions=opinions,
            opinion_on=opinion_on,
            closed_on=closed,
        )
        ended = closed
        if signed:
            with on_day(signed, 16, {}, "signed_on"):
                item = services.contract_sign(item=item, signed_on=signed, by=by)
            ended = max(ended, signed)
        finish(CONTRACTS, street, row["ref"], [(item, ended)], by)
    return item


CONTRACT_IMPORTER = Importer(
    CONTRACTS,
    "合同审查（往年台账）",
    [
        ref_column("HT-2025-001"),
        STREET_COLUMN,
        Column("合同名称", "title", True, "示例街道物业服务合同（示例）", "", 200),
        Column("送审单位", "unit", True, "示例街道办事处", "本街镇单位名册中的单位全称", 100),
        Column("送审日期", "submitted_on", True, "2025-03-03", "YYYY-MM-DD"),
        Column("合同相对方", "counterparty", True, "示例物业有限公司", "", 100),
        Column(
            "相对方统一社会信用代码",
            "counterparty_uscc",
            True,
            "91990100000000123B",
            "18位，校验位按GB 32100核对",
            18,
        ),
        Column("合同金额（元）", "amount", True, "120000.00", "数字，最多两位小数"),
        Column("合同类型", "contract_type", True, "服务合同", "", 50),
        Column("期限起", "term_start", True, "2025-04-01", "YYYY-MM-DD"),
        Column("期限止", "term_end", True, "2026-03-31", "YYYY-MM-DD，不早于期限起"),
        Column("送审材料", "materials", False, "合同文本及附件", "不填为“合同文本及附件”"),
        Column("风险点", "risk_points", False, "付款节点与验收脱节（示例）", "审查发现的风险点"),
        *review_columns(),
        Column(
            "签订日期", "signed_on", False, "2025-03-20", "不早于出具意见日期；审查结论为不合法的不得填写"
        ),
    ],
    _contract_row,
    notes=[
        "每行一份往年已审核的合同，按办结状态导入：送审、指定审查人员、逐条审查意见、出具意见（编号按出具意见年度）、"
        "送审单位逐条反馈、办结，有签订日期的再登记签订；各环节按所填日期记入时间线，并记“历史数据导入”。",
        "日期须按送审、出具意见、办结、签订的先后顺序，且不能晚于今天；任何一行有误，整批不导入。",
    ],
    capability=HISTORY_IMPORT,
    group=GROUP,
    description="往年已审核合同：合同要素、审查结论与意见、反馈采纳情况、签订日期",
)


# --- legality reviews (major enforcement decisions and other matters) ---------------------------

REVIEWS = "legality-reviews"


def _review_row(row: dict[str, str], by: Any) -> Any:
    check = Checked()
    street = street_of_row(check, row, by)
    if street is not None and (found := already(REVIEWS, street, row["ref"])) is not None:
        return Existing(found)
    kind = check(read_choice, row["kind"], REVIEW_KINDS, "kind", "事项类别")
    unit = check(find_unit, row["unit"], street, by, "unit", "送审单位")
    submitted = check(read_date, row["submitted_on"], "submitted_on", "送审日期", required=True)
    reviewer, conclusion, opinions, opinion_on = review_parts(check, row, street, by)
    closed = check(read_date, row["closed_on"], "closed_on", "办结日期") or opinion_on
    check.dates(
        [
            ("submitted_on", "送审日期", submitted),
            ("opinion_on", "出具意见日期", opinion_on),
            ("closed_on", "办结日期", closed if row["closed_on"] else None),
        ]
    )
    check.done()
    assert street and unit and submitted and opinion_on and closed
    keys = {
        "title": "title",
        "unit": "unit",
        "submitted_on": "submitted_on",
        "materials": "materials",
        "kind": "kind",
    }
    with entering_history(by=by, capability=HISTORY_IMPORT, region=unit.region):
        with on_day(submitted, 9, keys, "title"):
            item = services.review_submit(
                by=by,
                kind=kind,
                title=row["title"],
                unit_id=unit.pk,
                submitted_on=submitted,
                materials=row["materials"],
            )
        item = review_steps(
            item,
            by=by,
            reviewer=reviewer,
            conclusion=conclusion,
            opinions=opinions,
            opinion_on=opinion_on,
            closed_on=closed,
        )
        finish(REVIEWS, street, row["ref"], [(item, closed)], by)
    return item


REVIEW_IMPORTER = Importer(
    REVIEWS,
    "合法性审查（往年台账）",
    [
        ref_column("SC-2025-018"),
        STREET_COLUMN,
        Column("事项类别", "kind", True, "重大行政执法决定", "可选：重大行政执法决定、其他"),
        Column("事项名称", "title", True, "对某公司违法建筑拆除决定的法制审核（示例）", "", 200),
        Column("送审单位", "unit", True, "示例街道综合行政执法队", "本街镇单位名册中的单位全称", 100),
        Column("送审日期", "submitted_on", True, "2025-05-06", "YYYY-MM-DD"),
        Column("送审材料", "materials", True, "决定书草稿、调查终结报告、证据材料（示例）"),
        *review_columns(),
    ],
    _review_row,
    notes=[
        "每行一件往年已办结的合法性审查（重大行政执法决定法制审核，或政策措施、会议议题等其他事项），按办结状态导入。",
        "重大行政决策、行政规范性文件和合同的审查，随各自的模板导入（不在此表），以免重复计数。",
        "重大行政执法决定的审查人员须取得法律职业资格，或此前已审核过此类决定（《行政处罚法》第58条）。",
    ],
    capability=HISTORY_IMPORT,
    group=GROUP,
    description="往年已办结的重大执法决定法制审核和其他事项审查：结论、逐条意见及采纳情况",
)
